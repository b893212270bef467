import { expect } from 'vitest';
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
