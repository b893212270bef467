import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ClientEvent } from '../../lib/protocol/events';
import { connectTestClient, eventually, expectOk } from '../helpers/chat-harness';
import { freePort } from '../helpers/server-process';

const ROOT = path.resolve(__dirname, '../..');
/** A component the landing page renders: editing it must reach the page as a hot update. */
const EDITED = path.join(ROOT, 'components/brand-mark.tsx');

/**
 * `npm run dev` serves pages, Next's hot-reload socket and the chat socket on one port: an
 * edit reaches the page as a hot update while the chat connection carries on.
 */
describe('the development server', () => {
  let port = 0;
  let output = '';
  let dataDir = '';
  let child: ReturnType<typeof spawn>;
  let exited: Promise<number | null>;

  beforeAll(async () => {
    port = await freePort();
    dataDir = mkdtempSync(path.join(tmpdir(), 'livechat-dev-'));
    child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['server.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'development',
        NEXT_TELEMETRY_DISABLED: '1',
        PORT: String(port),
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    await eventually(() => {
      if (child.exitCode !== null) throw new Error(`dev server exited:\n${output}`);
      return output.includes('livechat ready');
    }, 60_000);
  }, 90_000);

  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('hot-reloads an edited component while the chat socket stays connected, then stops cleanly', async () => {
    const base = `http://localhost:${port}`;
    expect((await fetch(base)).status).toBe(200);

    const chat = await connectTestClient(base);
    const { roomId } = expectOk(await chat.request(ClientEvent.RoomCreate, {}));
    expectOk(await chat.request(ClientEvent.RoomJoin, { roomId, nickname: 'Dev' }));

    const hmr = new WebSocket(`ws://localhost:${port}/_next/hmr?id=test`);
    const hmrMessages: Array<{ type?: string }> = [];
    hmr.on('message', (data) => hmrMessages.push(JSON.parse(String(data)) as { type?: string }));
    await eventually(() => hmrMessages.some((message) => message.type === 'sync'), 30_000);

    const original = readFileSync(EDITED, 'utf8');
    const before = hmrMessages.length;
    try {
      writeFileSync(EDITED, `${original}\n// edited by the dev server test\n`);
      await eventually(
        () => hmrMessages.slice(before).some((message) => message.type === 'built'),
        30_000,
      );
    } finally {
      writeFileSync(EDITED, original);
    }

    expect(chat.socket.connected).toBe(true);
    const sent = await chat.request(ClientEvent.MessageSend, {
      roomId,
      clientId: '0b6c2f3e-6d0e-4c55-9b7e-1f2a3b4c5d6e',
      text: 'still here',
    });
    expect(sent).toMatchObject({ ok: true });
    chat.close();
    hmr.close();

    // A graceful stop works in development too (the hot-reload socket does not hold it open).
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);
});
