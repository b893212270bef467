import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from './store';
import { describeChangeContract } from './store-changes-contract';
import { describeKeepersContract } from './store-keepers-contract';
import { describeSearchContract } from './store-search-contract';
import { describeUploadsContract } from './store-uploads-contract';
import { lookKeys } from '../chat/nickname';

/** How a backend's contract run gets a fresh, empty store, and (if durable) reopens the same data. */
export interface StoreFixture {
  open(): Promise<Store>;
  /** Drops everything the fixture created. */
  destroy(): Promise<void>;
}

const NOW = '2026-01-01T00:00:00.000Z';

/**
 * The behaviour every store backend must share. Each backend's test file runs it against a
 * fresh database, so the chat logic can rely on the same guarantees everywhere. Changes to
 * stored messages have their own part (`store-changes-contract.ts`), run with it.
 */
export function describeStoreContract(
  backend: string,
  makeFixture: () => Promise<StoreFixture>,
  { durable = true }: { durable?: boolean } = {},
) {
  describe(`${backend} store contract`, () => {
    let fixture: StoreFixture;
    let store: Store;

    beforeEach(async () => {
      fixture = await makeFixture();
      store = await fixture.open();
    });
    afterEach(async () => {
      await store.close();
      await fixture.destroy();
    });

    const room = async () => {
      const roomId = `room-${randomUUID().slice(0, 8)}`;
      expect(await store.createRoom(roomId, NOW)).toBe(true);
      return roomId;
    };
    const claim = (roomId: string, sessionId: string, nickname: string) =>
      store.claimMember({
        roomId,
        sessionId,
        nickname,
        nicknameKey: nickname.toLowerCase(),
        lookKeys: lookKeys(nickname),
        joinedAt: NOW,
      });
    const say = (roomId: string, sessionId: string, text: string, clientId = randomUUID()) =>
      store.appendUserMessage({
        id: randomUUID(),
        roomId,
        sessionId,
        clientId,
        text,
        createdAt: NOW,
      });
    const isStored = async (roomId: string) =>
      (await store.listRooms()).some((listed) => listed.roomId === roomId);
    const isListed = async (roomId: string) =>
      (await store.listPublicRooms(1000)).some((listed) => listed.roomId === roomId);
    const announce = (roomId: string, text: string) =>
      store.appendSystemMessage({ id: randomUUID(), roomId, author: 'x', text, createdAt: NOW });

    it('keeps the first secret stored under a name, for every caller, across reopening', async () => {
      expect(await store.serverSecret('session', 'first')).toBe('first');
      expect(await store.serverSecret('session', 'second')).toBe('first');
      expect(await store.serverSecret('other', 'x')).toBe('x');
      const racing = await Promise.all(
        ['a', 'b', 'c'].map((candidate) => store.serverSecret('raced', candidate)),
      );
      expect(new Set(racing).size).toBe(1);
      if (!durable) return;
      await store.close();
      store = await fixture.open();
      expect(await store.serverSecret('session', 'third')).toBe('first');
    });

    it('creates a room once; a second create with the same ID is refused', async () => {
      const roomId = await room();
      expect(await isStored(roomId)).toBe(true);
      expect(await store.createRoom(roomId, NOW)).toBe(false);
      expect(await isStored('nope')).toBe(false);
    });

    it('lists rooms with their member counts', async () => {
      const a = await room();
      const b = await room();
      await claim(a, 's1', 'Alice');
      await claim(a, 's2', 'Bob');
      const rooms = await store.listRooms();
      expect(rooms).toEqual(
        expect.arrayContaining([
          { roomId: a, memberCount: 2 },
          { roomId: b, memberCount: 0 },
        ]),
      );
    });

    it('previews a room: title, public or not, member count, and whether the asker is in it', async () => {
      const roomId = await room();
      await claim(roomId, 's1', 'Alice');
      await claim(roomId, 's2', 'Bob');
      expect(await store.roomPreview(roomId, 's1')).toEqual({
        title: '',
        isPublic: false,
        memberCount: 2,
        isMember: true,
      });
      expect(await store.roomPreview(roomId, 'stranger')).toMatchObject({ isMember: false });
      const open = `room-${randomUUID().slice(0, 8)}`;
      await store.createRoom(open, NOW, { isPublic: true });
      expect(await store.roomPreview(open, 's1')).toMatchObject({ isPublic: true, memberCount: 0 });
      expect(await store.roomPreview('no-such-room', 's1')).toBeUndefined();
    });

    it('lists only public rooms, most members first, up to the limit; rooms are private by default', async () => {
      const hidden = await room();
      const quiet = `room-${randomUUID().slice(0, 8)}`;
      const busy = `room-${randomUUID().slice(0, 8)}`;
      expect(await store.createRoom(quiet, NOW, { isPublic: true })).toBe(true);
      expect(await store.createRoom(busy, NOW, { isPublic: true })).toBe(true);
      await claim(hidden, 's1', 'Alice');
      await claim(busy, 's1', 'Alice');
      await claim(busy, 's2', 'Bob');
      expect(await isListed(hidden)).toBe(false);
      expect(await isListed(busy)).toBe(true);
      expect(await isListed('nope')).toBe(false);
      const listed = (await store.listPublicRooms(100)).filter((r) =>
        [hidden, quiet, busy].includes(r.roomId),
      );
      expect(listed).toEqual([
        { roomId: busy, memberCount: 2 },
        { roomId: quiet, memberCount: 0 },
      ]);
      expect(await store.listPublicRooms(1)).toHaveLength(1);
    });

    it('a claim joins, a repeated claim by the session returns its held nickname', async () => {
      const roomId = await room();
      expect(await claim(roomId, 's1', 'Alice')).toMatchObject({
        status: 'joined',
        member: { nickname: 'Alice', sessionId: 's1' },
      });
      expect(await claim(roomId, 's1', 'Other')).toMatchObject({
        status: 'already-member',
        member: { nickname: 'Alice' },
      });
    });

    it('a nickname key held by another session is taken; an unknown room is no-room', async () => {
      const roomId = await room();
      await claim(roomId, 's1', 'Alice');
      expect(await claim(roomId, 's2', 'ALICE')).toEqual({ status: 'nickname-taken' });
      expect(await claim('missing', 's2', 'Bob')).toEqual({ status: 'no-room' });
    });

    it('of many sessions claiming one nickname at once, exactly one gets it', async () => {
      const roomId = await room();
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, (_, n) => claim(roomId, `s${n}`, 'Alice')),
      );
      expect(outcomes.filter((outcome) => outcome.status === 'joined')).toHaveLength(1);
      expect(await store.listMembers(roomId)).toHaveLength(1);
    });

    it('lists members in the order they joined', async () => {
      const roomId = await room();
      for (const [n, nickname] of ['Zed', 'Amy', 'Mo', 'Bea'].entries()) {
        await claim(roomId, `s${n}`, nickname);
      }
      expect((await store.listMembers(roomId)).map((m) => m.nickname)).toEqual([
        'Zed',
        'Amy',
        'Mo',
        'Bea',
      ]);
    });

    it('renames a member unless another holds the key; a case change of its own is fine', async () => {
      const roomId = await room();
      await claim(roomId, 's1', 'Alice');
      await claim(roomId, 's2', 'Bob');
      const rename = (sessionId: string, nickname: string) =>
        store.renameMember({
          roomId,
          sessionId,
          nickname,
          nicknameKey: nickname.toLowerCase(),
          lookKeys: lookKeys(nickname),
        });
      expect(await rename('s1', 'bob')).toEqual({ status: 'nickname-taken' });
      expect(await rename('s1', 'ALICE')).toEqual({ status: 'renamed', previous: 'Alice' });
      expect(await rename('s1', 'Carol')).toEqual({ status: 'renamed', previous: 'ALICE' });
      expect(await rename('s9', 'Dan')).toEqual({ status: 'not-member' });
      expect(await claim(roomId, 's3', 'alice')).toMatchObject({ status: 'joined' });
      expect((await store.getMember(roomId, 's1'))?.nickname).toBe('Carol');
    });

    it('removes a member, freeing the nickname, and says how many remain', async () => {
      const roomId = await room();
      await claim(roomId, 's1', 'Alice');
      await claim(roomId, 's2', 'Bob');
      expect(await store.removeMember(roomId, 's1')).toMatchObject({
        member: { nickname: 'Alice' },
        remaining: 1,
      });
      expect(await store.removeMember(roomId, 's1')).toBeUndefined();
      expect(await store.getMember(roomId, 's1')).toBeUndefined();
      expect(await claim(roomId, 's3', 'Alice')).toMatchObject({ status: 'joined' });
    });

    it('numbers messages per room from 1, system and user alike, authored by the current nickname', async () => {
      const roomId = await room();
      await claim(roomId, 's1', 'Alice');
      expect(await announce(roomId, 'Alice joined')).toMatchObject({ seq: 1, kind: 'system' });
      const first = await say(roomId, 's1', 'hello');
      expect(first).toMatchObject({
        status: 'stored',
        created: true,
        message: { seq: 2, kind: 'user', author: 'Alice', text: 'hello', roomId },
      });
      await store.renameMember({
        roomId,
        sessionId: 's1',
        nickname: 'Al',
        nicknameKey: 'al',
        lookKeys: lookKeys('Al'),
      });
      expect(await say(roomId, 's1', 'again')).toMatchObject({ message: { seq: 3, author: 'Al' } });
      const other = await room();
      await claim(other, 's1', 'Alice');
      expect(await say(other, 's1', 'elsewhere')).toMatchObject({ message: { seq: 1 } });
    });

    it('the same clientId from the same session is stored once; from another session it is new', async () => {
      const roomId = await room();
      await claim(roomId, 's1', 'Alice');
      await claim(roomId, 's2', 'Bob');
      const clientId = randomUUID();
      const first = await say(roomId, 's1', 'once', clientId);
      const again = await say(roomId, 's1', 'once', clientId);
      expect(again).toEqual({ ...first, created: false });
      expect(await say(roomId, 's2', 'mine', clientId)).toMatchObject({ created: true });
      expect((await store.listMessages(roomId, { limit: 10 })).messages).toHaveLength(2);
    });

    it('refuses messages from non-members and for unknown rooms', async () => {
      const roomId = await room();
      expect(await say(roomId, 's1', 'hi')).toEqual({ status: 'not-member' });
      expect(await say('missing', 's1', 'hi')).toEqual({ status: 'not-member' });
      expect(await announce('missing', 'x')).toBeUndefined();
    });

    it('keeps sequence numbers gap-free under concurrent senders and retries', async () => {
      const roomId = await room();
      for (let n = 0; n < 4; n++) await claim(roomId, `s${n}`, `user${n}`);
      const retried = randomUUID();
      const distinct = Array.from({ length: 100 }, (_, n) => say(roomId, `s${n % 4}`, `m${n}`));
      const retries = Array.from({ length: 10 }, () => say(roomId, 's0', 'retry', retried));
      await Promise.all([...distinct, ...retries, announce(roomId, 'sys')]);
      const newest = await store.listMessages(roomId, { limit: 100 });
      const older = await store.listMessages(roomId, {
        beforeSeq: newest.messages[0]!.seq,
        limit: 100,
      });
      const seqs = [...older.messages, ...newest.messages].map((m) => m.seq);
      // 100 distinct messages, the retried one once, one announcement.
      expect(seqs).toEqual(Array.from({ length: 102 }, (_, i) => i + 1));
    });

    it('pages history newest first by beforeSeq, each page oldest first, with hasMore', async () => {
      const roomId = await room();
      await claim(roomId, 's1', 'Alice');
      for (let n = 1; n <= 25; n++) await say(roomId, 's1', `m${n}`);
      const newest = await store.listMessages(roomId, { limit: 10 });
      expect(newest.messages.map((m) => m.text)).toEqual(
        Array.from({ length: 10 }, (_, i) => `m${i + 16}`),
      );
      expect(newest.hasMore).toBe(true);
      const older = await store.listMessages(roomId, { beforeSeq: 16, limit: 10 });
      expect(older.messages.map((m) => m.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 6));
      const oldest = await store.listMessages(roomId, { beforeSeq: 6, limit: 10 });
      expect(oldest).toMatchObject({ hasMore: false });
      expect(oldest.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(await store.listMessages('missing', { limit: 10 })).toEqual({
        messages: [],
        hasMore: false,
        changeSeq: 0,
      });
    });

    it('reads forward from afterSeq, oldest first, saying whether newer ones remain', async () => {
      const roomId = await room();
      await claim(roomId, 's1', 'Alice');
      for (let n = 1; n <= 12; n++) await say(roomId, 's1', `m${n}`);
      const first = await store.listMessages(roomId, { afterSeq: 3, limit: 5 });
      expect(first.messages.map((m) => m.seq)).toEqual([4, 5, 6, 7, 8]);
      expect(first.hasMore).toBe(true);
      const rest = await store.listMessages(roomId, { afterSeq: 8, limit: 5 });
      expect(rest).toMatchObject({ hasMore: false });
      expect(rest.messages.map((m) => m.seq)).toEqual([9, 10, 11, 12]);
      expect(await store.listMessages(roomId, { afterSeq: 12, limit: 5 })).toEqual({
        messages: [],
        hasMore: false,
        changeSeq: 0,
      });
      expect((await store.listMessages(roomId, { afterSeq: 0, limit: 2 })).messages[0]?.seq).toBe(
        1,
      );
    });

    it('round-trips message fields exactly, clientId only on user messages', async () => {
      const roomId = await room();
      await claim(roomId, 's1', 'Zoë 👩‍💻');
      const clientId = randomUUID();
      const text = 'line one\nline two — «quotes» <b>not html</b> 😀';
      const stored = await say(roomId, 's1', text, clientId);
      await announce(roomId, 'note');
      const { messages } = await store.listMessages(roomId, { limit: 10 });
      expect(messages[0]).toEqual(stored.status === 'stored' ? stored.message : null);
      expect(messages[0]).toMatchObject({ text, clientId, author: 'Zoë 👩‍💻', createdAt: NOW });
      expect(messages[1]).not.toHaveProperty('clientId');
    });

    it('deletes a room with its messages and members only when it has no members', async () => {
      const roomId = await room();
      await claim(roomId, 's1', 'Alice');
      await say(roomId, 's1', 'hi');
      expect(await store.deleteRoomIfEmpty(roomId)).toBe(false);
      await store.removeMember(roomId, 's1');
      expect(await store.deleteRoomIfEmpty(roomId)).toBe(true);
      expect(await isStored(roomId)).toBe(false);
      expect((await store.listMessages(roomId, { limit: 10 })).messages).toEqual([]);
      expect(await store.deleteRoomIfEmpty(roomId)).toBe(false);
      // The same ID can start over from sequence number 1.
      expect(await store.createRoom(roomId, NOW)).toBe(true);
      await claim(roomId, 's1', 'Alice');
      expect(await say(roomId, 's1', 'fresh')).toMatchObject({ message: { seq: 1 } });
    });

    it('counts rooms, members, and people in rooms (each once), and answers a ping', async () => {
      await store.ping();
      const before = await store.counts();
      const [first, second] = [await room(), await room()];
      const [alice, bob] = [randomUUID(), randomUUID()];
      await claim(first, alice, 'Alice');
      await claim(first, bob, 'Bob');
      await claim(second, alice, 'Alice');
      expect(await store.counts()).toEqual({
        rooms: before.rooms + 2,
        members: before.members + 3,
        people: before.people + 2,
      });
    });

    it.skipIf(!durable)('keeps everything across close and reopen', async () => {
      const roomId = await room();
      const publicRoomId = `room-${randomUUID().slice(0, 8)}`;
      await store.createRoom(publicRoomId, NOW, { isPublic: true });
      await claim(roomId, 's1', 'Alice');
      await say(roomId, 's1', 'kept');
      await store.close();
      store = await fixture.open();
      expect(await isListed(publicRoomId)).toBe(true);
      expect((await store.getMember(roomId, 's1'))?.nickname).toBe('Alice');
      expect((await store.listMessages(roomId, { limit: 10 })).messages[0]?.text).toBe('kept');
      expect(await say(roomId, 's1', 'next')).toMatchObject({ message: { seq: 2 } });
    });
  });
  describeChangeContract(backend, makeFixture, { durable });
  describeKeepersContract(backend, makeFixture);
  describeSearchContract(backend, makeFixture);
  describeUploadsContract(backend, makeFixture);
}
