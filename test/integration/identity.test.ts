import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientEvent, ServerEvent } from '../../lib/protocol/events';
import { ensureSessionCookie } from '../../lib/server/session-cookie';
import { connectTestClient, expectOk, startHarness, type Harness } from '../helpers/chat-harness';

/** A session token: a 192-bit random nonce and its HMAC-SHA256 signature, both base64url. */
const TOKEN = /^[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{43}$/;

describe('anonymous sessions', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(() => harness.close());

  it('a client with neither cookie nor token is issued a signed token in a session event', async () => {
    const client = await harness.connect();
    expect(client.token).toMatch(TOKEN);
    expect(client.received(ServerEvent.Session)).toHaveLength(1);
  });

  it('keeps the address from the opening request but not the request itself', async () => {
    await harness.connect();
    const [socket] = await harness.chat.io.fetchSockets();
    expect(socket!.data.address).toBe('127.0.0.1');
    const local = harness.chat.io.sockets.sockets.get(socket!.id)!;
    expect(local.conn.request).toBeNull();
  });

  it('a client that starts on polling and upgrades keeps its session and is served', async () => {
    const first = await harness.connect();
    const polling = await connectTestClient(harness.url, {
      token: first.token,
      transports: ['polling', 'websocket'],
    });
    expectOk(await polling.request(ClientEvent.RoomCreate, {}));
    expect(polling.received(ServerEvent.Session)).toHaveLength(0);
    const [socket] = (await harness.chat.io.fetchSockets()).filter(
      (candidate) => candidate.id === polling.socket.id,
    );
    expect(socket!.data.address).toBe('127.0.0.1');
    polling.close();
  });

  it('two new clients get different sessions', async () => {
    const [a, b] = [await harness.connect(), await harness.connect()];
    expect(a.token).not.toBe(b.token);
  });

  it('a client presenting its token is recognised and issued nothing new', async () => {
    const first = await harness.connect();
    const again = await harness.connect({ token: first.token });
    await again.request(ClientEvent.RoomCreate, {});
    expect(again.received(ServerEvent.Session)).toHaveLength(0);
  });

  it('an unknown or forged token counts as none', async () => {
    const real = (await harness.connect()).token;
    const [nonce] = real.split('.');
    const forged = [
      'A'.repeat(43),
      `${'A'.repeat(32)}.${'B'.repeat(43)}`,
      // A real nonce with another signature, and a real signature on another nonce.
      `${nonce}.${'B'.repeat(43)}`,
      `${'C'.repeat(32)}.${real.split('.')[1]}`,
      'not-a-token',
      'x'.repeat(10_000),
    ];
    for (const token of forged) {
      const client = await connectTestClient(harness.url, { token });
      // Events on one socket arrive in order: after this answer, any session event is in.
      await client.request(ClientEvent.RoomCreate, {});
      const issued = client.received<{ token: string }>(ServerEvent.Session);
      expect(issued).toHaveLength(1);
      expect(issued[0]!.token).not.toBe(token);
      client.close();
    }
  });

  it('the same session reconnecting gets its nickname back, unannounced', async () => {
    const alice = await harness.connect();
    const bob = await harness.connect();
    const { roomId } = expectOk(await alice.request(ClientEvent.RoomCreate, {}));
    await alice.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' });
    await bob.request(ClientEvent.RoomJoin, { roomId, nickname: 'Bob' });
    alice.close();

    const aliceAgain = await harness.connect({ token: alice.token });
    const rejoined = await aliceAgain.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' });
    expect(rejoined).toMatchObject({ ok: true, self: { nickname: 'Alice' } });
    const texts = expectOk(rejoined).messages.map((m) => m.text);
    expect(texts).toEqual(['Alice joined', 'Bob joined']);
  });

  it('identity in a payload is refused, never trusted', async () => {
    const client = await harness.connect();
    const reply = await client.request(ClientEvent.RoomCreate, { sessionId: 'someone-else' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});

describe('the session cookie', () => {
  let harness: Harness;
  let pageUrl: string;
  let closePages: () => void;

  beforeEach(async () => {
    harness = await startHarness();
    const pages = createServer((req, res) => {
      void ensureSessionCookie(req, res, harness.chat.sessions, { trustProxy: true }).then(() =>
        res.end('page'),
      );
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    pageUrl = `http://127.0.0.1:${(pages.address() as AddressInfo).port}/`;
    closePages = () => pages.close();
  });
  afterEach(async () => {
    closePages();
    await harness.close();
  });

  it('a page response sets an HttpOnly, SameSite=Lax cookie that authenticates the socket', async () => {
    const response = await fetch(pageUrl);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^livechat_session=[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure');

    const pair = cookie.split(';')[0]!;
    const client = await connectTestClient(harness.url, {
      token: 'ignored-because-the-cookie-is-valid',
      extraHeaders: { cookie: pair },
    });
    const created = await client.request(ClientEvent.RoomCreate, {});
    expect(created.ok).toBe(true);
    expect(client.received(ServerEvent.Session)).toHaveLength(0);
    client.close();
  });

  it('a request that already carries a valid cookie gets no new one', async () => {
    const first = await fetch(pageUrl);
    const pair = (first.headers.get('set-cookie') ?? '').split(';')[0]!;
    const second = await fetch(pageUrl, { headers: { cookie: pair } });
    expect(second.headers.get('set-cookie')).toBeNull();
  });

  it('the cookie is Secure when the page was served over HTTPS', async () => {
    const response = await fetch(pageUrl, { headers: { 'x-forwarded-proto': 'https' } });
    expect(response.headers.get('set-cookie')).toContain('Secure');
  });
});
