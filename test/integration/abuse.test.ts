import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../lib/protocol/definitions';
import { ClientEvent, ServerEvent } from '../../lib/protocol/events';
import {
  DEFAULT_TEST_LIMITS,
  expectOk,
  roomWith,
  startHarness,
  type Harness,
  type TestClient,
} from '../helpers/chat-harness';

describe('flood control', () => {
  let harness: Harness;
  afterEach(() => harness.close());

  it('a flooding client is refused with RATE_LIMITED and retryAfterMs; others are served promptly', async () => {
    harness = await startHarness({ rateLimits: DEFAULT_TEST_LIMITS });
    const { roomId, clients } = await roomWith(harness, 'Mallory', 'Bob', 'Alice');
    const [mallory, bob, alice] = clients as [
      (typeof clients)[0],
      (typeof clients)[0],
      (typeof clients)[0],
    ];

    const flood = Array.from({ length: 100 }, (_, n) =>
      mallory.request(ClientEvent.MessageSend, {
        roomId,
        clientId: randomUUID(),
        text: `spam ${n}`,
      }),
    );
    const started = performance.now();
    const arrived = alice.next<Message>(ServerEvent.MessageNew, (m) => m.text === 'hello Alice');
    const reply = await bob.request(ClientEvent.MessageSend, {
      roomId,
      clientId: randomUUID(),
      text: 'hello Alice',
    });
    expect(reply.ok).toBe(true);
    await arrived;
    const bobLatencyMs = performance.now() - started;

    const results = await Promise.all(flood);
    const refused = results.filter((result) => !result.ok);
    // A burst of 10 is allowed, then the bucket refills at about 5 a second.
    expect(results.filter((result) => result.ok).length).toBeLessThanOrEqual(12);
    expect(refused.length).toBeGreaterThanOrEqual(88);
    for (const result of refused) {
      expect(result).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
      if (!result.ok) {
        expect(result.error.retryAfterMs).toBeGreaterThan(0);
        expect(result.error.message).toMatch(/too quickly.*Try again in \d+ seconds?/);
      }
    }
    // Bob's message went through while the flood was being refused: well under a second.
    expect(bobLatencyMs).toBeLessThan(1000);
  });

  it('repeated failed joins are rate limited like any join', async () => {
    harness = await startHarness({ rateLimits: DEFAULT_TEST_LIMITS });
    const prober = await harness.connect();
    const codes: string[] = [];
    for (let n = 0; n < 30; n++) {
      const reply = await prober.request(ClientEvent.RoomJoin, {
        roomId:
          'zzzz-zzzz-zz' +
          String(n)
            .padStart(2, '0')
            .replace(/\d/g, (d) => 'abcdefghjk'[+d]!),
        nickname: 'Prober',
      });
      if (!reply.ok) codes.push(reply.error.code);
    }
    expect(codes.slice(0, 20).every((code) => code === 'ROOM_NOT_FOUND')).toBe(true);
    expect(codes.slice(20).every((code) => code === 'RATE_LIMITED')).toBe(true);
  });

  it('nickname changes have their own budget', async () => {
    harness = await startHarness({ rateLimits: DEFAULT_TEST_LIMITS });
    const { roomId, clients } = await roomWith(harness, 'Alice');
    const codes = [];
    for (let n = 0; n < 12; n++) {
      const reply = await clients[0]!.request(ClientEvent.NicknameChange, {
        roomId,
        nickname: `Alice${n}`,
      });
      codes.push(reply.ok ? 'ok' : reply.error.code);
    }
    expect(codes.slice(0, 10)).toEqual(Array(10).fill('ok'));
    expect(codes.slice(10)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    // Messages are unaffected.
    const sent = await clients[0]!.request(ClientEvent.MessageSend, {
      roomId,
      clientId: randomUUID(),
      text: 'still talking',
    });
    expect(expectOk(sent).message.author).toBe('Alice9');
  });

  it('pages of history have their own budget; leaving and pings spend none', async () => {
    harness = await startHarness({ rateLimits: DEFAULT_TEST_LIMITS });
    const { roomId, clients } = await roomWith(harness, 'Alice');
    const alice = clients[0]!;
    const pages = await Promise.all(
      Array.from({ length: 30 }, () => alice.request(ClientEvent.MessageHistory, { roomId })),
    );
    const codes = pages.map((reply) => (reply.ok ? 'ok' : reply.error.code));
    // 10 a second and a burst of 10 more.
    expect(codes.filter((code) => code === 'ok').length).toBeLessThanOrEqual(22);
    expect(codes.filter((code) => code === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(8);
    const pings = await Promise.all(
      Array.from({ length: 30 }, () => alice.request(ClientEvent.Ping, {})),
    );
    expect(pings.every((reply) => reply.ok)).toBe(true);
    expectOk(
      await alice.request(ClientEvent.MessageSend, { roomId, clientId: randomUUID(), text: 'hi' }),
    );
    expectOk(await alice.request(ClientEvent.RoomLeave, { roomId }));
  });
});

describe('the per-address budget', () => {
  let harness: Harness;
  afterEach(() => harness.close());

  /** Sustained rate plus a burst of the same size: what one session may spend at once. */
  const perSession = {
    message: 2 * DEFAULT_TEST_LIMITS.messagesPerSecond,
    rename: 2 * DEFAULT_TEST_LIMITS.renamesPerMinute,
  };

  it.each(['message', 'rename'] as const)(
    `%s: sessions from one address share ${DEFAULT_TEST_LIMITS.perIpMultiplier}× a session budget, each well within its own`,
    async (action) => {
      harness = await startHarness({ rateLimits: DEFAULT_TEST_LIMITS });
      const perAddress = perSession[action] * DEFAULT_TEST_LIMITS.perIpMultiplier;
      const eachSends = perSession[action] - 1;
      // Enough sessions that together they go past the address budget.
      const sessionCount = Math.floor(perAddress / eachSends) + 2;
      const names = Array.from({ length: sessionCount }, (_, s) => `S${s}`);
      const { roomId, clients } = await roomWith(harness, ...names);
      const spend = (client: TestClient, s: number, n: number) =>
        action === 'message'
          ? client.request(ClientEvent.MessageSend, {
              roomId,
              clientId: randomUUID(),
              text: `S${s} #${n}`,
            })
          : client.request(ClientEvent.NicknameChange, { roomId, nickname: `S${s}n${n}` });

      const replies = await Promise.all(
        clients.map((client, s) =>
          Promise.all(Array.from({ length: eachSends }, (_, n) => spend(client, s, n))),
        ),
      );
      const all = replies.flat();
      const refused = all.filter((reply) => !reply.ok);
      // No session went past its own budget, so every refusal is the address budget's.
      expect(all.length).toBeGreaterThan(perAddress);
      expect(all.filter((reply) => reply.ok)).toHaveLength(perAddress);
      expect(refused).toHaveLength(all.length - perAddress);
      for (const reply of refused) {
        expect(reply).toMatchObject({
          ok: false,
          error: { code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) },
        });
        if (!reply.ok) {
          expect(reply.error.retryAfterMs).toBeGreaterThan(0);
          expect(reply.error.message).toMatch(/Try again in \d+ seconds?\.$/);
        }
      }

      // A fresh session from the same address has spent nothing, yet is refused at once.
      const latecomer = await harness.connect();
      expectOk(await latecomer.request(ClientEvent.RoomJoin, { roomId, nickname: 'Late' }));
      expect(await spend(latecomer, sessionCount, 0)).toMatchObject({
        ok: false,
        error: { code: 'RATE_LIMITED' },
      });
      // A session from another address has its own budget: the same spending all goes through.
      const elsewhere = await harness.connect({ localAddress: '127.0.0.2' });
      expectOk(await elsewhere.request(ClientEvent.RoomJoin, { roomId, nickname: 'Far' }));
      const far = await Promise.all(
        Array.from({ length: eachSends }, (_, n) => spend(elsewhere, sessionCount + 1, n)),
      );
      expect(far.map((reply) => reply.ok)).toEqual(Array(eachSends).fill(true));
    },
  );
});

describe('cross-site WebSocket hijacking', () => {
  let harness: Harness;
  afterEach(() => harness.close());

  /** Resolves to 'connected' or the connect error's message. */
  async function handshake(url: string, transport: 'websocket' | 'polling', origin?: string) {
    const socket = io(url, {
      transports: [transport],
      forceNew: true,
      reconnection: false,
      extraHeaders: origin === undefined ? {} : { origin },
    });
    const outcome = await new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (error) => resolve(error.message));
    });
    socket.disconnect();
    return outcome;
  }

  it.each(['websocket', 'polling'] as const)(
    'over %s: same origin, listed origins and no origin connect; foreign, look-alike and null do not',
    async (transport) => {
      harness = await startHarness({ allowedOrigins: ['https://app.example'] });
      const { url } = harness;
      const host = new URL(url).host;
      expect(await handshake(url, transport)).toBe('connected');
      expect(await handshake(url, transport, `http://${host}`)).toBe('connected');
      expect(await handshake(url, transport, 'https://app.example')).toBe('connected');
      for (const origin of [
        'https://evil.example',
        `http://${host}.evil.example`,
        'https://app.example.evil.example',
        'null',
      ]) {
        expect(await handshake(url, transport, origin)).not.toBe('connected');
      }
    },
  );
});

describe('payload limits', () => {
  let harness: Harness;
  afterEach(() => harness.close());

  it('a packet just over 64 KB closes only its own connection', async () => {
    harness = await startHarness();
    const { roomId, clients } = await roomWith(harness, 'Mallory', 'Bob');
    const [mallory, bob] = clients as [(typeof clients)[0], (typeof clients)[0]];
    const closed = new Promise((resolve) => mallory.socket.once('disconnect', resolve));
    (mallory.socket.emit as (...args: unknown[]) => void)(ClientEvent.MessageSend, {
      roomId,
      clientId: randomUUID(),
      text: 'y'.repeat(66 * 1024),
    });
    await closed;
    const ok = await bob.request(ClientEvent.MessageHistory, { roomId, limit: 5 });
    expect(ok.ok).toBe(true);
  });
});
