import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Member } from '../../lib/protocol/definitions';
import { ClientEvent, ServerEvent } from '../../lib/protocol/events';
import {
  DEFAULT_TEST_LIMITS,
  expectOk,
  roomWith,
  startHarness,
  type Harness,
} from '../helpers/chat-harness';

type MembersUpdate = { roomId: string; members: Member[] };
type TypingUpdate = { roomId: string; nickname: string; typing: boolean };
const GRACE_MS = 400;

const presenceOf = (update: MembersUpdate, nickname: string) =>
  update.members.find((member) => member.nickname === nickname)?.presence;

describe('typing indicators', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness({ memberGraceMs: GRACE_MS });
  });
  afterEach(() => harness.close());

  it('tells the other members who started and stopped typing, under the stored nickname', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Bob');
    const [alice, bob] = clients as [(typeof clients)[0], (typeof clients)[0]];
    const started = bob.next<TypingUpdate>(ServerEvent.TypingUpdate);
    expect(await alice.request(ClientEvent.TypingSet, { roomId, typing: true })).toEqual({
      ok: true,
    });
    expect(await started).toEqual({ roomId, nickname: 'Alice', typing: true });
    const stopped = bob.next<TypingUpdate>(ServerEvent.TypingUpdate);
    expectOk(await alice.request(ClientEvent.TypingSet, { roomId, typing: false }));
    expect(await stopped).toEqual({ roomId, nickname: 'Alice', typing: false });
    // The typist's own tab is not told about itself.
    expect(alice.received(ServerEvent.TypingUpdate)).toEqual([]);
  });

  it('is refused outside the room and never stored', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice');
    const stranger = await harness.connect();
    const refused = await stranger.request(ClientEvent.TypingSet, { roomId, typing: true });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    expectOk(await clients[0]!.request(ClientEvent.TypingSet, { roomId, typing: true }));
    const history = await harness.store.listMessages(roomId, { limit: 10 });
    expect(history.messages.map((message) => message.text)).toEqual(['Alice joined']);
  });

  it('rejects a typing flag that is not a boolean, and unknown fields', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice');
    for (const payload of [
      { roomId, typing: 'yes' },
      { roomId },
      { roomId, typing: true, nickname: 'Mallory' },
    ]) {
      const reply = await clients[0]!.request(ClientEvent.TypingSet, payload);
      expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
  });

  it('is rate limited like every other request', async () => {
    await harness.close();
    harness = await startHarness({ rateLimits: DEFAULT_TEST_LIMITS });
    const { roomId, clients } = await roomWith(harness, 'Alice');
    const replies = [];
    for (let i = 0; i < 10; i++) {
      replies.push(
        await clients[0]!.request(ClientEvent.TypingSet, { roomId, typing: i % 2 === 0 }),
      );
    }
    expect(replies.some((reply) => !reply.ok && reply.error.code === 'RATE_LIMITED')).toBe(true);
  });
});

describe('member presence', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness({ memberGraceMs: GRACE_MS });
  });
  afterEach(() => harness.close());

  it('every member is active on joining, in the acknowledgement and the update', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice');
    const updated = clients[0]!.next<MembersUpdate>(ServerEvent.MembersUpdate);
    const bob = await harness.connect();
    const joined = expectOk(await bob.request(ClientEvent.RoomJoin, { roomId, nickname: 'Bob' }));
    expect(joined.members).toEqual([
      { nickname: 'Alice', authorKey: expect.any(String), presence: 'active', role: 'owner' },
      { nickname: 'Bob', authorKey: joined.self.authorKey, presence: 'active' },
    ]);
    expect((await updated).members).toEqual(joined.members);
  });

  it('an idle tab makes its member idle, and active again when it is used', async () => {
    const { clients } = await roomWith(harness, 'Alice', 'Bob');
    const [alice, bob] = clients as [(typeof clients)[0], (typeof clients)[0]];
    const idle = alice.next<MembersUpdate>(ServerEvent.MembersUpdate);
    expectOk(await bob.request(ClientEvent.PresenceSet, { idle: true }));
    expect(presenceOf(await idle, 'Bob')).toBe('idle');
    const active = alice.next<MembersUpdate>(ServerEvent.MembersUpdate);
    expectOk(await bob.request(ClientEvent.PresenceSet, { idle: false }));
    expect(presenceOf(await active, 'Bob')).toBe('active');
  });

  it('a member with one idle and one active tab is active', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Bob');
    const [alice, bob] = clients as [(typeof clients)[0], (typeof clients)[0]];
    const secondTab = await harness.connect({ token: bob.token });
    const joinSeen = alice.next<MembersUpdate>(ServerEvent.MembersUpdate);
    expectOk(await secondTab.request(ClientEvent.RoomJoin, { roomId, nickname: 'Bob' }));
    await joinSeen;
    const update = alice.next<MembersUpdate>(ServerEvent.MembersUpdate);
    expectOk(await bob.request(ClientEvent.PresenceSet, { idle: true }));
    expect(presenceOf(await update, 'Bob')).toBe('active');
  });

  it('a dropped member is reconnecting during the grace period, and active once back', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Bob');
    const [alice, bob] = clients as [(typeof clients)[0], (typeof clients)[0]];
    const dropped = alice.next<MembersUpdate>(ServerEvent.MembersUpdate);
    bob.close();
    expect(presenceOf(await dropped, 'Bob')).toBe('reconnecting');
    const back = alice.next<MembersUpdate>(ServerEvent.MembersUpdate);
    const again = await harness.connect({ token: bob.token });
    const rejoined = expectOk(
      await again.request(ClientEvent.RoomJoin, { roomId, nickname: 'Bob' }),
    );
    expect(presenceOf(await back, 'Bob')).toBe('active');
    expect(rejoined.members.map((member) => member.presence)).toEqual(['active', 'active']);
    // Coming back within the grace period is no leave and no join.
    const texts = (await harness.store.listMessages(roomId, { limit: 10 })).messages.map(
      (message) => message.text,
    );
    expect(texts).toEqual(['Alice joined', 'Bob joined']);
  });

  it('rejects a presence that is not a boolean flag', async () => {
    const { clients } = await roomWith(harness, 'Alice');
    const reply = await clients[0]!.request(ClientEvent.PresenceSet, { idle: 'maybe' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});

describe('latency ping', () => {
  it('is acknowledged with the server time', async () => {
    const harness = await startHarness();
    const client = await harness.connect();
    const reply = expectOk(await client.request(ClientEvent.Ping, {}));
    expect(Date.parse(reply.serverTime)).not.toBeNaN();
    const refused = await client.request(ClientEvent.Ping, { at: 1 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await harness.close();
  });
});
