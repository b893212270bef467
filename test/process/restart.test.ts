import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent } from '../../lib/protocol/events';
import { connectTestClient, expectOk, type TestClient } from '../helpers/chat-harness';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { freshPostgresDatabase, serviceUrl } from '../helpers/services';

/** A backend for the server process: its environment, and how to clean up after it. */
interface Backend {
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

async function sqliteBackend(): Promise<Backend> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'livechat-restart-'));
  return {
    env: { DATA_DIR: dataDir },
    cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

async function postgresBackend(adminUrl: string): Promise<Backend> {
  const database = await freshPostgresDatabase(adminUrl);
  return { env: { DATABASE_URL: database.url }, cleanup: database.drop };
}

const databaseUrl = serviceUrl('DATABASE_URL');
const backends: Array<[string, () => Promise<Backend>]> = [['SQLite', sqliteBackend]];
if (databaseUrl) backends.push(['PostgreSQL', () => postgresBackend(databaseUrl)]);

async function join(client: TestClient, roomId: string, nickname: string) {
  return expectOk(await client.request(ClientEvent.RoomJoin, { roomId, nickname }));
}

describe.each(backends)('a restart of the server on %s', (_name, makeBackend) => {
  let backend: Backend;
  let server: ServerProcess | undefined;
  const clients: TestClient[] = [];
  const connect = async (token?: string) => {
    const client = await connectTestClient(server!.url, { token });
    clients.push(client);
    return client;
  };
  const restart = async () => {
    server = await startServerProcess({ ...backend.env, MEMBER_GRACE_SECONDS: '30' });
  };

  beforeAll(async () => {
    backend = await makeBackend();
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    server?.child.kill('SIGKILL');
    await server?.exited;
    await backend.cleanup();
  });

  it('keeps rooms, history, search, sessions and nicknames across SIGTERM and kill -9', async () => {
    await restart();
    const alice = await connect();
    const bob = await connect();
    const { roomId } = expectOk(await alice.request(ClientEvent.RoomCreate, {}));
    await join(alice, roomId, 'Alice');
    await join(bob, roomId, 'Bob');
    const sent = expectOk(
      await alice.request(ClientEvent.MessageSend, {
        roomId,
        clientId: randomUUID(),
        text: 'before the restart',
      }),
    ).message;

    // A graceful stop exits 0.
    server!.child.kill('SIGTERM');
    expect(await server!.exited).toBe(0);
    await restart();

    // The same sessions come back to the same nicknames, unannounced, with the history.
    const aliceAgain = await connect(alice.token);
    const rejoined = await join(aliceAgain, roomId, 'Alice');
    // The same author key too: the key it is made with is kept in the database.
    expect(rejoined.self).toEqual({ nickname: 'Alice', authorKey: sent.authorKey });
    expect(rejoined.messages.map((m) => m.text)).toEqual([
      'Alice joined',
      'Bob joined',
      'before the restart',
    ]);
    expect(rejoined.messages[2]).toEqual(sent);
    const mallory = await connect();
    const taken = await mallory.request(ClientEvent.RoomJoin, { roomId, nickname: 'bob' });
    expect(taken).toMatchObject({ ok: false, error: { code: 'NICKNAME_TAKEN' } });

    // kill -9 right after an acknowledgement loses nothing that was acknowledged.
    const bobAgain = await connect(bob.token);
    await join(bobAgain, roomId, 'Bob');
    const acked = expectOk(
      await bobAgain.request(ClientEvent.MessageSend, {
        roomId,
        clientId: randomUUID(),
        text: 'acknowledged, then the server died',
      }),
    ).message;
    server!.child.kill('SIGKILL');
    expect(await server!.exited).toBe('SIGKILL');
    await restart();

    const aliceThird = await connect(alice.token);
    const afterCrash = await join(aliceThird, roomId, 'Alice');
    expect(afterCrash.messages.at(-1)).toEqual(acked);
    // ...and the search index, written in the same transaction, finds it.
    const found = expectOk(
      await aliceThird.request(ClientEvent.MessageSearch, { roomId, query: 'died' }),
    );
    expect(found.messages).toEqual([acked]);
    const seqs = afterCrash.messages.map((m) => m.seq);
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));
  });
});
