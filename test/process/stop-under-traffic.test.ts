import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/chat-harness';
import { person, type Person } from '../helpers/chat-person';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/server-process';
import { freshPostgresDatabase, serviceUrl } from '../helpers/services';
import { postgresMessages, sqliteMessages, type StoredReader } from '../helpers/stored-messages';

const PEOPLE = 50;
const PER_ROOM = 10;
/** Each person sends 2 messages a second. */
const SEND_EVERY_MS = 500;
/** How long a stop may take under that traffic, from SIGTERM to the process's exit. */
const STOP_WITHIN_MS = 2_000;

/**
 * A stop may refuse a send (RESTARTING) or cut it off with the connection (the client's own
 * TIMEOUT); both are sent again by themselves. Anything else is a failure of the stop.
 */
const unexpectedRefusal = (code: string) => code !== 'RESTARTING' && code !== 'TIMEOUT';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** People in rooms of PER_ROOM on the given servers (round robin), all joined. */
async function seatPeople(urls: string[]): Promise<{ people: Person[]; rooms: string[] }> {
  const people: Person[] = [];
  const rooms: string[] = [];
  for (let n = 0; n < PEOPLE; n++) {
    const one = person(urls[n % urls.length]!, `p${n}`);
    people.push(one);
    await eventually(() => one.socket.connected);
    if (n % PER_ROOM === 0) {
      const created = await one.store.getState().createRoom();
      if (!created.ok) throw new Error(created.error.message);
      rooms.push(created.value);
    }
    const joined = await one.store.getState().joinRoom(rooms.at(-1)!, one.name);
    if (!joined.ok) throw new Error(joined.error.message);
  }
  return { people, rooms };
}

/** Everyone writes a message every SEND_EVERY_MS, staggered; returns what was written. */
function keepWriting(people: Person[]) {
  const written: string[] = [];
  const timers = people.map((one, n) => {
    let count = 0;
    const start = setTimeout(
      () => {
        timers[n] = setInterval(() => {
          const text = `${one.name} #${++count}`;
          written.push(text);
          void one.store.getState().sendMessage(text);
        }, SEND_EVERY_MS);
      },
      (SEND_EVERY_MS * n) / people.length,
    );
    return start as ReturnType<typeof setTimeout> | ReturnType<typeof setInterval>;
  });
  return { written, stop: () => timers.forEach((timer) => clearInterval(timer)) };
}

/** SIGTERM, and how the process ended and how long it took. */
async function stop(server: ServerProcess) {
  const signalledAt = Date.now();
  server.child.kill('SIGTERM');
  const code = await server.exited;
  return { code, tookMs: Date.now() - signalledAt };
}

/**
 * After the traffic: every person's outbox empties by itself (no message is left failed for a
 * click), every message written is stored exactly once, every acknowledged one is stored, and
 * every person's log holds the room's messages once each.
 */
async function expectNothingLostOrDoubled(
  people: Person[],
  rooms: string[],
  written: string[],
  read: StoredReader,
  stopServers: () => Promise<void>,
) {
  const status = () =>
    people
      .map((one) => {
        const state = one.store.getState();
        const pending = state.pending.map((item) => item.status).join(',');
        return `${one.name}: ${one.socket.connected ? 'up' : 'down'} pending=${pending}`;
      })
      .join('\n');
  await eventually(
    () => people.every((one) => one.socket.connected && one.store.getState().pending.length === 0),
    30_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${status()}`);
  });
  const userIds = (one: Person) =>
    (one.store.getState().room?.messages ?? []).filter((m) => m.kind === 'user').map((m) => m.id);
  // Live delivery settles: each room's logs agree once everything sent has arrived.
  await eventually(
    () =>
      rooms.every((_, r) => {
        const members = people.slice(r * PER_ROOM, (r + 1) * PER_ROOM);
        const first = JSON.stringify(userIds(members[0]!));
        return members.every((one) => JSON.stringify(userIds(one)) === first);
      }),
    30_000,
  );
  await stopServers();
  const stored = await read(rooms);

  const storedUser = rooms.flatMap((roomId) =>
    (stored.get(roomId) ?? []).filter((row) => row.client_id !== null),
  );
  const storedTexts = storedUser.map((row) => row.text);
  expect(storedTexts.length, 'no message stored twice').toBe(new Set(storedTexts).size);
  expect([...storedTexts].sort(), 'every message written is stored').toEqual([...written].sort());
  const storedIds = new Set(storedUser.map((row) => row.id));
  const acknowledged = people.flatMap((one) => one.acknowledged);
  expect(acknowledged.filter((message) => !storedIds.has(message.id))).toEqual([]);
  for (const [r, roomId] of rooms.entries()) {
    const roomIds = (stored.get(roomId) ?? [])
      .filter((row) => row.client_id !== null)
      .map((row) => row.id);
    for (const one of people.slice(r * PER_ROOM, (r + 1) * PER_ROOM)) {
      expect(userIds(one), `${one.name}'s log is the room's messages, once each`).toEqual(roomIds);
    }
  }
}

describe('a graceful stop under steady traffic on SQLite', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'livechat-stop-'));
  let server: ServerProcess | undefined;
  let people: Person[] = [];
  afterAll(async () => {
    for (const one of people) one.socket.disconnect();
    server?.child.kill('SIGKILL');
    await server?.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`exits 0 within ${STOP_WITHIN_MS} ms with ${PEOPLE} people sending, and the clients resend what was refused`, async () => {
    const port = await freePort();
    const env = { DATA_DIR: dataDir, RATE_LIMITS: 'off' };
    server = await startServerProcess(env, port);
    const seated = await seatPeople([server.url]);
    people = seated.people;
    const writing = keepWriting(people);
    await sleep(1_500);

    const stopped = await stop(server);
    expect(stopped.code, server.output()).toBe(0);
    expect(stopped.tookMs).toBeLessThan(STOP_WITHIN_MS);
    expect(server.output()).not.toContain('shutdown timed out');
    expect(server.output()).not.toContain('requests still in flight at shutdown');

    // People keep writing while the server is down; then it comes back on the same port.
    server = await startServerProcess(env, port);
    await sleep(1_000);
    writing.stop();
    const restarted = server;
    await expectNothingLostOrDoubled(
      people,
      seated.rooms,
      writing.written,
      sqliteMessages(dataDir),
      async () => void (await stop(restarted)),
    );
    const refusals = people.flatMap((one) => one.refusals);
    expect(refusals.filter(unexpectedRefusal)).toEqual([]);
    console.log(
      `stop under traffic: stopped in ${stopped.tookMs} ms, ${writing.written.length} written, ` +
        `${refusals.filter((code) => code === 'RESTARTING').length} refused as RESTARTING and ` +
        `${refusals.filter((code) => code === 'TIMEOUT').length} cut off by the closing ` +
        'connection, all sent again',
    );
  }, 90_000);
});

const databaseUrl = serviceUrl('DATABASE_URL');
const redisUrl = serviceUrl('REDIS_URL');

describe.skipIf(!databaseUrl || !redisUrl)(
  'a graceful stop under steady traffic, two processes on PostgreSQL and Redis',
  () => {
    let database: Awaited<ReturnType<typeof freshPostgresDatabase>> | undefined;
    const servers: ServerProcess[] = [];
    let people: Person[] = [];
    afterAll(async () => {
      for (const one of people) one.socket.disconnect();
      for (const server of servers) server.child.kill('SIGKILL');
      await Promise.all(servers.map((server) => server.exited));
      await database?.drop();
    });

    it('the stopping process exits 0 in time while the survivor keeps acknowledging', async () => {
      database = await freshPostgresDatabase(databaseUrl!);
      const env = {
        DATABASE_URL: database.url,
        REDIS_URL: redisUrl!,
        REDIS_KEY_PREFIX: `livechat-test-${randomUUID().slice(0, 8)}`,
        RATE_LIMITS: 'off',
      };
      const portA = await freePort();
      const [a, b] = await Promise.all([startServerProcess(env, portA), startServerProcess(env)]);
      servers.push(a!, b!);
      // Every room has members on both processes.
      const seated = await seatPeople([a!.url, b!.url]);
      people = seated.people;
      const onB = people.filter((_, n) => n % 2 === 1);
      const ackedOnB = () => onB.reduce((sum, one) => sum + one.acknowledged.length, 0);
      const writing = keepWriting(people);
      await sleep(1_500);

      const beforeStop = ackedOnB();
      const stopped = await stop(a!);
      expect(stopped.code, a!.output()).toBe(0);
      expect(stopped.tookMs).toBeLessThan(STOP_WITHIN_MS);
      // B went on answering its people while A stopped and while A is down.
      const duringStop = ackedOnB();
      await sleep(1_000);
      expect(duringStop).toBeGreaterThan(beforeStop);
      expect(ackedOnB()).toBeGreaterThan(duringStop);
      expect(onB.flatMap((one) => one.refusals)).toEqual([]);

      const again = await startServerProcess(env, portA);
      servers.push(again);
      await sleep(1_000);
      writing.stop();
      await expectNothingLostOrDoubled(
        people,
        seated.rooms,
        writing.written,
        postgresMessages(database.url),
        async () => {
          await Promise.all([stop(again), stop(b!)]);
        },
      );
      expect(people.flatMap((one) => one.refusals).filter(unexpectedRefusal)).toEqual([]);
    }, 90_000);
  },
);
