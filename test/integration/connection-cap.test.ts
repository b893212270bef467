import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../lib/protocol/errors';
import { ClientEvent } from '../../lib/protocol/events';
import {
  type ConnectionCapSettings,
  LocalConnectionCounts,
  RedisConnectionCounts,
} from '../../lib/server/connection-cap';
import { silentLogger } from '../../lib/server/logger';
import { connectRedis, type RedisClient } from '../../lib/server/redis';
import {
  connectTestClient,
  eventually,
  expectOk,
  startHarness,
  type Harness,
  type TestClient,
} from '../helpers/chat-harness';
import { person } from '../helpers/chat-person';
import { serviceUrl } from '../helpers/services';

const redisUrl = serviceUrl('REDIS_URL');

/** A cap of `cap` connections per address, counted in this process. */
function localCap(cap: number, unjoinedTimeoutMs = 60_000): ConnectionCapSettings {
  return { counts: new LocalConnectionCounts(cap), cap, unjoinedTimeoutMs };
}

/** What a refused connection attempt failed with. */
async function refusal(url: string, options: Parameters<typeof connectTestClient>[1] = {}) {
  const error: unknown = await connectTestClient(url, options).then(
    (client) => {
      client.close();
      throw new Error('expected the connection to be refused');
    },
    (failure: unknown) => failure,
  );
  return error as Error & { data?: { code: string; message: string; retryAfterMs: number } };
}

/** Opens an Engine.IO connection over polling that never speaks Socket.IO. */
async function bareHandshake(url: string): Promise<string> {
  const response = await fetch(`${url}/socket.io/?EIO=4&transport=polling`);
  expect(response.status).toBe(200);
  const body = await response.text();
  return (JSON.parse(body.slice(1)) as { sid: string }).sid;
}

describe('connections per address', () => {
  const harnesses: Harness[] = [];
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((harness) => harness.close()));
  });
  const start = async (options: Parameters<typeof startHarness>[0]) => {
    const harness = await startHarness(options);
    harnesses.push(harness);
    return harness;
  };

  it('refuses the connection over the cap with a clear connect_error, and lets one in when a place frees', async () => {
    const harness = await start({ connectionCap: localCap(3) });
    const held = await Promise.all([1, 2, 3].map(() => harness.connect()));
    const refused = await refusal(harness.url);
    expect(refused.message).toBe(
      'Too many connections from your address (at most 3 at once). Close some tabs or try again later.',
    );
    expect(refused.data).toMatchObject({
      code: ErrorCode.TooManyConnections,
      retryAfterMs: 10_000,
    });
    held[0]!.close();
    await eventually(async () => {
      const client = await connectTestClient(harness.url).catch(() => undefined);
      client?.close();
      return client !== undefined;
    });
  });

  it('the web app says why it cannot connect, and connects once a place frees', async () => {
    const harness = await start({ connectionCap: { ...localCap(1), retryAfterMs: 200 } });
    const held = await harness.connect();
    const visitor = person(harness.url, 'visitor');
    try {
      await eventually(() => visitor.store.getState().connection === 'refused');
      held.close();
      await eventually(() => visitor.store.getState().connection === 'connected');
    } finally {
      visitor.socket.disconnect();
    }
  });

  it('counts connections that never speak Socket.IO, and other addresses are served meanwhile', async () => {
    const harness = await start({ connectionCap: localCap(20) });
    const other = await harness.connect({ localAddress: '127.0.0.2' });
    await Promise.all(Array.from({ length: 20 }, () => bareHandshake(harness.url)));
    const attempts = await Promise.all(Array.from({ length: 40 }, () => refusal(harness.url)));
    expect(new Set(attempts.map((error) => error.data?.code))).toEqual(
      new Set([ErrorCode.TooManyConnections]),
    );
    for (let i = 0; i < 5; i++) expectOk(await other.request(ClientEvent.Ping, {}));
    const second = await harness.connect({ localAddress: '127.0.0.2' });
    expectOk(await second.request(ClientEvent.Ping, {}));
    // Refused connections are closed by the server, not left open under the cap.
    await eventually(() => harness.chat.io.engine.clientsCount === 22);
  });

  it('behind a trusted proxy, counts the last X-Forwarded-For hop', async () => {
    const harness = await start({ connectionCap: localCap(2), trustProxy: true });
    const from = (address: string) => ({
      extraHeaders: { 'x-forwarded-for': `203.0.113.9, ${address}` },
    });
    await harness.connect(from('198.51.100.1'));
    await harness.connect(from('198.51.100.1'));
    expect((await refusal(harness.url, from('198.51.100.1'))).data?.code).toBe(
      ErrorCode.TooManyConnections,
    );
    // The earlier hops come from the client and change nothing.
    const spoofed = { extraHeaders: { 'x-forwarded-for': `203.0.113.10, 198.51.100.1` } };
    expect((await refusal(harness.url, spoofed)).data?.code).toBe(ErrorCode.TooManyConnections);
    await harness.connect(from('198.51.100.2'));
  });

  it('closes a connection that joins no room and says nothing, but never a member’s', async () => {
    const harness = await start({ connectionCap: localCap(10, 300) });
    const silent = await harness.connect();
    const member = await harness.connect();
    const { roomId } = expectOk(await member.request(ClientEvent.RoomCreate, {}));
    expectOk(await member.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' }));
    const closed = new Promise<string>((resolve) => silent.socket.once('disconnect', resolve));
    expect(await closed).toBe('transport close');
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(member.socket.connected).toBe(true);
    expectOk(await member.request(ClientEvent.Ping, {}));
  });

  describe.skipIf(!redisUrl)('across processes (Redis)', () => {
    const clients: RedisClient[] = [];
    afterEach(async () => {
      await Promise.all(clients.splice(0).map((client) => client.quit()));
    });
    const redisCap = async (keyPrefix: string, cap: number): Promise<ConnectionCapSettings> => {
      const client = await connectRedis(redisUrl!, silentLogger);
      clients.push(client);
      const counts = await RedisConnectionCounts.start({
        client,
        keyPrefix,
        processId: randomUUID(),
        cap,
        logger: silentLogger,
      });
      return { counts, cap, unjoinedTimeoutMs: 60_000 };
    };

    it('two processes share one cap per address', async () => {
      const keyPrefix = `livechat-test-${randomBytes(4).toString('hex')}`;
      const [first, second] = await Promise.all([
        start({ connectionCap: await redisCap(keyPrefix, 4) }),
        start({ connectionCap: await redisCap(keyPrefix, 4) }),
      ]);
      const held: TestClient[] = [];
      for (const harness of [first!, second!, first!, second!]) held.push(await harness.connect());
      expect((await refusal(first!.url)).data?.code).toBe(ErrorCode.TooManyConnections);
      expect((await refusal(second!.url)).data?.code).toBe(ErrorCode.TooManyConnections);
      await first!.connect({ localAddress: '127.0.0.2' });
      held[1]!.close();
      await eventually(async () => {
        const client = await connectTestClient(first!.url).catch(() => undefined);
        client?.close();
        return client !== undefined;
      });
    });
  });
});
