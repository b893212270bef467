import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../lib/protocol/definitions';
import { ClientEvent, ServerEvent } from '../../lib/protocol/events';
import { connectTestClient, expectOk, type TestClient } from '../helpers/chat-harness';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { freshPostgresDatabase, serviceUrl } from '../helpers/services';

const databaseUrl = serviceUrl('DATABASE_URL');
const redisUrl = serviceUrl('REDIS_URL');

describe.skipIf(!databaseUrl || !redisUrl)('keepers across two server processes', () => {
  let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  let a: ServerProcess;
  let b: ServerProcess;
  const clients: TestClient[] = [];
  const connect = async (server: ServerProcess, token?: string) => {
    const client = await connectTestClient(server.url, { token });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    database = await freshPostgresDatabase(databaseUrl!);
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl!,
      REDIS_KEY_PREFIX: `livechat-test-${randomUUID().slice(0, 8)}`,
      RATE_LIMITS: 'off',
    };
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    for (const server of [a, b]) server?.child.kill('SIGKILL');
    await Promise.all([a?.exited, b?.exited]);
    await database?.drop();
  });

  it('a member on B banned through A is out at once, on both, and cannot come back', async () => {
    const owner = await connect(a);
    const { roomId } = expectOk(await owner.request(ClientEvent.RoomCreate, {}));
    expectOk(await owner.request(ClientEvent.RoomJoin, { roomId, nickname: 'Olga' }));
    const troll = await connect(b);
    expectOk(await troll.request(ClientEvent.RoomJoin, { roomId, nickname: 'Troll' }));
    const witness = await connect(b);
    expectOk(await witness.request(ClientEvent.RoomJoin, { roomId, nickname: 'Wes' }));

    const told = troll.next<{ removed?: { by: string; bannedUntil?: string | null } }>(
      ServerEvent.RoomLeft,
    );
    const started = Date.now();
    expectOk(
      await owner.request(ClientEvent.MemberRemove, { roomId, nickname: 'Troll', ban: '24h' }),
    );
    expect((await told).removed).toMatchObject({ by: 'Olga', bannedUntil: expect.any(String) });
    expect(Date.now() - started).toBeLessThan(1_000);

    // Its open socket on B hears nothing more of the room; the witness on B does.
    const heard = witness.next<Message>(ServerEvent.MessageNew, (m) => m.text === 'after the ban');
    expectOk(
      await owner.request(ClientEvent.MessageSend, {
        roomId,
        clientId: randomUUID(),
        text: 'after the ban',
      }),
    );
    await heard;
    await troll.request(ClientEvent.Ping, {});
    const trollHeard = troll.received<Message>(ServerEvent.MessageNew).map((m) => m.text);
    expect(trollHeard).not.toContain('after the ban');

    // Neither process lets it (or a new session from its address) back in.
    for (const server of [a, b]) {
      const again = await connect(server, troll.token);
      expect(
        await again.request(ClientEvent.RoomJoin, { roomId, nickname: 'Troll' }),
      ).toMatchObject({ ok: false, error: { code: 'BANNED' } });
      const fresh = await connect(server);
      expect(await fresh.request(ClientEvent.RoomJoin, { roomId, nickname: 'Nice' })).toMatchObject(
        { ok: false, error: { code: 'BANNED' } },
      );
    }
  });

  it('settings and roles set through A reach members on B', async () => {
    const owner = await connect(a);
    const { roomId } = expectOk(await owner.request(ClientEvent.RoomCreate, {}));
    expectOk(await owner.request(ClientEvent.RoomJoin, { roomId, nickname: 'Olga' }));
    const member = await connect(b);
    expectOk(await member.request(ClientEvent.RoomJoin, { roomId, nickname: 'Max' }));
    const updated = member.next<{ room: { title: string } }>(ServerEvent.RoomUpdated);
    expectOk(await owner.request(ClientEvent.RoomUpdate, { roomId, title: 'Across' }));
    expect((await updated).room.title).toBe('Across');
    const named = member.next<Message>(ServerEvent.MessageNew, (m) => m.text.includes('moderator'));
    expectOk(
      await owner.request(ClientEvent.MemberRole, { roomId, nickname: 'Max', moderator: true }),
    );
    expect((await named).text).toBe('Olga made Max a moderator');
    // Max, a moderator now, may change the room through B.
    expectOk(await member.request(ClientEvent.RoomUpdate, { roomId, topic: 'from B' }));
  });
});
