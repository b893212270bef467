import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SQLITE_FILE } from '../../lib/store/sqlite-store';
import { eventually } from '../helpers/chat-harness';
import { person, type Person } from '../helpers/chat-person';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/server-process';

const ROOMS = 4;
const PER_ROOM = 6;
const SEND_EVERY_MS = 250;
const CHAOS_MS = 18_000;
const DROP_EVERY_MS = 600;
const KILLS_AT_MS = [5_000, 11_000];

describe('zero-loss delivery under chaos', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'livechat-chaos-'));
  let server: ServerProcess | undefined;
  const people: Person[] = [];

  afterAll(async () => {
    for (const one of people) one.socket.disconnect();
    server?.child.kill('SIGKILL');
    await server?.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every acknowledged message reaches every member once, in one order, through drops and kill -9', async () => {
    const port = await freePort();
    const env = { DATA_DIR: dataDir, MEMBER_GRACE_SECONDS: '120', RATE_LIMITS: 'off' };
    server = await startServerProcess(env, port);

    const rooms: string[] = [];
    for (let r = 0; r < ROOMS; r++) {
      for (let p = 0; p < PER_ROOM; p++) {
        const one = person(server.url, `r${r}p${p}`);
        people.push(one);
        await eventually(() => one.socket.connected);
        if (p === 0) {
          const created = await one.store.getState().createRoom();
          if (!created.ok) throw new Error(created.error.message);
          rooms.push(created.value);
        }
        const joined = await one.store.getState().joinRoom(rooms[r]!, one.name);
        expect(joined.ok).toBe(true);
      }
    }

    let sent = 0;
    const senders = people.map((one) =>
      setInterval(() => {
        sent++;
        void one.store.getState().sendMessage(`${one.name} #${sent}`);
      }, SEND_EVERY_MS),
    );
    const dropper = setInterval(() => {
      // A network drop: the transport closes; Socket.IO reconnects by itself.
      people[Math.floor(Math.random() * people.length)]!.socket.io.engine?.close();
    }, DROP_EVERY_MS);
    const started = Date.now();
    for (const killAt of KILLS_AT_MS) {
      await new Promise((resolve) => setTimeout(resolve, killAt - (Date.now() - started)));
      server.child.kill('SIGKILL');
      await server.exited;
      await new Promise((resolve) => setTimeout(resolve, 300));
      server = await startServerProcess(env, port);
    }
    await new Promise((resolve) => setTimeout(resolve, CHAOS_MS - (Date.now() - started)));
    senders.forEach(clearInterval);
    clearInterval(dropper);

    // Quiet: everyone reconnects, empties the outbox, and the logs of a room agree.
    const settled = () =>
      people.every((one) => one.socket.connected && one.store.getState().pending.length === 0);
    const status = () =>
      people
        .map((one) => {
          const state = one.store.getState();
          const log = state.room?.messages ?? [];
          return `${one.name}: ${one.socket.connected ? 'up' : 'down'} ${state.connection} room=${state.room ? 'yes' : 'no'} pending=${state.pending.map((p) => p.status).join(',')} log=${log[0]?.seq}..${log.at(-1)?.seq} (${log.length})`;
        })
        .join('\n');
    await eventually(settled, 30_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${status()}`);
    });
    const logOf = (one: Person) => one.store.getState().room?.messages.map((m) => m.id) ?? [];
    await eventually(
      () =>
        rooms.every((_, r) => {
          const members = people.slice(r * PER_ROOM, (r + 1) * PER_ROOM);
          const first = JSON.stringify(logOf(members[0]!));
          return members.every((one) => JSON.stringify(logOf(one)) === first);
        }),
      30_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${status()}`);
    });

    server.child.kill('SIGTERM');
    await server.exited;
    const db = new Database(path.join(dataDir, SQLITE_FILE), { readonly: true });
    const storedIn = (roomId: string) =>
      db
        .prepare('SELECT id, seq, text, client_id FROM messages WHERE room_id = ? ORDER BY seq')
        .all(roomId) as Array<{ id: string; seq: number; text: string; client_id: string | null }>;

    const acknowledged = people.flatMap((one) => one.acknowledged);
    let delivered = 0;
    let duplicates = 0;
    let gaps = 0;
    for (const [r, roomId] of rooms.entries()) {
      const stored = storedIn(roomId);
      const storedIds = stored.map((row) => row.id);
      gaps += stored.filter((row, index) => row.seq !== index + 1).length;
      const userRows = stored.filter((row) => row.client_id !== null);
      duplicates += userRows.length - new Set(userRows.map((row) => row.text)).size;
      for (const one of people.slice(r * PER_ROOM, (r + 1) * PER_ROOM)) {
        const log = logOf(one);
        delivered += log.length;
        duplicates += log.length - new Set(log).size;
        // The log is the stored history from its first entry on: same messages, same order.
        expect(log).toEqual(storedIds.slice(storedIds.indexOf(log[0]!)));
      }
    }
    const storedAll = new Set(rooms.flatMap((roomId) => storedIn(roomId).map((row) => row.id)));
    db.close();
    const lost = acknowledged.filter((message) => !storedAll.has(message.id)).length;
    const failed = people.flatMap((one) => one.store.getState().pending).length;

    console.log(
      `chaos: sent ${sent}, acknowledged ${acknowledged.length}, delivered ${delivered}, ` +
        `duplicates ${duplicates}, gaps ${gaps}, lost ${lost}, failed ${failed}`,
    );
    expect({ duplicates, gaps, lost, failed }).toEqual({
      duplicates: 0,
      gaps: 0,
      lost: 0,
      failed: 0,
    });
    expect(acknowledged.length).toBe(sent);
  }, 120_000);
});
