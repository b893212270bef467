import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinedText } from '../../lib/chat/announcements';
import type { Message } from '../../lib/protocol/definitions';
import { ErrorCode, type ValueResult } from '../../lib/protocol/errors';
import { eventually } from '../helpers/chat-harness';
import { person, type Person } from '../helpers/chat-person';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/server-process';
import { freshPostgresDatabase, serviceUrl } from '../helpers/services';
import {
  postgresMessages,
  sqliteMessages,
  type StoredReader,
  type StoredRow,
} from '../helpers/stored-messages';

const ROOMS = 4;
const PER_ROOM = 6;
const SEND_EVERY_MS = 250;
const DROP_EVERY_MS = 600;
/** Each person edits, deletes or reacts about this often, besides sending. */
const CHANGE_EVERY_MS = 300;
const EMOJI = ['👍', '🎉', '😂'];
/** An edited text keeps the sent one in front, so stored texts still name their message. */
const EDIT_MARK = ' ✎';

type ChangeKind = 'edits' | 'deletes' | 'reactions';

/** What became of the changes people asked for. */
interface ChangeTally {
  acknowledged: Record<ChangeKind, number>;
  /** Refusals by error code (a message deleted meanwhile, say); fine under chaos. */
  refused: Record<string, number>;
  /** No answer arrived (the link dropped): perhaps made, perhaps not. */
  unanswered: number;
}

/**
 * One random change by `one` through its store: now and then an edit or a deletion of one of
 * its own acknowledged messages, otherwise a reaction toggled on a message of its room.
 */
function changeSomething(one: Person, tally: ChangeTally): void {
  const state = one.store.getState();
  const standing = (state.room?.messages ?? []).filter(
    (message) => message.kind === 'user' && message.deletedAt === undefined,
  );
  const own = standing.filter((message) =>
    one.acknowledged.some((acked) => acked.id === message.id),
  );
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];
  const roll = Math.random();
  let kind: ChangeKind;
  let request: Promise<ValueResult<Message>>;
  const mine = pick(own);
  if (mine && roll < 0.15) {
    kind = 'edits';
    const sentText = mine.text.split(EDIT_MARK)[0]!;
    request = state.editMessage(mine.seq, `${sentText}${EDIT_MARK}${Math.random().toFixed(4)}`);
  } else if (mine && roll < 0.22) {
    kind = 'deletes';
    request = state.deleteMessage(mine.seq);
  } else {
    const target = pick(standing);
    if (!target) return;
    kind = 'reactions';
    const emoji = pick(EMOJI)!;
    const given = target.reactions?.find((reaction) => reaction.emoji === emoji);
    request = state.setReaction(target.seq, emoji, !given?.nicknames.includes(one.name));
  }
  void request.then((result) => {
    if (result.ok) tally.acknowledged[kind]++;
    else if (result.error.code === ErrorCode.Timeout) tally.unanswered++;
    else tally.refused[result.error.code] = (tally.refused[result.error.code] ?? 0) + 1;
  });
}

/** What a member shows of a message that edits, deletions and reactions can change. */
function shownState(message: Message) {
  const counts = (message.reactions ?? []).map(
    (reaction) => [reaction.emoji, reaction.nicknames.length] as const,
  );
  return {
    seq: message.seq,
    text: message.text,
    editedAt: message.editedAt ?? null,
    deletedAt: message.deletedAt ?? null,
    reactions: Object.fromEntries(counts.sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** The same, as the database holds it. */
function storedState(row: StoredRow): ReturnType<typeof shownState> {
  const counts = Object.entries(row.reactions).sort(([a], [b]) => a.localeCompare(b));
  return {
    seq: row.seq,
    text: row.text,
    editedAt: row.edited_at,
    deletedAt: row.deleted_at,
    reactions: Object.fromEntries(counts),
  };
}

/** A backend for the server process, how long the chaos lasts on it, and how to read it. */
interface Backend {
  env: Record<string, string>;
  chaosMs: number;
  killsAtMs: number[];
  /** Every stored message of each room, in seq order (the server is stopped by then). */
  read: StoredReader;
  cleanup(): Promise<void>;
}

async function sqliteBackend(): Promise<Backend> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'livechat-chaos-'));
  return {
    env: { DATA_DIR: dataDir },
    chaosMs: 18_000,
    killsAtMs: [5_000, 11_000],
    read: sqliteMessages(dataDir),
    cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

async function postgresBackend(adminUrl: string): Promise<Backend> {
  const database = await freshPostgresDatabase(adminUrl);
  return {
    env: { DATABASE_URL: database.url },
    chaosMs: 12_000,
    killsAtMs: [4_000, 8_000],
    read: postgresMessages(database.url),
    cleanup: database.drop,
  };
}

const databaseUrl = serviceUrl('DATABASE_URL');
const backends: Array<[string, () => Promise<Backend>]> = [['SQLite', sqliteBackend]];
if (databaseUrl) backends.push(['PostgreSQL', () => postgresBackend(databaseUrl)]);

describe.each(backends)('zero-loss delivery under chaos on %s', (_name, makeBackend) => {
  let backend: Backend;
  let server: ServerProcess | undefined;
  const people: Person[] = [];

  beforeAll(async () => {
    backend = await makeBackend();
  });
  afterAll(async () => {
    for (const one of people) one.socket.disconnect();
    server?.child.kill('SIGKILL');
    await server?.exited;
    await backend.cleanup();
  });

  it('every acknowledged message reaches every member once, in one order, and every edit, deletion and reaction converges, through drops and kill -9', async () => {
    const { chaosMs, killsAtMs } = backend;
    const port = await freePort();
    const env = { ...backend.env, MEMBER_GRACE_SECONDS: '120', RATE_LIMITS: 'off' };
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
    const tally: ChangeTally = {
      acknowledged: { edits: 0, deletes: 0, reactions: 0 },
      refused: {},
      unanswered: 0,
    };
    const changers = people.map((one) =>
      setInterval(() => changeSomething(one, tally), CHANGE_EVERY_MS),
    );
    const dropper = setInterval(() => {
      // A network drop: the transport closes; Socket.IO reconnects by itself.
      people[Math.floor(Math.random() * people.length)]!.socket.io.engine?.close();
    }, DROP_EVERY_MS);
    const started = Date.now();
    for (const killAt of killsAtMs) {
      await new Promise((resolve) => setTimeout(resolve, killAt - (Date.now() - started)));
      server.child.kill('SIGKILL');
      await server.exited;
      await new Promise((resolve) => setTimeout(resolve, 300));
      server = await startServerProcess(env, port);
    }
    await new Promise((resolve) => setTimeout(resolve, chaosMs - (Date.now() - started)));
    senders.forEach(clearInterval);
    changers.forEach(clearInterval);
    clearInterval(dropper);

    // Quiet: everyone reconnects, empties the outbox, and the logs of a room agree.
    const settled = () =>
      people.every((one) => one.socket.connected && one.store.getState().pending.length === 0);
    const status = () =>
      people
        .map((one) => {
          const state = one.store.getState();
          const log = state.room?.messages ?? [];
          return `${one.name}: ${one.socket.connected ? 'up' : 'down'} ${state.connection} room=${state.room ? 'yes' : 'no'} pending=${state.pending.map((p) => p.status).join(',')} log=${log[0]?.seq}..${log.at(-1)?.seq} (${log.length}) changes to ${state.room?.changeSeq}`;
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
    // And their copies of every message agree; a member that never converges fails below,
    // where the difference from the stored state shows.
    const statesOf = (one: Person) =>
      JSON.stringify(one.store.getState().room?.messages.map(shownState) ?? []);
    await eventually(
      () =>
        rooms.every((_, r) => {
          const members = people.slice(r * PER_ROOM, (r + 1) * PER_ROOM);
          return members.every((one) => statesOf(one) === statesOf(members[0]!));
        }),
      15_000,
    ).catch(() => console.log(`copies still differ:\n${status()}`));

    server.child.kill('SIGTERM');
    await server.exited;
    const storedByRoom = await backend.read(rooms);
    const storedIn = (roomId: string) => storedByRoom.get(roomId) ?? [];

    const acknowledged = people.flatMap((one) => one.acknowledged);
    let delivered = 0;
    let duplicates = 0;
    let gaps = 0;
    let storedUserMessages = 0;
    for (const [r, roomId] of rooms.entries()) {
      const stored = storedIn(roomId);
      const storedIds = stored.map((row) => row.id);
      gaps += stored.filter((row, index) => row.seq !== index + 1).length;
      const userRows = stored.filter((row) => row.client_id !== null);
      storedUserMessages += userRows.length;
      duplicates += userRows.length - new Set(userRows.map((row) => row.client_id)).size;
      // Deleted texts are gone; an edited one still starts with the text that was sent.
      const sentTexts = userRows
        .filter((row) => row.deleted_at === null)
        .map((row) => row.text.split(EDIT_MARK)[0]);
      duplicates += sentTexts.length - new Set(sentTexts).size;
      const ackedHere = acknowledged.filter((message) => message.roomId === roomId);
      for (const one of people.slice(r * PER_ROOM, (r + 1) * PER_ROOM)) {
        const messages = one.store.getState().room?.messages ?? [];
        const log = messages.map((message) => message.id);
        delivered += log.length;
        duplicates += log.length - new Set(log).size;
        // From the member's own join on, its log is the stored history: every message once,
        // in seq order, nothing missing; a log that silently started over later fails here.
        const joinedAt = stored.find(
          (row) => row.kind === 'system' && row.text === joinedText(one.name),
        );
        expect(joinedAt, `${one.name}'s join announcement is stored`).toBeDefined();
        expect(messages[0]?.seq, `${one.name}'s log reaches back to its join`).toBeLessThanOrEqual(
          joinedAt!.seq,
        );
        expect(
          messages.map((message) => message.seq),
          `${one.name}'s log is in seq order without gaps`,
        ).toEqual(messages.map((_, index) => messages[0]!.seq + index));
        expect(log, `${one.name}'s log is the stored history since it joined`).toEqual(
          storedIds.slice(storedIds.indexOf(log[0]!)),
        );
        expect(
          messages.filter((message) => message.seq >= joinedAt!.seq).map((message) => message.id),
          `everything stored since ${one.name} joined is in its log`,
        ).toEqual(stored.filter((row) => row.seq >= joinedAt!.seq).map((row) => row.id));
        // A member may hold a later state than it saw live, never an earlier one: each copy is
        // the message as it is stored in the end.
        const storedBySeq = new Map(stored.map((row) => [row.seq, row]));
        expect(
          messages.map(shownState),
          `${one.name}'s copies are the stored messages with every edit, deletion and reaction`,
        ).toEqual(messages.map((message) => storedState(storedBySeq.get(message.seq)!)));
        expect(
          messages.filter((message) => message.deletedAt !== undefined && message.text !== ''),
          `${one.name} shows no text of a deleted message`,
        ).toEqual([]);
        const inLog = new Map<string, number>();
        for (const id of log) inLog.set(id, (inLog.get(id) ?? 0) + 1);
        const notOnce = ackedHere.filter((message) => inLog.get(message.id) !== 1);
        expect(
          notOnce.map((message) => `${message.text}: ${inLog.get(message.id) ?? 0}`),
          `every acknowledged message of the room is in ${one.name}'s log exactly once`,
        ).toEqual([]);
      }
    }
    const storedAll = new Set(rooms.flatMap((roomId) => storedIn(roomId).map((row) => row.id)));
    const lost = acknowledged.filter((message) => !storedAll.has(message.id)).length;
    const failed = people.flatMap((one) => one.store.getState().pending).length;

    const { edits, deletes, reactions } = tally.acknowledged;
    const refusals = Object.entries(tally.refused).map(([code, count]) => `${count} ${code}`);
    console.log(
      `chaos: sent ${sent}, stored ${storedUserMessages}, acknowledged ${acknowledged.length}, ` +
        `delivered ${delivered}, ` +
        `duplicates ${duplicates}, gaps ${gaps}, lost ${lost}, failed ${failed}; ` +
        `changes acknowledged: edits ${edits}, deletes ${deletes}, reactions ${reactions}; ` +
        `refused ${refusals.join(', ') || 0}; unanswered ${tally.unanswered}`,
    );
    expect({ duplicates, gaps, lost, failed }).toEqual({
      duplicates: 0,
      gaps: 0,
      lost: 0,
      failed: 0,
    });
    // Every message written is stored once (texts are unique, duplicates are counted above).
    // Not every one need be acknowledged: when a connection drops after the server stored and
    // broadcast a message but before its answer arrived, the author's own copy of the
    // broadcast settles it instead, and it is never sent again.
    expect(storedUserMessages).toBe(sent);
    expect(Math.min(edits, deletes, reactions), 'every kind of change was made').toBeGreaterThan(0);
  }, 120_000);
});
