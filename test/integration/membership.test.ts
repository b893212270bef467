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
} from '../helpers/chat-harness';
import { roomIsStored } from '../helpers/store-views';

type MembersUpdate = { roomId: string; members: Member[] };
const GRACE_MS = 300;

const nicknames = (update: MembersUpdate) => update.members.map((member) => member.nickname);

describe('announcements', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness({ memberGraceMs: GRACE_MS });
  });
  afterEach(() => harness.close());

  it('a join is announced as a stored system message and the member list is sent', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice');
    const announced = clients[0]!.next<Message>(ServerEvent.MessageNew);
    const updated = clients[0]!.next<MembersUpdate>(ServerEvent.MembersUpdate);
    const bob = await harness.connect();
    await bob.request(ClientEvent.RoomJoin, { roomId, nickname: 'Bob' });
    expect(await announced).toMatchObject({ kind: 'system', text: 'Bob joined', seq: 2, roomId });
    expect(nicknames(await updated)).toEqual(['Alice', 'Bob']);
  });

  it('a nickname change is announced as "Alice is now Bob" to everyone', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Carol');
    const seen = clients.map((client) =>
      client.next<Message>(ServerEvent.MessageNew, (m) => m.text === 'Alice is now Bob'),
    );
    const updated = clients[1]!.next<MembersUpdate>(ServerEvent.MembersUpdate);
    const reply = await clients[0]!.request(ClientEvent.NicknameChange, {
      roomId,
      nickname: 'Bob',
    });
    expect(reply).toEqual({ ok: true, nickname: 'Bob' });
    for (const message of await Promise.all(seen)) expect(message.kind).toBe('system');
    expect(nicknames(await updated)).toEqual(['Bob', 'Carol']);
  });

  it('a nickname change follows the joining rules', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Carol');
    const taken = await clients[0]!.request(ClientEvent.NicknameChange, {
      roomId,
      nickname: 'CAROL',
    });
    expect(taken).toMatchObject({ ok: false, error: { code: 'NICKNAME_TAKEN' } });
    const invalid = await clients[0]!.request(ClientEvent.NicknameChange, { roomId, nickname: '' });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const caseOnly = await clients[0]!.request(ClientEvent.NicknameChange, {
      roomId,
      nickname: 'ALICE',
    });
    expect(caseOnly).toEqual({ ok: true, nickname: 'ALICE' });
  });

  it('after a nickname change, the old one is free and new messages carry the new one', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice');
    await clients[0]!.request(ClientEvent.NicknameChange, { roomId, nickname: 'Bob' });
    const sent = await clients[0]!.request(ClientEvent.MessageSend, {
      roomId,
      clientId: randomUUID(),
      text: 'hi',
    });
    expect(sent).toMatchObject({ ok: true, message: { author: 'Bob' } });
    const newcomer = await harness.connect();
    const joined = await newcomer.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' });
    expect(joined.ok).toBe(true);
  });
});

describe('author keys in the member list', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness({ memberGraceMs: GRACE_MS });
  });
  afterEach(() => harness.close());

  const keyOf = (members: Member[], nickname: string) =>
    members.find((member) => member.nickname === nickname)?.authorKey;

  it('a member is listed with the key their messages carry, the same after a rename', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Bob');
    const [alice, bob] = clients as [(typeof clients)[0], (typeof clients)[0]];
    const sent = expectOk(
      await alice.request(ClientEvent.MessageSend, { roomId, clientId: randomUUID(), text: 'hi' }),
    ).message;
    const listed = expectOk(await bob.request(ClientEvent.RoomJoin, { roomId, nickname: 'Bob' }));
    expect(sent.authorKey).toBeTruthy();
    expect(keyOf(listed.members, 'Alice')).toBe(sent.authorKey);
    // Bob has written nothing, and is listed with his key all the same.
    expect(keyOf(listed.members, 'Bob')).toBe(listed.self.authorKey);

    const renamed = bob.next<MembersUpdate>(ServerEvent.MembersUpdate, (update) =>
      nicknames(update).includes('Alicja'),
    );
    expectOk(await alice.request(ClientEvent.NicknameChange, { roomId, nickname: 'Alicja' }));
    expect(keyOf((await renamed).members, 'Alicja')).toBe(sent.authorKey);
    const later = expectOk(
      await alice.request(ClientEvent.MessageSend, { roomId, clientId: randomUUID(), text: 'yo' }),
    ).message;
    expect(later.authorKey).toBe(sent.authorKey);
  });
});

describe('leaving and room lifetime', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness({ memberGraceMs: GRACE_MS });
  });
  afterEach(() => harness.close());

  it('room:leave frees the nickname at once and is announced', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Bob');
    const announced = clients[1]!.next<Message>(
      ServerEvent.MessageNew,
      (m) => m.text === 'Alice left',
    );
    expect(await clients[0]!.request(ClientEvent.RoomLeave, { roomId })).toEqual({ ok: true });
    await announced;
    const again = await clients[0]!.request(ClientEvent.RoomLeave, { roomId });
    expect(again).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    const newcomer = await harness.connect();
    const joined = await newcomer.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' });
    expect(joined.ok).toBe(true);
  });

  it('a member who left no longer receives the room messages', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Bob');
    await clients[0]!.request(ClientEvent.RoomLeave, { roomId });
    await clients[1]!.request(ClientEvent.MessageSend, {
      roomId,
      clientId: randomUUID(),
      text: 'bye',
    });
    await clients[0]!.request(ClientEvent.RoomCreate, {}); // a round trip: anything sent has arrived
    expect(clients[0]!.received<Message>(ServerEvent.MessageNew).map((m) => m.text)).not.toContain(
      'bye',
    );
  });

  it('a disconnect holds the member for the grace period, then counts as leaving', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Bob');
    const started = Date.now();
    const left = clients[1]!.next<Message>(ServerEvent.MessageNew, (m) => m.text === 'Alice left');
    clients[0]!.close();
    await left;
    expect(Date.now() - started).toBeGreaterThanOrEqual(GRACE_MS - 20);
    const members = await harness.store.listMembers(roomId);
    expect(members.map((m) => m.nickname)).toEqual(['Bob']);
  });

  it('coming back within the grace period is neither a leave nor a join', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Bob');
    clients[0]!.close();
    const back = await harness.connect({ token: clients[0]!.token });
    await back.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' });
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS * 2)); // let the old timer pass
    const marker = clients[1]!.next<Message>(ServerEvent.MessageNew, (m) => m.text === 'x');
    await clients[1]!.request(ClientEvent.MessageSend, {
      roomId,
      clientId: randomUUID(),
      text: 'x',
    });
    await marker;
    const texts = clients[1]!.received<Message>(ServerEvent.MessageNew).map((m) => m.text);
    expect(texts).toEqual(['x']);
  });

  it('a tab that reconnected but has not rejoined when the grace period ends gets more time', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Bob');
    const closedAt = Date.now();
    clients[0]!.close();
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS - 100));
    const back = await harness.connect({ token: clients[0]!.token });
    // The grace period ends while the new socket is connected but not yet back in the room.
    await new Promise((resolve) => setTimeout(resolve, closedAt + GRACE_MS + 100 - Date.now()));
    const rejoined = expectOk(
      await back.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' }),
    );
    expect(rejoined.messages.map((m) => m.text)).toEqual(['Alice joined', 'Bob joined']);
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS * 2));
    expect((await harness.store.listMembers(roomId)).map((m) => m.nickname)).toEqual([
      'Alice',
      'Bob',
    ]);
  });

  it('when the last member leaves, the room and its history are deleted', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Bob');
    await clients[0]!.request(ClientEvent.RoomLeave, { roomId });
    await clients[1]!.request(ClientEvent.RoomLeave, { roomId });
    expect(await roomIsStored(harness.store, roomId)).toBe(false);
    const late = await harness.connect();
    const reply = await late.request(ClientEvent.RoomJoin, { roomId, nickname: 'Carol' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
  });

  it('when the last member disconnects, the room is deleted after the grace period', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice');
    clients[0]!.close();
    expect(await roomIsStored(harness.store, roomId)).toBe(true);
    await eventually(async () => !(await roomIsStored(harness.store, roomId)));
  });

  it('a room nobody joins is deleted after the grace period', async () => {
    const client = await harness.connect();
    const { roomId } = expectOk(await client.request(ClientEvent.RoomCreate, {}));
    expect(await roomIsStored(harness.store, roomId)).toBe(true);
    await eventually(async () => !(await roomIsStored(harness.store, roomId)));
  });
});

describe('one session in several tabs', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness({ memberGraceMs: GRACE_MS });
  });
  afterEach(() => harness.close());

  it('is one member with one nickname, and messages reach every tab', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Bob');
    const secondTab = await harness.connect({ token: clients[0]!.token });
    const joined = await secondTab.request(ClientEvent.RoomJoin, { roomId, nickname: 'Whatever' });
    expect(joined).toMatchObject({ ok: true, self: { nickname: 'Alice' } });
    expect(expectOk(joined).members.map((m) => m.nickname)).toEqual(['Alice', 'Bob']);

    const inFirstTab = clients[0]!.next<Message>(ServerEvent.MessageNew, (m) => m.text === 'hey');
    const inSecondTab = secondTab.next<Message>(ServerEvent.MessageNew, (m) => m.text === 'hey');
    await clients[1]!.request(ClientEvent.MessageSend, {
      roomId,
      clientId: randomUUID(),
      text: 'hey',
    });
    await Promise.all([inFirstTab, inSecondTab]);
  });

  it('a nickname change reaches every tab of the session', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice');
    const secondTab = await harness.connect({ token: clients[0]!.token });
    await secondTab.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' });
    const update = secondTab.next<{ nickname: string }>(ServerEvent.SelfUpdate);
    await clients[0]!.request(ClientEvent.NicknameChange, { roomId, nickname: 'Alicia' });
    expect(await update).toEqual({ roomId, nickname: 'Alicia' });
  });

  it('leaves only when every tab has gone', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Bob');
    const secondTab = await harness.connect({ token: clients[0]!.token });
    await secondTab.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' });
    clients[0]!.close();
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS * 2));
    expect((await harness.store.listMembers(roomId)).map((m) => m.nickname)).toEqual([
      'Alice',
      'Bob',
    ]);
    const left = clients[1]!.next<Message>(ServerEvent.MessageNew, (m) => m.text === 'Alice left');
    secondTab.close();
    await left;
  });

  it('room:leave in one tab takes every tab out of the room', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Bob');
    const secondTab = await harness.connect({ token: clients[0]!.token });
    await secondTab.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' });
    const told = secondTab.next<{ roomId: string }>(ServerEvent.RoomLeft);
    await clients[0]!.request(ClientEvent.RoomLeave, { roomId });
    expect(await told).toEqual({ roomId });
    const reply = await secondTab.request(ClientEvent.MessageSend, {
      roomId,
      clientId: randomUUID(),
      text: 'still here?',
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
  });
});

describe('member lists of a busy room', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness({ memberGraceMs: GRACE_MS });
  });
  afterEach(() => harness.close());

  it('sends a burst of joins as a few lists, the last of them listing everyone', async () => {
    const { roomId, clients } = await roomWith(harness, 'Host');
    const host = clients[0]!;
    const guests = await Promise.all(Array.from({ length: 60 }, () => harness.connect()));
    const replies = await Promise.all(
      guests.map((guest, index) =>
        guest.request(ClientEvent.RoomJoin, { roomId, nickname: `Guest ${index}` }),
      ),
    );
    // Every joiner gets the list as it stood at its own join, in its acknowledgement.
    for (const reply of replies) {
      expect(expectOk(reply).members.map((member) => member.nickname)).toContain('Host');
    }
    const lists = () => host.received<MembersUpdate>(ServerEvent.MembersUpdate);
    await eventually(() => lists().at(-1)?.members.length === 61);
    expect(lists().length).toBeLessThan(guests.length / 2);
    // Nothing else is pending: the last list stays the last.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(lists().at(-1)?.members).toHaveLength(61);
  });
});
