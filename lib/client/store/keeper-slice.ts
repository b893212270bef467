import type { Ban, BanLength, RoomInfo } from '../../protocol/definitions';
import { ErrorCode, failure, type Result, type ValueResult } from '../../protocol/errors';
import { ClientEvent, type Removal } from '../../protocol/events';
import { type ChatSlice, updateRoom } from './chat-slice';

/** Why this page was taken out of a room by its keepers, until the reader moves on. */
export interface RemovalNotice extends Removal {
  roomId: string;
}

export interface KeeperState {
  removal: RemovalNotice | null;
}

/** What the owner and moderators of the current room can do, and what they did to us. */
export interface KeeperActions {
  /** Title, topic, lock, slow mode: only what is given changes. */
  updateRoom(settings: Partial<RoomInfo>): Promise<ValueResult<RoomInfo>>;
  setModerator(nickname: string, moderator: boolean): Promise<ValueResult<null>>;
  /** Removes a member now; with `ban`, keeps it out for that long. */
  removeMember(nickname: string, ban?: BanLength): Promise<ValueResult<null>>;
  listBans(): Promise<ValueResult<Ban[]>>;
  liftBan(banId: string): Promise<ValueResult<null>>;
  /** The server pushed the room's new settings. */
  roomUpdated(roomId: string, room: RoomInfo): void;
  /** The keepers took this session out of a room: remembered so the start page can say so. */
  removedFrom(notice: RemovalNotice): void;
  dismissRemoval(): void;
}

export type KeeperSlice = KeeperState & KeeperActions;

export const initialKeeperState: KeeperState = { removal: null };

export const createKeeperSlice: ChatSlice<KeeperSlice> =
  ({ transport }) =>
  (set, get) => {
    /** Sends a request about the current room; its answer as a value. */
    const inRoom = async <T extends object, V>(
      send: (roomId: string) => Promise<Result<T>>,
      value: (answer: T) => V,
    ): Promise<ValueResult<V>> => {
      const room = get().room;
      if (!room) return failure(ErrorCode.NotInRoom, 'Join a room first.');
      const result = await send(room.roomId);
      return result.ok ? { ok: true, value: value(result) } : result;
    };

    return {
      ...initialKeeperState,

      async updateRoom(settings) {
        const result = await inRoom(
          (roomId) => transport.request(ClientEvent.RoomUpdate, { roomId, ...settings }),
          (answer) => answer.room,
        );
        if (result.ok) get().roomUpdated(get().room!.roomId, result.value);
        return result;
      },

      setModerator: (nickname, moderator) =>
        inRoom(
          (roomId) => transport.request(ClientEvent.MemberRole, { roomId, nickname, moderator }),
          () => null,
        ),

      removeMember: (nickname, ban) =>
        inRoom(
          (roomId) =>
            transport.request(ClientEvent.MemberRemove, { roomId, nickname, ...(ban && { ban }) }),
          () => null,
        ),

      listBans: () =>
        inRoom(
          (roomId) => transport.request(ClientEvent.BanList, { roomId }),
          (answer) => answer.bans,
        ),

      liftBan: (banId) =>
        inRoom(
          (roomId) => transport.request(ClientEvent.BanLift, { roomId, banId }),
          () => null,
        ),

      roomUpdated: (roomId, info) => updateRoom(set, roomId, () => ({ info })),

      removedFrom(notice) {
        set({ removal: notice });
        get().roomLeft(notice.roomId);
      },

      dismissRemoval: () => set({ removal: null }),
    };
  };
