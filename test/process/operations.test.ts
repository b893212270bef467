import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../lib/protocol/definitions';
import type { Result } from '../../lib/protocol/errors';
import { ClientEvent, ServerEvent } from '../../lib/protocol/events';
import { connectTestClient, eventually, expectOk, type TestClient } from '../helpers/chat-harness';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { freshPostgresDatabase, serviceUrl } from '../helpers/services';

const ADMIN_TOKEN = 'test-admin-token-0123456789';
const run = promisify(execFile);

describe('operating the server', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'livechat-ops-'));
  const env = { DATA_DIR: dataDir, ADMIN_TOKEN, SHUTDOWN_TIMEOUT_SECONDS: '5' };
  let server: ServerProcess;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    server = await startServerProcess(env);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    server.child.kill('SIGKILL');
    await server.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs one JSON line per connection, room created, join, leave and room deleted, without message text', async () => {
    const client = await connectTestClient(server.url);
    clients.push(client);
    const { roomId } = expectOk(await client.request(ClientEvent.RoomCreate, {}));
    await client.request(ClientEvent.RoomJoin, { roomId, nickname: 'Logger' });
    await client.request(ClientEvent.MessageSend, {
      roomId,
      clientId: randomUUID(),
      text: 'secret words',
    });
    expectOk(await client.request(ClientEvent.RoomLeave, { roomId }));
    const parse = () =>
      server
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    // Log lines are written asynchronously: the last may follow the acknowledgement.
    await eventually(() =>
      parse().some((entry) => entry.msg === 'room deleted' && entry.roomId === roomId),
    );
    const lines = parse();
    const who = { sessionId: expect.any(String), address: expect.stringMatching(/127\.0\.0\.1/) };
    const line = (msg: string) =>
      lines.find((entry) => entry.msg === msg && entry.roomId === roomId);
    expect(lines.find((entry) => entry.msg === 'connected')).toMatchObject(who);
    expect(line('room created')).toMatchObject({ ...who, time: expect.any(Number) });
    expect(line('member joined')).toMatchObject(who);
    expect(line('member left')).toMatchObject({ ...who, reason: 'left' });
    expect(line('room deleted')).toMatchObject({ reason: 'last member left' });
    expect(server.output()).not.toContain('secret words');
  });

  it('counts messages in /metrics', async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/^livechat_messages_received_total [1-9]/m);
    expect(text).toMatch(/^livechat_connected_sockets [1-9]/m);
    expect(text).toMatch(/livechat_ack_latency_seconds_count\{event="message:send"\} [1-9]/);
  });

  it('`npm run announce` reaches every connected client', async () => {
    const listener = await connectTestClient(server.url);
    clients.push(listener);
    const heard = listener.next<{ text: string }>(ServerEvent.Announcement);
    const { stdout } = await run(
      'npm',
      ['run', '--silent', 'announce', '--', 'Back in 5 minutes'],
      {
        env: { ...process.env, ADMIN_TOKEN, LIVECHAT_URL: server.url },
      },
    );
    expect(stdout).toContain('Announcement sent.');
    expect(await heard).toMatchObject({ text: 'Back in 5 minutes' });
  });
});

/** A backend for the server process: its environment, and how to clean up after it. */
interface Backend {
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

const databaseUrl = serviceUrl('DATABASE_URL');
const backends: Array<[string, () => Promise<Backend>]> = [
  [
    'SQLite',
    async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'livechat-drain-'));
      return {
        env: { DATA_DIR: dataDir },
        cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
      };
    },
  ],
];
// On PostgreSQL every send waits on the network, so requests are still being handled when
// the signal arrives and the drain really has to wait for them.
if (databaseUrl) {
  backends.push([
    'PostgreSQL',
    async () => {
      const database = await freshPostgresDatabase(databaseUrl);
      return { env: { DATABASE_URL: database.url }, cleanup: database.drop };
    },
  ]);
}

const SHUTDOWN_TIMEOUT_SECONDS = 5;
const IN_FLIGHT = 40;

/** A new client's first request (the Engine.IO handshake): its status and body, or why not. */
async function handshake(url: string): Promise<{ status: number; body: string } | Error> {
  try {
    const response = await fetch(`${url}/socket.io/?EIO=4&transport=polling`);
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return error as Error;
  }
}

describe.each(backends)('a graceful stop on %s', (_name, makeBackend) => {
  let backend: Backend;
  let server: ServerProcess | undefined;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    backend = await makeBackend();
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    server?.child.kill('SIGKILL');
    await server?.exited;
    await backend.cleanup();
  });

  it('SIGTERM drains: answers every request in flight, refuses newcomers, exits 0, loses nothing', async () => {
    const env = {
      ...backend.env,
      SHUTDOWN_TIMEOUT_SECONDS: String(SHUTDOWN_TIMEOUT_SECONDS),
      // Every request must be answered ok; a rate limit would refuse part of the burst.
      RATE_LIMITS: 'off',
    };
    server = await startServerProcess(env);
    const running = server;
    const sender = await connectTestClient(running.url);
    clients.push(sender);
    const { roomId } = expectOk(await sender.request(ClientEvent.RoomCreate, {}));
    expectOk(await sender.request(ClientEvent.RoomJoin, { roomId, nickname: 'Sender' }));
    const told = sender.next(ServerEvent.Restarting);
    const closed = new Promise<string>((resolve) => sender.socket.once('disconnect', resolve));

    // A burst of sends; SIGTERM goes out from inside the first acknowledgement, so every
    // other request of the burst is on its way or being handled when the signal arrives.
    const clientIds = Array.from({ length: IN_FLIGHT }, () => randomUUID());
    const answers = new Map<string, Result<{ message: Message }> | Error>();
    let signalledAt = 0;
    let unansweredAtSignal: string[] = [];
    const everyAnswer = new Promise<void>((resolve) => {
      for (const [n, clientId] of clientIds.entries()) {
        sender.socket
          .timeout(10_000)
          .emit(
            ClientEvent.MessageSend,
            { roomId, clientId, text: `in flight ${n}` },
            (error: Error | null, reply?: Result<{ message: Message }>) => {
              answers.set(clientId, error ?? reply!);
              if (signalledAt === 0) {
                unansweredAtSignal = clientIds.filter((id) => !answers.has(id));
                running.child.kill('SIGTERM');
                signalledAt = Date.now();
              }
              if (answers.size === clientIds.length) resolve();
            },
          );
      }
    });

    // A newcomer during the drain is turned away: by the server itself while it still
    // listens, or by a closed port once it has stopped listening; never let in.
    const drainLogged = async () => {
      const deadline = Date.now() + 5_000;
      while (!running.output().includes('"msg":"shutting down"')) {
        if (Date.now() > deadline) throw new Error(`no shutdown log:\n${running.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    };
    await drainLogged();
    const newcomer = await handshake(running.url);

    await everyAnswer;
    expect(unansweredAtSignal.length).toBeGreaterThan(0);
    for (const clientId of unansweredAtSignal) {
      const answer = answers.get(clientId);
      expect(answer, `the answer to ${clientId}`).toMatchObject({ ok: true });
    }
    if (newcomer instanceof Error) {
      expect(newcomer.message).toMatch(/fetch failed/);
    } else {
      expect(newcomer).toEqual({
        status: 403,
        body: JSON.stringify({ code: 4, message: 'The server is restarting' }),
      });
    }
    await told;
    // The transport closed (not a server-side disconnect), so Socket.IO clients reconnect.
    expect(await closed).toBe('transport close');
    expect(await running.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(SHUTDOWN_TIMEOUT_SECONDS * 1000);
    expect(running.output()).not.toContain('shutdown timed out');
    expect(running.output()).not.toContain('requests still in flight at shutdown');

    // After the restart the history holds exactly the acknowledged messages, by ID.
    const acknowledged = clientIds.map((clientId) => {
      const answer = answers.get(clientId);
      if (answer instanceof Error || !answer?.ok) throw new Error(`no ok answer for ${clientId}`);
      return answer.message;
    });
    server = await startServerProcess(env);
    const again = await connectTestClient(server.url, { token: sender.token });
    clients.push(again);
    expectOk(await again.request(ClientEvent.RoomJoin, { roomId, nickname: 'Sender' }));
    const history = expectOk(
      await again.request(ClientEvent.MessageHistory, { roomId, afterSeq: 0, limit: 100 }),
    );
    const storedUser = history.messages.filter((message) => message.kind === 'user');
    expect(storedUser.map((message) => message.id).sort()).toEqual(
      acknowledged.map((message) => message.id).sort(),
    );
    const byId = new Map(storedUser.map((message) => [message.id, message]));
    for (const message of acknowledged) expect(byId.get(message.id)).toEqual(message);
  });
});
