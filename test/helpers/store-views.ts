import { expect } from 'vitest';
import { parseSearchQuery } from '../../lib/chat/search-query';
import type { Store } from '../../lib/store/store';

/** Whether the store holds a room with this ID, read the way the server reads rooms. */
export async function roomIsStored(store: Store, roomId: string): Promise<boolean> {
  return (await store.listRooms()).some((room) => room.roomId === roomId);
}

/** Whether the lobby would list this room. */
export async function roomIsListed(store: Store, roomId: string): Promise<boolean> {
  return (await store.listPublicRooms(Number.MAX_SAFE_INTEGER)).some(
    (room) => room.roomId === roomId,
  );
}

/** The message stored before version 8 reads as it was, and takes reactions like any other. */
export async function expectOldMessageKept(store: Store): Promise<void> {
  const kept = { id: 'm1', roomId: 'r', seq: 1, kind: 'user', author: 'Ann', text: 'a' };
  const [first] = (await store.listMessages('r', { limit: 10 })).messages;
  expect(first).toEqual({ ...kept, createdAt: 'x', clientId: 'c1' });
  const change = { kind: 'react', emoji: '👍', on: true } as const;
  expect(
    await store.changeMessage({ roomId: 'r', sessionId: 's1', seq: 1, change, at: 'now' }),
  ).toMatchObject({ status: 'changed', message: { ...kept, changeSeq: 1 } });
}

/**
 * A room of schema version 9, in SQL both dialects run: Żaneta's messages, a system notice
 * and a deleted message among them, and another room's message.
 */
export const STORED_BEFORE_SEARCH = `
  INSERT INTO rooms (room_id, created_at) VALUES ('r', 'x'), ('q', 'x');
  INSERT INTO messages (room_id, seq, id, kind, author, text, created_at, session_id, client_id, deleted_at)
    VALUES ('r', 1, 'm1', 'user', 'Żaneta', 'Deployment of żółw', 'x', 's1', 'c1', NULL),
      ('r', 2, 'm2', 'system', 'livechat', 'deployment notice', 'x', NULL, NULL, NULL),
      ('r', 3, 'm3', 'user', 'Żaneta', '', 'x', 's1', 'c3', 'y'),
      ('r', 4, 'm4', 'user', 'Bo', 'ação and deploy', 'x', 's2', 'c4', NULL),
      ('q', 1, 'm5', 'user', 'Bo', 'deployment elsewhere', 'x', 's2', 'c5', NULL);
`;

/** The messages of `STORED_BEFORE_SEARCH` are found as any other: standing user ones only. */
export async function expectStoredMessagesFound(store: Store): Promise<void> {
  const seqsOf = async (roomId: string, raw: string) => {
    const query = parseSearchQuery(raw);
    if (!query.ok) throw new Error(query.error.message);
    const found = await store.searchMessages(roomId, query.value, { limit: 10 });
    return found.messages.map((message) => message.seq);
  };
  expect(await seqsOf('r', 'deplo')).toEqual([4, 1]);
  expect(await seqsOf('r', 'zolw')).toEqual([1]);
  expect(await seqsOf('r', 'acao')).toEqual([4]);
  expect(await seqsOf('r', 'from:zaneta')).toEqual([1]);
  expect(await seqsOf('q', 'deployment')).toEqual([1]);
}
