/**
 * What an attacker tried against the production build (`node dist/server.js`), one test per
 * attack, each through a real socket or HTTP request. Every test asserts the refusal and that
 * the stored data (rooms, members, messages) is exactly as before. docs/security.md lists
 * these attacks with what each shows.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NicknameSentence } from '../../lib/protocol/input-errors';
import { ClientEvent, ServerEvent } from '../../lib/protocol/events';
import { MAX_PACKET_BYTES } from '../../lib/protocol/limits';
import { SESSION_COOKIE, sessionIdOf } from '../../lib/server/sessions';
import { SQLITE_FILE } from '../../lib/store/sqlite-store';
import { connectTestClient, expectOk, type TestClient } from '../helpers/chat-harness';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';

const ADMIN_TOKEN = 'admin-token-for-the-attack-suite';
const METRICS_TOKEN = 'metrics-token-for-the-attack-suite';
const FOREIGN_ORIGIN = 'https://evil.example';

let server: ServerProcess;
let dataDir: string;
/** Alice, a member of `roomId`, who has said one thing. */
let alice: TestClient;
let roomId: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'livechat-attacks-'));
  server = await startServerProcess({
    DATA_DIR: dataDir,
    ADMIN_TOKEN,
    METRICS_TOKEN,
    // The attacks come from one address, many times: flood control is tested elsewhere.
    RATE_LIMIT_JOINS_PER_MINUTE: '10000',
    RATE_LIMIT_IP_MULTIPLIER: '100',
  });
  alice = await connectTestClient(server.url);
  roomId = expectOk(await alice.request(ClientEvent.RoomCreate, {})).roomId;
  expectOk(await alice.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' }));
  expectOk(
    await alice.request(ClientEvent.MessageSend, { roomId, clientId: randomUUID(), text: 'hi' }),
  );
});

afterAll(async () => {
  alice?.close();
  server?.child.kill('SIGTERM');
  await server?.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

/** Everything stored that an attack could change, read from the server's database file. */
function stored(): string {
  const db = new Database(path.join(dataDir, SQLITE_FILE), { readonly: true });
  try {
    return JSON.stringify({
      rooms: db.prepare('SELECT * FROM rooms ORDER BY room_id').all(),
      members: db.prepare('SELECT * FROM members ORDER BY room_id, session_id').all(),
      messages: db.prepare('SELECT * FROM messages ORDER BY room_id, seq').all(),
    });
  } finally {
    db.close();
  }
}

/** Runs `attack` and asserts that nothing stored changed. */
async function storedDataUnchanged(attack: () => Promise<void>): Promise<void> {
  const before = stored();
  await attack();
  // Anything the attack set off has been handled once Alice's next request is answered.
  expectOk(await alice.request(ClientEvent.Ping, {}));
  expect(stored()).toBe(before);
}

/** What a refused connection attempt failed with. */
async function refusedConnection(options: Parameters<typeof connectTestClient>[1]) {
  return connectTestClient(server.url, options).then(
    (client) => {
      client.close();
      throw new Error('expected the connection to be refused');
    },
    (error: unknown) => error as Error,
  );
}

/** The error code a request from `client` is refused with. */
async function refusal(client: TestClient, event: string, payload?: unknown): Promise<string> {
  const reply = (await client.request(
    event as typeof ClientEvent.Ping,
    ...(payload === undefined ? [] : [payload]),
  )) as { ok: boolean; error?: { code: string } };
  expect(reply.ok, `${event} should be refused`).toBe(false);
  return reply.error!.code;
}

describe('identity', () => {
  it('a forged session cookie gets a new session, not a member’s', async () => {
    await storedDataUnchanged(async () => {
      const forged = `${'A'.repeat(32)}.${'B'.repeat(43)}`;
      const mallory = await connectTestClient(server.url, {
        extraHeaders: { cookie: `${SESSION_COOKIE}=${forged}` },
      });
      expect(mallory.token).not.toBe(forged);
      expect(await refusal(mallory, ClientEvent.MessageSend, say('forged'))).toBe('NOT_IN_ROOM');
      mallory.close();
    });
  });

  it('Alice’s token with one character of its signature changed is not Alice', async () => {
    await storedDataUnchanged(async () => {
      const last = alice.token.at(-1) === 'A' ? 'B' : 'A';
      const tampered = `${alice.token.slice(0, -1)}${last}`;
      for (const options of [
        { extraHeaders: { cookie: `${SESSION_COOKIE}=${tampered}` } },
        { token: tampered },
      ]) {
        const mallory = await connectTestClient(server.url, options);
        expect(await refusal(mallory, ClientEvent.MessageSend, say('tampered'))).toBe(
          'NOT_IN_ROOM',
        );
        mallory.close();
      }
    });
  });

  it('the session ID as stored (a leaked database row) does not work as a token', async () => {
    await storedDataUnchanged(async () => {
      const mallory = await connectTestClient(server.url, { token: sessionIdOf(alice.token) });
      expect(await refusal(mallory, ClientEvent.MessageSend, say('leaked'))).toBe('NOT_IN_ROOM');
      mallory.close();
    });
  });

  it('naming another session in a payload is refused as an unknown field', async () => {
    await storedDataUnchanged(async () => {
      const mallory = await connectTestClient(server.url);
      const payload = { ...say('as Alice'), sessionId: sessionIdOf(alice.token) };
      expect(await refusal(mallory, ClientEvent.MessageSend, payload)).toBe('INVALID_INPUT');
      mallory.close();
    });
  });
});

describe('a room not joined', () => {
  it('cannot be written to, read, renamed in or typed in', async () => {
    await storedDataUnchanged(async () => {
      const mallory = await connectTestClient(server.url);
      expect(await refusal(mallory, ClientEvent.MessageSend, say('sneaky'))).toBe('NOT_IN_ROOM');
      expect(await refusal(mallory, ClientEvent.MessageHistory, { roomId, limit: 50 })).toBe(
        'NOT_IN_ROOM',
      );
      expect(
        await refusal(mallory, ClientEvent.NicknameChange, { roomId, nickname: 'Mallory' }),
      ).toBe('NOT_IN_ROOM');
      expect(await refusal(mallory, ClientEvent.TypingSet, { roomId, typing: true })).toBe(
        'NOT_IN_ROOM',
      );
      expect(await refusal(mallory, ClientEvent.RoomLeave, { roomId })).toBe('NOT_IN_ROOM');
      mallory.close();
    });
    expect(alice.received(ServerEvent.TypingUpdate)).toEqual([]);
  });
});

describe('cross-site requests', () => {
  it('a socket from a foreign Origin is refused, over WebSocket and over polling', async () => {
    await storedDataUnchanged(async () => {
      for (const transports of [['websocket'], ['polling']] as const) {
        const error = await refusedConnection({
          transports: [...transports],
          extraHeaders: { origin: FOREIGN_ORIGIN, cookie: `${SESSION_COOKIE}=${alice.token}` },
        });
        expect(error.message, transports[0]).toMatch(/error/);
      }
    });
  });

  it('a socket without Origin (not a browser) is served, as a new session', async () => {
    await storedDataUnchanged(async () => {
      const script = await connectTestClient(server.url);
      expect(script.token).not.toBe(alice.token);
      expect(await refusal(script, ClientEvent.MessageSend, say('script'))).toBe('NOT_IN_ROOM');
      script.close();
    });
  });

  it('a cross-site form POST reaches no endpoint', async () => {
    await storedDataUnchanged(async () => {
      for (const address of [
        '/',
        `/rooms/${roomId}`,
        '/admin/announce',
        '/metrics',
        '/healthz',
        '/health',
        '/readyz',
        '/lobby',
      ]) {
        const response = await fetch(`${server.url}${address}`, {
          method: 'POST',
          headers: {
            origin: FOREIGN_ORIGIN,
            'content-type': 'application/x-www-form-urlencoded',
            cookie: `${SESSION_COOKIE}=${alice.token}`,
          },
          body: 'text=pwned',
        });
        expect([401, 405], address).toContain(response.status);
        expect(response.headers.get('set-cookie'), address).toBeNull();
      }
    });
    expect(alice.received(ServerEvent.Announcement)).toEqual([]);
  });
});

describe('operator endpoints', () => {
  const announce = (authorization?: string, query = '') =>
    fetch(`${server.url}/admin/announce${query}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(authorization ? { authorization } : {}),
      },
      body: JSON.stringify({ text: 'pwned' }),
    });

  it('announcing needs the admin token: none, a wrong one, one in the query are refused', async () => {
    await storedDataUnchanged(async () => {
      expect((await announce()).status).toBe(401);
      expect((await announce(`Bearer ${ADMIN_TOKEN.slice(0, -1)}x`)).status).toBe(401);
      expect((await announce(`Bearer ${ADMIN_TOKEN}${ADMIN_TOKEN}`)).status).toBe(401);
      expect((await announce(`Basic ${ADMIN_TOKEN}`)).status).toBe(401);
      expect((await announce(undefined, `?token=${ADMIN_TOKEN}`)).status).toBe(401);
    });
    expect(alice.received(ServerEvent.Announcement)).toEqual([]);
    // The right token works, so the refusals above are the token's doing.
    const heard = alice.next<{ text: string }>(ServerEvent.Announcement);
    expect((await announce(`Bearer ${ADMIN_TOKEN}`)).status).toBe(202);
    expect((await heard).text).toBe('pwned');
  });

  it('metrics need the metrics token', async () => {
    const metrics = (authorization?: string) =>
      fetch(`${server.url}/metrics`, { headers: authorization ? { authorization } : {} });
    expect((await metrics()).status).toBe(401);
    expect((await metrics(`Bearer ${ADMIN_TOKEN}`)).status).toBe(401);
    expect((await metrics(`Bearer ${METRICS_TOKEN}`)).status).toBe(200);
  });
});

describe('static routes', () => {
  it('path traversal reaches no file outside the app’s assets', async () => {
    for (const address of [
      '/_next/static/../../../../etc/passwd',
      '/_next/static/..%2f..%2f..%2fpackage.json',
      '/_next/static/%2e%2e/%2e%2e/package.json',
      '/_next/static/chunks/..%2f..%2f..%2f.env',
      '/..%2f..%2fetc%2fpasswd',
      `/rooms/..%2f..%2fpackage.json`,
      '/favicon.ico/..%2f..%2fpackage.json',
      '/_next/image?url=file:///etc/passwd&w=64&q=75',
      '/_next/image?url=/etc/passwd&w=64&q=75',
    ]) {
      const body = await rawGet(address);
      expect(body.status, address).toBeGreaterThanOrEqual(400);
      expect(body.text, address).not.toMatch(/root:x:|"name": "livechat"|DATABASE_URL/);
    }
  });
});

describe('hostile payloads', () => {
  it('prototype-pollution keys are refused and pollute nothing', async () => {
    await storedDataUnchanged(async () => {
      const mallory = await connectTestClient(server.url);
      const polluting = JSON.parse(
        `{"roomId": "${roomId}", "nickname": "Mallory", "__proto__": {"clientId": "${randomUUID()}", "text": "polluted", "public": true}}`,
      ) as object;
      for (const event of [ClientEvent.RoomJoin, ClientEvent.RoomCreate, ClientEvent.Ping]) {
        expect(await refusal(mallory, event, polluting)).toBe('INVALID_INPUT');
      }
      for (const key of ['constructor', 'prototype']) {
        const payload = { roomId, nickname: 'Mallory', [key]: { clientId: randomUUID() } };
        expect(await refusal(mallory, ClientEvent.RoomJoin, payload)).toBe('INVALID_INPUT');
      }
      // Had any of it reached Object.prototype, a send without clientId or text would pass.
      expect(await refusal(alice, ClientEvent.MessageSend, { roomId })).toBe('INVALID_INPUT');
      mallory.close();
    });
  });

  it('look-alike and invisible-character nicknames are refused', async () => {
    await storedDataUnchanged(async () => {
      const mallory = await connectTestClient(server.url);
      const join = (nickname: string) =>
        mallory.request(ClientEvent.RoomJoin, { roomId, nickname }) as Promise<{
          ok: boolean;
          error?: { code: string; message: string };
        }>;
      expect(await join('\u0410lice')).toMatchObject({
        error: { code: 'INVALID_INPUT', message: NicknameSentence.mixedAlphabets },
      });
      for (const nickname of ['AIice', 'A1ice', 'ALICE', 'Ａｌｉｃｅ', '\u0430lice']) {
        expect((await join(nickname)).error?.code, nickname).toMatch(/NICKNAME_TAKEN|INVALID/);
      }
      for (const nickname of ['Al\u200bice', 'Alice\u202e', '\u2066Alice', 'Ali\u00adce']) {
        expect(await join(nickname), JSON.stringify(nickname)).toMatchObject({
          error: { code: 'INVALID_INPUT' },
        });
      }
      mallory.close();
    });
  });

  it('an oversized packet closes only the sender’s connection', async () => {
    await storedDataUnchanged(async () => {
      const mallory = await connectTestClient(server.url);
      const closed = new Promise<string>((resolve) => mallory.socket.once('disconnect', resolve));
      const answer = mallory.request(ClientEvent.MessageSend, say('x'.repeat(MAX_PACKET_BYTES)));
      answer.catch(() => {});
      expect(await closed).toBe('transport close');
    });
    expect(alice.socket.connected).toBe(true);
  });

  it('a deeply nested payload is refused and the server keeps serving', async () => {
    await storedDataUnchanged(async () => {
      const mallory = await connectTestClient(server.url);
      let nested: unknown = 'bottom';
      for (let depth = 0; depth < 5_000; depth++) nested = [nested];
      const closed = new Promise<string>((resolve) => mallory.socket.once('disconnect', resolve));
      const answer = mallory.request(ClientEvent.MessageSend, { ...say('deep'), text: nested });
      const outcome = await Promise.race([answer.catch(() => 'no answer'), closed]);
      if (typeof outcome === 'object') {
        expect(outcome).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      }
      mallory.close();
    });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

/** A `message:send` payload for the room. */
function say(text: string) {
  return { roomId, clientId: randomUUID(), text };
}

/** GET without the URL being normalised first (fetch would resolve `..`). */
async function rawGet(address: string): Promise<{ status: number; text: string }> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}/`, { path: address }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}
