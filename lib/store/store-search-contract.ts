import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookKeys } from '../chat/nickname';
import { parseSearchQuery, type SearchQuery } from '../chat/search-query';
import type { StoreFixture } from './store-contract';
import type { SearchPage, Store } from './store';
import type { MessageChange } from '../chat/message-changes';

const SENT = '2026-01-01T00:00:00.000Z';
const LATER = '2026-01-01T00:05:00.000Z';

/**
 * One room of Polish, Portuguese, English and code, as every backend stores it. The seq of
 * each line is its place in the list (1-based); the comments say what happens to it later.
 */
const CORPUS: ReadonlyArray<{ by: 'ann' | 'bozena' | 'system'; text: string }> = [
  { by: 'ann', text: 'Deployment of the API is done' }, // 1
  { by: 'bozena', text: 'Żółw idzie powoli' }, // 2
  { by: 'ann', text: 'Ação rápida no coração' }, // 3
  { by: 'system', text: 'Ann joined: deployment notice' }, // 4
  { by: 'bozena', text: "const users = await fetch('/api/v2/users'); // deploy script" }, // 5
  { by: 'ann', text: 'zolw without diacritics, acao too' }, // 6
  { by: 'ann', text: 'release notes for the deploy' }, // 7, edited: 'release notes ready'
  { by: 'bozena', text: 'secret deployment plan' }, // 8, deleted
  { by: 'ann', text: "Ready to deploy? NEAR OR AND not -x ^ 'quoted' \\ back:slash" }, // 9
  { by: 'bozena', text: 'git commit -m "fix: search-query.ts parser"' }, // 10
  { by: 'bozena', text: 'Tortoise indeed' }, // 11, replies to 2, Ann reacts 👍
];

/** What each search finds in the corpus, newest first. */
const EXPECTED: ReadonlyArray<[query: string, seqs: number[]]> = [
  ['deployment', [1]],
  ['deplo', [9, 5, 1]],
  ['DEPLOY', [9, 5, 1]],
  ['"release notes"', [7]],
  ['"notes ready"', [7]],
  ['"ready notes"', []],
  ['release deploy', []],
  ['ready', [9, 7]],
  ['zolw', [6, 2]],
  ['żółw', [6, 2]],
  ['acao', [6, 3]],
  ['ação', [6, 3]],
  ['CORAÇÃO', [3]],
  ['"zolw idzie"', [2]],
  ['api', [5, 1]],
  ['api/v2', [5]],
  ['search-query.ts', [10]],
  ['"fix search"', [10]],
  ['"fix query"', []],
  ['from:ann deplo', [9, 1]],
  ['from:Bożena', [11, 10, 5, 2]],
  ['from:BOZENA deploy', [5]],
  ['from:nobody', []],
  ['secret', []],
  ['joined', []],
  ['notice', []],
  ['elsewhere', []],
  ['NEAR OR', [9]],
  ['back:slash', [9]],
  ['-x', [9]],
  ['a OR b', [9]],
];

/** Searches that must never throw, whatever they find. */
const HOSTILE = ['"', '*', 'NEAR(a b)', 'a OR b', '-x', '^', "'", '\\', ':', 'x:*', "'a' & !b"];

/**
 * What every backend finds when a room is searched: the same messages for the same query,
 * folded and tokenized alike, in their current state. Run beside `describeStoreContract`.
 */
export function describeSearchContract(backend: string, makeFixture: () => Promise<StoreFixture>) {
  describe(`${backend} store: searching messages`, () => {
    let fixture: StoreFixture;
    let store: Store;
    const roomId = `room-${randomUUID().slice(0, 8)}`;
    const otherRoomId = `room-${randomUUID().slice(0, 8)}`;

    const join = (room: string, sessionId: string, nickname: string) =>
      store.claimMember({
        roomId: room,
        sessionId,
        nickname,
        nicknameKey: nickname.toLowerCase(),
        lookKeys: lookKeys(nickname),
        joinedAt: SENT,
      });
    const say = async (room: string, sessionId: string, text: string, replyTo?: number) => {
      const draft = { id: randomUUID(), roomId: room, sessionId, clientId: randomUUID() };
      const outcome = await store.appendUserMessage({ ...draft, text, createdAt: SENT, replyTo });
      if (outcome.status !== 'stored') throw new Error(`not stored: ${outcome.status}`);
      return outcome.message.seq;
    };
    const search = async (room: string, raw: string, page: SearchPage = { limit: 50 }) => {
      const parsed = parseSearchQuery(raw);
      const query: SearchQuery = parsed.ok ? parsed.value : { terms: [] };
      return store.searchMessages(room, query, page);
    };
    const seqsOf = async (room: string, raw: string) =>
      (await search(room, raw)).messages.map((message) => message.seq);

    beforeAll(async () => {
      fixture = await makeFixture();
      store = await fixture.open();
      for (const room of [roomId, otherRoomId]) await store.createRoom(room, SENT);
      await join(roomId, 'ann', 'Ann');
      await join(roomId, 'bozena', 'Bożena');
      for (const line of CORPUS) {
        if (line.by === 'system') {
          const draft = { id: randomUUID(), roomId, author: 'livechat', createdAt: SENT };
          await store.appendSystemMessage({ ...draft, text: line.text });
        } else {
          await say(roomId, line.by, line.text, line.text === 'Tortoise indeed' ? 2 : undefined);
        }
      }
      const change = (sessionId: string, seq: number, made: MessageChange) =>
        store.changeMessage({ roomId, sessionId, seq, change: made, at: LATER });
      await change('ann', 7, { kind: 'edit', text: 'release notes ready' });
      await change('bozena', 8, { kind: 'delete' });
      await change('ann', 11, { kind: 'react', emoji: '👍', on: true });
      await join(otherRoomId, 'ann', 'Ann');
      await say(otherRoomId, 'ann', 'deployment elsewhere, zolw too');
    });
    afterAll(async () => {
      await store.close();
      await fixture.destroy();
    });

    it('finds each query’s messages, newest first, the same in every backend', async () => {
      const found: Array<[string, number[]]> = [];
      for (const [query] of EXPECTED) found.push([query, await seqsOf(roomId, query)]);
      expect(found).toEqual(EXPECTED);
    });

    it('finds other rooms’ messages only in their own room', async () => {
      expect(await seqsOf(otherRoomId, 'elsewhere')).toEqual([1]);
      expect(await seqsOf(otherRoomId, 'żółw')).toEqual([1]);
      expect(await seqsOf(otherRoomId, 'from:bozena')).toEqual([]);
    });

    it('returns messages as the log reads them, with replies and reactions', async () => {
      const log = (await store.listMessages(roomId, { limit: 50 })).messages;
      const [tortoise] = (await search(roomId, 'tortoise')).messages;
      expect(tortoise).toEqual(log.find((message) => message.seq === 11));
      expect(tortoise).toMatchObject({
        replyTo: { seq: 2 },
        reactions: [{ emoji: '👍', nicknames: ['Ann'] }],
      });
      const [edited] = (await search(roomId, 'ready notes')).messages;
      expect(edited).toEqual(log.find((message) => message.seq === 7));
      expect(edited).toMatchObject({ text: 'release notes ready', editedAt: LATER });
      for (const message of (await search(roomId, 'from:bozena')).messages) {
        expect(message).toEqual(log.find((each) => each.seq === message.seq));
      }
    });

    it('pages back with beforeSeq, saying whether older matches remain', async () => {
      const page = async (beforeSeq?: number) => {
        const result = await search(roomId, 'from:bozena', { beforeSeq, limit: 2 });
        return [result.messages.map((message) => message.seq), result.hasMore];
      };
      expect(await page()).toEqual([[11, 10], true]);
      expect(await page(10)).toEqual([[5, 2], false]);
      expect(await page(5)).toEqual([[2], false]);
      expect(await page(1)).toEqual([[], false]);
      const deplo = await search(roomId, 'deplo', { beforeSeq: 9, limit: 1 });
      expect([deplo.messages.map((message) => message.seq), deplo.hasMore]).toEqual([[5], true]);
    });

    it('finds nothing for a query without terms or author, and never throws', async () => {
      for (const terms of [[], [{ kind: 'word', word: '', prefix: true }]] as const) {
        expect(await store.searchMessages(roomId, { terms: [...terms] }, { limit: 10 })).toEqual({
          messages: [],
          hasMore: false,
        });
      }
      const handMade = { kind: 'word', word: "deplo' | *", prefix: true } as const;
      const found = await store.searchMessages(roomId, { terms: [handMade] }, { limit: 10 });
      expect(found.messages.map((message) => message.seq)).toEqual([9, 5, 1]);
      for (const raw of HOSTILE) {
        await expect(search(roomId, raw), raw).resolves.toMatchObject({ hasMore: false });
      }
    });

    it('finds an author by the nickname each message was sent under', async () => {
      const room = `room-${randomUUID().slice(0, 8)}`;
      await store.createRoom(room, SENT);
      await join(room, 'dee', 'Dee');
      await say(room, 'dee', 'before the rename');
      const renamed = await store.renameMember({
        roomId: room,
        sessionId: 'dee',
        nickname: 'Dana',
        nicknameKey: 'dana',
        lookKeys: lookKeys('Dana'),
      });
      expect(renamed.status).toBe('renamed');
      await say(room, 'dee', 'after the rename');
      expect(await seqsOf(room, 'from:dee')).toEqual([1]);
      expect(await seqsOf(room, 'from:dana rename')).toEqual([2]);
    });

    it('forgets a deleted room’s messages, even when its name is used again', async () => {
      const gone = `room-${randomUUID().slice(0, 8)}`;
      await store.createRoom(gone, SENT);
      await join(gone, 'cy', 'Cy');
      await say(gone, 'cy', 'ephemeral words');
      expect(await seqsOf(gone, 'ephemeral')).toEqual([1]);
      await store.removeMember(gone, 'cy');
      expect(await store.deleteRoomIfEmpty(gone)).toBe(true);
      await store.createRoom(gone, SENT);
      expect(await seqsOf(gone, 'ephemeral')).toEqual([]);
    });
  });
}
