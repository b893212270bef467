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
