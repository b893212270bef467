import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageChange } from '../chat/message-changes';
import { lookKeys } from '../chat/nickname';
import { EDIT_WINDOW_MS, MAX_REACTIONS_PER_MESSAGE } from '../protocol/limits';
import type { StoreFixture } from './store-contract';
import type { Store } from './store';

const SENT = '2026-01-01T00:00:00.000Z';
const LATER = '2026-01-01T00:05:00.000Z';

/**
 * What every backend does with changes to stored messages: edits, deletions, reactions and
 * replies, the room's change log, and catching up on it. Run by each backend's test file
 * beside `describeStoreContract`.
 */
export function describeChangeContract(
  backend: string,
  makeFixture: () => Promise<StoreFixture>,
  { durable = true }: { durable?: boolean } = {},
) {
  describe(`${backend} store: changes to messages`, () => {
    let fixture: StoreFixture;
    let store: Store;
    let roomId: string;

    beforeEach(async () => {
      fixture = await makeFixture();
      store = await fixture.open();
      roomId = `room-${randomUUID().slice(0, 8)}`;
      await store.createRoom(roomId, SENT);
      for (const [sessionId, nickname] of [
        ['s1', 'Alice'],
        ['s2', 'Bob'],
        ['s3', 'Cy'],
      ]) {
        await store.claimMember({
          roomId,
          sessionId: sessionId!,
          nickname: nickname!,
          nicknameKey: nickname!.toLowerCase(),
          lookKeys: lookKeys(nickname!),
          joinedAt: SENT,
        });
      }
    });
    afterEach(async () => {
      await store.close();
      await fixture.destroy();
    });

    const say = async (sessionId: string, text: string, replyTo?: number) => {
      const outcome = await store.appendUserMessage({
        id: randomUUID(),
        roomId,
        sessionId,
        clientId: randomUUID(),
        text,
        createdAt: SENT,
        replyTo,
      });
      return outcome;
    };
    const said = async (sessionId: string, text: string) => {
      const outcome = await say(sessionId, text);
      if (outcome.status !== 'stored') throw new Error(`not stored: ${outcome.status}`);
      return outcome.message.seq;
    };
    const change = (sessionId: string, seq: number, made: MessageChange, at = LATER) =>
      store.changeMessage({ roomId, sessionId, seq, change: made, at });
    const react = (sessionId: string, seq: number, emoji: string, on = true) =>
      change(sessionId, seq, { kind: 'react', emoji, on });
    const stored = async (seq: number) =>
      (await store.listMessages(roomId, { afterSeq: seq - 1, limit: 1 })).messages[0];

    it('edits its author’s message within the window; a repeat changes nothing', async () => {
      const seq = await said('s1', 'helo');
      const edited = await change('s1', seq, { kind: 'edit', text: 'hello' });
      expect(edited).toEqual({
        status: 'changed',
        message: expect.objectContaining({ seq, text: 'hello', editedAt: LATER, changeSeq: 1 }),
      });
      expect(await stored(seq)).toEqual(edited.status === 'changed' && edited.message);
      expect(await change('s1', seq, { kind: 'edit', text: 'hello' })).toMatchObject({
        status: 'unchanged',
        message: { text: 'hello', changeSeq: 1 },
      });
      expect(await change('s2', seq, { kind: 'edit', text: 'mine now' })).toEqual({
        status: 'refused',
        reason: 'not-yours',
      });
      const tooLate = new Date(Date.parse(SENT) + EDIT_WINDOW_MS + 1).toISOString();
      expect(await change('s1', seq, { kind: 'edit', text: 'late' }, tooLate)).toEqual({
        status: 'refused',
        reason: 'edit-window-closed',
      });
      expect((await stored(seq))?.text).toBe('hello');
    });

    it('refuses changes to system messages, missing messages, and from non-members', async () => {
      await store.appendSystemMessage({
        id: randomUUID(),
        roomId,
        author: 'Alice',
        text: 'Alice joined',
        createdAt: SENT,
      });
      expect(await change('s1', 1, { kind: 'delete' })).toEqual({
        status: 'refused',
        reason: 'not-found',
      });
      expect(await react('s1', 1, '👍')).toEqual({ status: 'refused', reason: 'not-found' });
      expect(await react('s1', 99, '👍')).toEqual({ status: 'refused', reason: 'not-found' });
      expect(await react('nobody', 1, '👍')).toEqual({ status: 'not-member' });
      expect((await store.listMessages(roomId, { limit: 5 })).changeSeq).toBe(0);
    });

    it('deletes its author’s message: the text and reactions are gone, replies say so', async () => {
      const seq = await said('s1', 'a secret');
      await react('s2', seq, '👀');
      const reply = await say('s2', 'what secret?', seq);
      expect(reply).toMatchObject({
        message: { replyTo: { seq, author: 'Alice', excerpt: 'a secret' } },
      });
      expect(await change('s2', seq, { kind: 'delete' })).toEqual({
        status: 'refused',
        reason: 'not-yours',
      });
      const deleted = await change('s1', seq, { kind: 'delete' });
      expect(deleted).toMatchObject({
        status: 'changed',
        message: { seq, text: '', deletedAt: LATER, changeSeq: 2 },
      });
      expect(deleted.status === 'changed' && deleted.message.reactions).toBeUndefined();
      const page = await store.listMessages(roomId, { limit: 10 });
      expect(page.messages[0]).toMatchObject({ text: '', deletedAt: LATER });
      expect(page.messages[0]).not.toHaveProperty('reactions');
      expect(page.messages[1]?.replyTo).toEqual({
        seq,
        author: 'Alice',
        excerpt: '',
        deleted: true,
      });
      expect(await change('s1', seq, { kind: 'delete' })).toMatchObject({ status: 'unchanged' });
      for (const attempt of [{ kind: 'edit', text: 'back' } as const]) {
        expect(await change('s1', seq, attempt)).toEqual({ status: 'refused', reason: 'deleted' });
      }
      expect(await react('s2', seq, '👍')).toEqual({ status: 'refused', reason: 'deleted' });
      expect(await say('s2', 'replying anyway', seq)).toEqual({
        status: 'refused',
        reason: 'deleted',
      });
    });

    it('replies quote the first line of their message as it is now', async () => {
      const seq = await said('s1', 'first line\nsecond line');
      expect(await say('s2', 'to nothing', 42)).toEqual({ status: 'refused', reason: 'not-found' });
      const reply = await say('s2', 'yes', seq);
      expect(reply).toMatchObject({
        status: 'stored',
        message: { replyTo: { seq, author: 'Alice', excerpt: 'first line…' } },
      });
      await change('s1', seq, { kind: 'edit', text: 'changed' });
      expect((await stored(seq + 1))?.replyTo).toEqual({
        seq,
        author: 'Alice',
        excerpt: 'changed',
      });
    });

    it('counts one reaction per member and emoji, in the order given, however often asked', async () => {
      const seq = await said('s1', 'lunch?');
      expect(await react('s2', seq, '👍')).toMatchObject({ status: 'changed' });
      expect(await react('s2', seq, '👍')).toMatchObject({ status: 'unchanged' });
      await react('s3', seq, '🍕');
      await react('s1', seq, '👍');
      expect((await stored(seq))?.reactions).toEqual([
        { emoji: '👍', nicknames: ['Bob', 'Alice'] },
        { emoji: '🍕', nicknames: ['Cy'] },
      ]);
      expect(await react('s2', seq, '👍', false)).toMatchObject({ status: 'changed' });
      expect(await react('s2', seq, '👍', false)).toMatchObject({ status: 'unchanged' });
      expect(await react('s3', seq, '🍕', false)).toMatchObject({
        message: { reactions: [{ emoji: '👍', nicknames: ['Alice'] }] },
      });
      expect((await store.listMessages(roomId, { limit: 5 })).changeSeq).toBe(5);
    });

    it(`takes at most ${MAX_REACTIONS_PER_MESSAGE} distinct emoji on a message`, async () => {
      const seq = await said('s1', 'react to me');
      const emoji = [...'😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙😚🙂🤗'];
      expect(emoji).toHaveLength(MAX_REACTIONS_PER_MESSAGE);
      for (const each of emoji)
        expect(await react('s1', seq, each)).toMatchObject({ status: 'changed' });
      expect(await react('s2', seq, '🤔')).toEqual({
        status: 'refused',
        reason: 'too-many-reactions',
      });
      expect(await react('s2', seq, '😀')).toMatchObject({ status: 'changed' });
    });

    it('catches up: changes after a number, each message once at its latest change, paged', async () => {
      const [a, b, c] = [await said('s1', 'a'), await said('s1', 'b'), await said('s2', 'c')];
      const before = (await store.listMessages(roomId, { limit: 10 })).changeSeq;
      expect(before).toBe(0);
      await change('s1', a, { kind: 'edit', text: 'a2' }); // 1
      await react('s3', c, '👍'); // 2
      await change('s1', b, { kind: 'delete' }); // 3
      await change('s1', a, { kind: 'edit', text: 'a3' }); // 4
      const all = await store.listChanges(roomId, 0, 10);
      expect(all.messages.map((m) => [m.seq, m.changeSeq])).toEqual([
        [c, 2],
        [b, 3],
        [a, 4],
      ]);
      expect(all).toMatchObject({ changeSeq: 4, hasMore: false });
      expect(all.messages[2]?.text).toBe('a3');
      expect(all.messages[0]?.reactions).toEqual([{ emoji: '👍', nicknames: ['Cy'] }]);
      const first = await store.listChanges(roomId, 0, 2);
      expect(first.messages.map((m) => m.seq)).toEqual([a, c]);
      expect(first).toMatchObject({ changeSeq: 2, hasMore: true });
      const rest = await store.listChanges(roomId, first.changeSeq, 2);
      expect(rest.messages.map((m) => m.seq)).toEqual([b, a]);
      expect(rest).toMatchObject({ changeSeq: 4, hasMore: false });
      expect(await store.listChanges(roomId, 4, 2)).toEqual({
        messages: [],
        changeSeq: 4,
        hasMore: false,
      });
      expect((await store.listMessages(roomId, { limit: 10 })).changeSeq).toBe(4);
    });

    it('numbers changes gap-free when many members react at once', async () => {
      const seq = await said('s1', 'vote');
      const sessions = ['s1', 's2', 's3'];
      await Promise.all(
        sessions.flatMap((sessionId) => ['👍', '👎', '🎉'].map((e) => react(sessionId, seq, e))),
      );
      const page = await store.listChanges(roomId, 0, 100);
      expect(page.changeSeq).toBe(9);
      expect(page.messages).toHaveLength(1);
      expect(page.messages[0]?.reactions?.map((r) => r.nicknames.length)).toEqual([3, 3, 3]);
    });

    it('a deleted room takes its changes and reactions; its ID starts over', async () => {
      const seq = await said('s1', 'bye');
      await react('s2', seq, '👋');
      for (const sessionId of ['s1', 's2', 's3']) await store.removeMember(roomId, sessionId);
      expect(await store.deleteRoomIfEmpty(roomId)).toBe(true);
      expect(await store.createRoom(roomId, SENT)).toBe(true);
      expect(await store.listChanges(roomId, 0, 10)).toEqual({
        messages: [],
        changeSeq: 0,
        hasMore: false,
      });
    });

    it.skipIf(!durable)(
      'keeps edits, deletions and reactions across close and reopen',
      async () => {
        const [a, b] = [await said('s1', 'a'), await said('s1', 'b')];
        await change('s1', a, { kind: 'edit', text: 'a2' });
        await change('s1', b, { kind: 'delete' });
        await react('s2', a, '👍');
        const before = await store.listMessages(roomId, { limit: 10 });
        await store.close();
        store = await fixture.open();
        expect(await store.listMessages(roomId, { limit: 10 })).toEqual(before);
        expect(await react('s3', a, '👍')).toMatchObject({ message: { changeSeq: 4 } });
      },
    );
  });
}
