import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent, ServerEvent } from '../../lib/protocol/events';
import { connectTestClient, expectOk, type TestClient } from '../helpers/chat-harness';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';

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

  it('logs one JSON line per connection and join, without message text', async () => {
    const client = await connectTestClient(server.url);
    clients.push(client);
    const { roomId } = expectOk(await client.request(ClientEvent.RoomCreate, {}));
    await client.request(ClientEvent.RoomJoin, { roomId, nickname: 'Logger' });
    await client.request(ClientEvent.MessageSend, {
      roomId,
      clientId: randomUUID(),
      text: 'secret words',
    });
    const lines = server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const connected = lines.find((line) => line.msg === 'connected');
    expect(connected).toMatchObject({ address: expect.any(String), sessionId: expect.any(String) });
    expect(lines.find((line) => line.msg === 'member joined')).toMatchObject({ roomId });
    expect(lines.find((line) => line.msg === 'room created')).toMatchObject({ roomId });
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

  it('SIGTERM drains: answers what is in flight, tells clients, exits 0, loses nothing', async () => {
    const sender = await connectTestClient(server.url);
    clients.push(sender);
    const { roomId } = expectOk(await sender.request(ClientEvent.RoomCreate, {}));
    await sender.request(ClientEvent.RoomJoin, { roomId, nickname: 'Sender' });
    const told = sender.next(ServerEvent.Restarting);
    const closed = new Promise<string>((resolve) => sender.socket.once('disconnect', resolve));

    const sends = Array.from({ length: 20 }, (_, n) =>
      sender.request(ClientEvent.MessageSend, { roomId, clientId: randomUUID(), text: `m${n}` }),
    );
    const started = Date.now();
    server.child.kill('SIGTERM');
    const acked = (await Promise.allSettled(sends)).filter(
      (result) => result.status === 'fulfilled' && result.value.ok,
    ).length;
    await told;
    // The transport closed (not a server-side disconnect), so Socket.IO clients reconnect.
    expect(await closed).toBe('transport close');
    expect(await server.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);

    server = await startServerProcess(env);
    const again = await connectTestClient(server.url, { token: sender.token });
    clients.push(again);
    const rejoined = expectOk(await again.request(ClientEvent.RoomJoin, { roomId, nickname: 'x' }));
    const stored = rejoined.messages.filter((message) => message.kind === 'user').length;
    expect(stored).toBeGreaterThanOrEqual(acked);
  });
});
