import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../lib/protocol/definitions';
import { ClientEvent, ServerEvent } from '../../lib/protocol/events';
import { connectTestClient, eventually, expectOk, type TestClient } from '../helpers/chat-harness';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/server-process';
import { freshPostgresDatabase, serviceUrl } from '../helpers/services';

const nginxFound = spawnSync('nginx', ['-v']).status === 0;
if (!nginxFound) {
  if (process.env.CI) throw new Error('nginx must be installed when CI is set');
  console.warn('\n⚠ nginx is not installed: skipping the reverse-proxy test.\n');
}
const databaseUrl = serviceUrl('DATABASE_URL');
const redisUrl = serviceUrl('REDIS_URL');
const ROOT = path.resolve(__dirname, '../..');

/** deploy/nginx.conf inside a minimal main configuration, with this run's ports. */
function nginxConfig(dir: string, listen: number, upstreams: number[]): string {
  const site = readFileSync(path.join(ROOT, 'deploy/nginx.conf'), 'utf8')
    .replace('listen 8080;', `listen 127.0.0.1:${listen};`)
    .replace('server 127.0.0.1:3001;', `server 127.0.0.1:${upstreams[0]};`)
    .replace('server 127.0.0.1:3002;', `server 127.0.0.1:${upstreams[1]};`);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `${kind}_temp_path ${dir}/${kind};`)
    .join('\n  ');
  return `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  ${temp}
${site}
}
`;
}

describe.skipIf(!nginxFound || !databaseUrl || !redisUrl)('two processes behind nginx', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'livechat-nginx-'));
  let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  let servers: ServerProcess[] = [];
  let nginx: ChildProcess;
  let proxyUrl = '';
  const clients: TestClient[] = [];

  beforeAll(async () => {
    database = await freshPostgresDatabase(databaseUrl!);
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl!,
      TRUST_PROXY: 'true',
      // Other test files may run processes on the same Redis at the same time.
      REDIS_KEY_PREFIX: `livechat-test-${randomUUID().slice(0, 8)}`,
    };
    servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    const listen = await freePort();
    writeFileSync(
      path.join(dir, 'nginx.conf'),
      nginxConfig(
        dir,
        listen,
        servers.map((s) => s.port),
      ),
    );
    nginx = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
      stdio: 'ignore',
    });
    proxyUrl = `http://127.0.0.1:${listen}`;
    await eventually(
      async () => (await fetch(`${proxyUrl}/healthz`).catch(() => null))?.ok ?? false,
    );
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    nginx?.kill('SIGTERM');
    for (const server of servers) server.child.kill('SIGKILL');
    await Promise.all(servers.map((server) => server.exited));
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The index of the one server process that logged this client's connection. */
  async function processOf(client: TestClient): Promise<number> {
    const socketId = client.socket.id;
    const logged = (server: ServerProcess) =>
      server
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .some((line) => {
          const entry = JSON.parse(line) as { msg?: string; socketId?: string };
          return entry.msg === 'connected' && entry.socketId === socketId;
        });
    await eventually(() => servers.some(logged));
    const found = servers.flatMap((server, index) => (logged(server) ? [index] : []));
    expect(found, `the processes that logged socket ${socketId}`).toHaveLength(1);
    return found[0]!;
  }

  it('serves pages, WebSocket and long-polling clients, who chat with a member on another process', async () => {
    const page = await fetch(`${proxyUrl}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('livechat');

    const overWebSocket = await connectTestClient(proxyUrl);
    // Long polling needs every request of a session on one process: the sticky upstream.
    const overPolling = await connectTestClient(proxyUrl, { transports: ['polling'] });
    clients.push(overWebSocket, overPolling);
    // Which process nginx chose for each, from that process's own connection log; the direct
    // client then goes to the other one, so every message below crosses processes.
    const viaWebSocket = await processOf(overWebSocket);
    // Long polling's requests all reached one process (processOf checks that only one logged it).
    await processOf(overPolling);
    const other = 1 - viaWebSocket;
    const direct = await connectTestClient(servers[other]!.url);
    clients.push(direct);
    expect(await processOf(direct)).toBe(other);

    const { roomId } = expectOk(await overWebSocket.request(ClientEvent.RoomCreate, {}));
    for (const [client, nickname] of [
      [overWebSocket, 'Wes'],
      [overPolling, 'Polly'],
      [direct, 'Dee'],
    ] as const) {
      expectOk(await client.request(ClientEvent.RoomJoin, { roomId, nickname }));
    }
    for (const [sender, text] of [
      [overPolling, 'polling says hi'],
      [direct, 'direct says hi'],
      [overWebSocket, 'websocket says hi'],
    ] as const) {
      const arrivals = [overWebSocket, overPolling, direct].map((client) =>
        client.next<Message>(ServerEvent.MessageNew, (message) => message.text === text),
      );
      expectOk(
        await sender.request(ClientEvent.MessageSend, { roomId, clientId: randomUUID(), text }),
      );
      await Promise.all(arrivals);
    }
  });
});
