import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Member, Message } from '../../lib/protocol/definitions';
import { ClientEvent, ServerEvent } from '../../lib/protocol/events';
import {
  eventually,
  expectOk,
  roomWith,
  startHarness,
  type Harness,
  type TestClient,
} from '../helpers/chat-harness';

/** The code of a refused answer, or 'ok'. */
async function outcome(
  client: TestClient,
  event: Parameters<TestClient['request']>[0],
  payload: object,
) {
  const reply = await client.request(event, payload);
  return reply.ok ? 'ok' : reply.error.code;
}

const announced = (client: TestClient, text: string) =>
  client.next<Message>(ServerEvent.MessageNew, (message) => message.text === text);

describe('running a room', () => {
  let harness: Harness;
  let roomId: string;
  let owner: TestClient;
  let mod: TestClient;
  let member: TestClient;

  beforeEach(async () => {
    harness = await startHarness({ memberGraceMs: 200 });
    const room = await roomWith(harness, 'Olga', 'Max', 'Mia');
    roomId = room.roomId;
    [owner, mod, member] = room.clients as [TestClient, TestClient, TestClient];
  });
  afterEach(() => harness.close());

  it('the creator owns the room, and names moderators; the list shows the badges', async () => {
    const told = announced(member, 'Olga made Max a moderator');
    const listed = member.next<{ members: Member[] }>(ServerEvent.MembersUpdate, ({ members }) =>
      members.some((m) => m.role === 'moderator'),
    );
    expect(
      await outcome(owner, ClientEvent.MemberRole, { roomId, nickname: 'max', moderator: true }),
    ).toBe('ok');
    await told;
    expect((await listed).members).toEqual([
      { nickname: 'Olga', authorKey: expect.any(String), presence: 'active', role: 'owner' },
      { nickname: 'Max', authorKey: expect.any(String), presence: 'active', role: 'moderator' },
      { nickname: 'Mia', authorKey: expect.any(String), presence: 'active' },
    ]);
    expect(
      await outcome(mod, ClientEvent.MemberRole, { roomId, nickname: 'Mia', moderator: true }),
    ).toBe('NOT_ALLOWED');
    expect(
      await outcome(owner, ClientEvent.MemberRole, { roomId, nickname: 'Zed', moderator: true }),
    ).toBe('MEMBER_NOT_FOUND');
  });

  it('keepers set title, topic, lock and slow mode, announced and pushed to the room', async () => {
    expectOk(
      await owner.request(ClientEvent.MemberRole, { roomId, nickname: 'Max', moderator: true }),
    );
    const updated = member.next<{ room: object }>(ServerEvent.RoomUpdated);
    const reply = expectOk(
      await mod.request(ClientEvent.RoomUpdate, {
        roomId,
        title: ' Friday lunch ',
        topic: 'where?',
      }),
    );
    expect(reply.room).toEqual({
      title: 'Friday lunch',
      topic: 'where?',
      locked: false,
      slowModeSeconds: 0,
    });
    expect((await updated).room).toEqual(reply.room);
    await eventually(() =>
      member
        .received<Message>(ServerEvent.MessageNew)
        .some((m) => m.text === 'Max set the topic: where?'),
    );
    expect(await outcome(member, ClientEvent.RoomUpdate, { roomId, locked: true })).toBe(
      'NOT_ALLOWED',
    );
    expect(await outcome(mod, ClientEvent.RoomUpdate, { roomId, title: 'x'.repeat(65) })).toBe(
      'INVALID_INPUT',
    );
    // A newcomer reads the settings in its join answer.
    const late = await harness.connect();
    const joined = expectOk(await late.request(ClientEvent.RoomJoin, { roomId, nickname: 'Ned' }));
    expect(joined.room.title).toBe('Friday lunch');
  });

  it('a public room’s title shows in the lobby', async () => {
    const creator = await harness.connect();
    const { roomId: listed } = expectOk(
      await creator.request(ClientEvent.RoomCreate, { public: true }),
    );
    expectOk(await creator.request(ClientEvent.RoomJoin, { roomId: listed, nickname: 'Pat' }));
    expectOk(await creator.request(ClientEvent.RoomUpdate, { roomId: listed, title: 'Open chat' }));
    expect(await harness.store.listPublicRooms(10)).toEqual([
      { roomId: listed, memberCount: 1, title: 'Open chat' },
    ]);
  });

  it('a locked room refuses newcomers, but members present stay and come back', async () => {
    expectOk(await owner.request(ClientEvent.RoomUpdate, { roomId, locked: true }));
    const stranger = await harness.connect();
    const refused = await stranger.request(ClientEvent.RoomJoin, { roomId, nickname: 'Zed' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'ROOM_LOCKED' } });
    member.close();
    const back = await harness.connect({ token: member.token });
    expectOk(await back.request(ClientEvent.RoomJoin, { roomId, nickname: 'Mia' }));
  });

  it('a kick takes every tab of the member out at once; it may join again', async () => {
    const secondTab = await harness.connect({ token: member.token });
    expectOk(await secondTab.request(ClientEvent.RoomJoin, { roomId, nickname: 'Mia' }));
    const told = [member, secondTab].map((tab) =>
      tab.next<{ roomId: string; removed?: { by: string } }>(ServerEvent.RoomLeft),
    );
    const heard = announced(mod, 'Olga removed Mia');
    expect(await outcome(owner, ClientEvent.MemberRemove, { roomId, nickname: 'Mia' })).toBe('ok');
    for (const left of await Promise.all(told))
      expect(left).toEqual({ roomId, removed: { by: 'Olga' } });
    await heard;
    // Out of the room's channel: nothing said there reaches the kicked tabs.
    expectOk(
      await owner.request(ClientEvent.MessageSend, {
        roomId,
        clientId: randomUUID(),
        text: 'after',
      }),
    );
    await eventually(() =>
      mod.received<Message>(ServerEvent.MessageNew).some((m) => m.text === 'after'),
    );
    expect(member.received<Message>(ServerEvent.MessageNew).some((m) => m.text === 'after')).toBe(
      false,
    );
    expect(
      await outcome(member, ClientEvent.MessageSend, { roomId, clientId: randomUUID(), text: 'x' }),
    ).toBe('NOT_IN_ROOM');
    expectOk(await member.request(ClientEvent.RoomJoin, { roomId, nickname: 'Mia' }));
  });

  it('a ban keeps the session and new sessions from its address out until lifted', async () => {
    const heard = announced(mod, 'Olga banned Mia for an hour');
    expect(
      await outcome(owner, ClientEvent.MemberRemove, { roomId, nickname: 'Mia', ban: '1h' }),
    ).toBe('ok');
    await heard;
    const again = await member.request(ClientEvent.RoomJoin, { roomId, nickname: 'Mia' });
    expect(again).toMatchObject({
      ok: false,
      error: { code: 'BANNED', message: 'You are banned from this room for 60 more minutes.' },
    });
    const fresh = await harness.connect();
    expect(await outcome(fresh, ClientEvent.RoomJoin, { roomId, nickname: 'Totally New' })).toBe(
      'BANNED',
    );
    const other = await harness.connect({ localAddress: '127.0.0.2' });
    expect(await outcome(other, ClientEvent.RoomJoin, { roomId, nickname: 'Elsewhere' })).toBe(
      'ok',
    );
    const { bans } = expectOk(await owner.request(ClientEvent.BanList, { roomId }));
    expect(bans).toEqual([
      expect.objectContaining({ nickname: 'Mia', bannedBy: 'Olga', until: expect.any(String) }),
    ]);
    expect(await outcome(member, ClientEvent.BanList, { roomId })).toBe('NOT_IN_ROOM');
    expect(await outcome(mod, ClientEvent.BanLift, { roomId, banId: bans[0]!.banId })).toBe(
      'NOT_ALLOWED',
    );
    expect(await outcome(owner, ClientEvent.BanLift, { roomId, banId: bans[0]!.banId })).toBe('ok');
    expectOk(await member.request(ClientEvent.RoomJoin, { roomId, nickname: 'Mia' }));
  });

  it('a moderator cannot act on the owner or another moderator; nobody on themself', async () => {
    for (const nickname of ['Max', 'Mia']) {
      expectOk(await owner.request(ClientEvent.MemberRole, { roomId, nickname, moderator: true }));
    }
    expect(await outcome(mod, ClientEvent.MemberRemove, { roomId, nickname: 'Olga' })).toBe(
      'NOT_ALLOWED',
    );
    expect(
      await outcome(mod, ClientEvent.MemberRemove, { roomId, nickname: 'Mia', ban: '10m' }),
    ).toBe('NOT_ALLOWED');
    expect(await outcome(owner, ClientEvent.MemberRemove, { roomId, nickname: 'Olga' })).toBe(
      'NOT_ALLOWED',
    );
    expect(await outcome(owner, ClientEvent.MemberRemove, { roomId, nickname: 'Mia' })).toBe('ok');
  });

  it('keepers delete anyone’s message for everyone; members only their own', async () => {
    const said = expectOk(
      await member.request(ClientEvent.MessageSend, {
        roomId,
        clientId: randomUUID(),
        text: 'spam',
      }),
    ).message;
    expect(await outcome(mod, ClientEvent.MessageDelete, { roomId, seq: said.seq })).toBe(
      'NOT_YOUR_MESSAGE',
    );
    expectOk(
      await owner.request(ClientEvent.MemberRole, { roomId, nickname: 'Max', moderator: true }),
    );
    const seen = member.next<Message>(ServerEvent.MessageChanged);
    const { message } = expectOk(
      await mod.request(ClientEvent.MessageDelete, { roomId, seq: said.seq }),
    );
    expect(message).toMatchObject({ text: '', deletedBy: 'moderator' });
    expect(await seen).toEqual(message);
  });

  it('when the owner leaves, the first moderator owns the room, else the member there longest', async () => {
    expectOk(
      await owner.request(ClientEvent.MemberRole, { roomId, nickname: 'Mia', moderator: true }),
    );
    const heir = announced(mod, 'Mia now owns the room');
    expectOk(await owner.request(ClientEvent.RoomLeave, { roomId }));
    await heir;
    const members = await harness.store.listMembers(roomId);
    expect(members.map((m) => [m.nickname, m.role])).toEqual([
      ['Max', 'member'],
      ['Mia', 'owner'],
    ]);
    const next = announced(mod, 'Max now owns the room');
    expectOk(await member.request(ClientEvent.RoomLeave, { roomId }));
    await next;
  });

  it('slow mode lets a member write once every N seconds; keepers are exempt', async () => {
    expectOk(await owner.request(ClientEvent.RoomUpdate, { roomId, slowModeSeconds: 30 }));
    const send = (client: TestClient, text: string, clientId = randomUUID()) =>
      client.request(ClientEvent.MessageSend, { roomId, clientId, text });
    const first = randomUUID();
    expectOk(await send(member, 'one', first));
    const second = await send(member, 'two');
    expect(second).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED', message: expect.stringContaining('Slow mode is on') },
    });
    expect(second.ok || second.error.retryAfterMs).toBeGreaterThan(29_000);
    // A retry of the message already sent is not a new message: it is answered as before.
    expectOk(await send(member, 'one', first));
    expectOk(await send(owner, 'keepers are exempt'));
    expectOk(await send(owner, 'twice'));
    expectOk(await owner.request(ClientEvent.RoomUpdate, { roomId, slowModeSeconds: 0 }));
    expectOk(await send(member, 'free again'));
  });
});
