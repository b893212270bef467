import type { Member, Message, RoomInfo, RoomPreview } from '../../protocol/definitions';
import { ErrorCode, failure, type ValueResult } from '../../protocol/errors';
import { ClientEvent } from '../../protocol/events';
import { mergeMessages } from '../merge-messages';
import { type ChatSlice, updateRoom } from './chat-slice';
import { fetchMissed, firstHole } from './history-slice';
import { pendingAfterLeaving, pendingAfterRemoval } from './outbox-slice';
import { typistsAmong } from './presence-slice';

/** The room this page is in, as the server last described it. */
export interface RoomView {
  roomId: string;
  nickname: string;
  /** What this session's messages carry (`Message.authorKey`). */
  authorKey: string;
  members: Member[];
  /** Deduplicated by ID, ordered by sequence number. */
  messages: Message[];
  /** Whether older messages exist than the first one held. */
  hasMore: boolean;
  loadingOlder: boolean;
  /** Every change to stored messages up to this number is applied to the log. */
  changeSeq: number;
  /** How the room is run: its title, topic, lock and slow mode. */
  info: RoomInfo;
  /**
   * A stretch of older history shown instead of the live log after a jump to a message far
   * back (a search result, a reply's original); live messages keep arriving in `messages`.
   */
  jump?: JumpWindow;
}

/** Messages around one far back in the log, with whether more lie on either side. */
export interface JumpWindow {
  /** The message jumped to. */
  targetSeq: number;
  messages: Message[];
  hasOlder: boolean;
  hasNewer: boolean;
}

/** Which room this page is in, if any. */
export interface RoomState {
  room: RoomView | null;
}

/** Creating, joining and leaving rooms, and what the server says about our membership. */
export interface RoomActions {
  createRoom(options?: { isPublic?: boolean }): Promise<ValueResult<string>>;
  /**
   * What the links of `roomIds` lead to, without joining: whether each room is open, its
   * title and member count, and whether this session is in it (e.g. after a reload).
   */
  previewRooms(roomIds: string[]): Promise<ValueResult<RoomPreview[]>>;
  joinRoom(roomId: string, nickname: string): Promise<ValueResult<string>>;
  /** Joins the current room again after a reconnect and merges what was missed. */
  rejoin(): Promise<void>;
  leaveRoom(): Promise<void>;
  changeNickname(nickname: string): Promise<ValueResult<string>>;
  membersUpdated(roomId: string, members: Member[]): void;
  selfUpdated(roomId: string, nickname: string): void;
  roomLeft(roomId: string): void;
}

export type RoomSlice = RoomState & RoomActions;

/** Outside any room. */
export const initialRoomState: RoomState = { room: null };

/** Answers to a rejoin that mean this session is no longer in the room. */
const REJOIN_REFUSALS = new Set<string>([
  ErrorCode.RoomNotFound,
  ErrorCode.NicknameTaken,
  ErrorCode.NotInRoom,
  ErrorCode.InvalidInput,
]);

/** The room slice: membership of the current room, and catching up whenever we (re)join. */
export const createRoomSlice: ChatSlice<RoomSlice> =
  ({ transport }) =>
  (set, get) => ({
    ...initialRoomState,

    async createRoom(options = {}) {
      const result = await transport.request(
        ClientEvent.RoomCreate,
        options.isPublic ? { public: true } : {},
      );
      return result.ok ? { ok: true, value: result.roomId } : { ok: false, error: result.error };
    },

    async previewRooms(roomIds) {
      const result = await transport.request(ClientEvent.RoomPreview, { roomIds });
      return result.ok ? { ok: true, value: result.rooms } : result;
    },

    async joinRoom(roomId, nickname) {
      const result = await transport.request(ClientEvent.RoomJoin, { roomId, nickname });
      if (!result.ok) return { ok: false, error: result.error };
      // Rejoining a room we hold a log of: fill any hole between it and the fresh page, so
      // the log stays gap-free however long we were away.
      const held = get().room?.roomId === result.roomId ? get().room : null;
      // Live messages may already have arrived ahead of this answer, so the held log can
      // have a hole: catch up from the end of its unbroken start, not from its last entry.
      const lastHeld = held
        ? (firstHole(held.messages)?.afterSeq ?? held.messages.at(-1)?.seq ?? 0)
        : 0;
      const firstFresh = result.messages[0]?.seq ?? lastHeld + 1;
      const missed =
        held && firstFresh > lastHeld + 1
          ? await fetchMissed(transport, result.roomId, lastHeld, firstFresh)
          : [];
      set((state) => {
        const current = state.room?.roomId === result.roomId ? state.room : null;
        const room = {
          roomId: result.roomId,
          nickname: result.self.nickname,
          authorKey: result.self.authorKey,
          members: result.members,
          loadingOlder: false,
          info: result.room,
        };
        if (!current)
          return {
            room: {
              ...room,
              messages: result.messages,
              hasMore: result.hasMore,
              changeSeq: result.changeSeq,
            },
            typists: {},
            // In a room again: what the keepers of another did is old news.
            removal: null,
          };
        // Back in a room we hold a log of: changes since its number are fetched below.
        const { changeSeq } = current;
        if (missed) {
          const messages = mergeMessages(current.messages, [...missed, ...result.messages]);
          return { room: { ...room, messages, hasMore: current.hasMore, changeSeq } };
        }
        // The hole could not be filled (too much, or the link dropped again): start over
        // from the fresh page plus what arrived live after it; older stays reachable by
        // paging back.
        const newer = current.messages.filter((message) => message.seq > firstFresh);
        return {
          room: {
            ...room,
            messages: mergeMessages(result.messages, newer),
            hasMore: result.hasMore,
            changeSeq,
          },
        };
      });
      if (held) void get().catchUpChanges();
      void get().flushOutbox();
      // A new connection starts out active on the server: repeat that this tab is idle.
      if (get().idle) void transport.request(ClientEvent.PresenceSet, { idle: true });
      return { ok: true, value: result.roomId };
    },

    async rejoin() {
      const room = get().room;
      if (!room) return;
      const joined = await get().joinRoom(room.roomId, room.nickname);
      // Away longer than the grace period: the room may be gone, or the nickname taken.
      // Then we are out of the room (the page asks again); a timeout just waits for the
      // next connection.
      if (!joined.ok && REJOIN_REFUSALS.has(joined.error.code)) get().roomLeft(room.roomId);
    },

    async leaveRoom() {
      const room = get().room;
      if (!room) return;
      set((state) => ({ room: null, pending: pendingAfterLeaving(state.pending, room.roomId) }));
      await transport.request(ClientEvent.RoomLeave, { roomId: room.roomId });
    },

    async changeNickname(nickname) {
      const room = get().room;
      if (!room) return failure(ErrorCode.NotInRoom, 'Join a room first.');
      const result = await transport.request(ClientEvent.NicknameChange, {
        roomId: room.roomId,
        nickname,
      });
      if (!result.ok) return { ok: false, error: result.error };
      updateRoom(set, room.roomId, () => ({ nickname: result.nickname }));
      return { ok: true, value: result.nickname };
    },

    membersUpdated(roomId, members) {
      set((state) =>
        state.room?.roomId === roomId
          ? { room: { ...state.room, members }, typists: typistsAmong(state.typists, members) }
          : {},
      );
    },

    selfUpdated: (roomId, nickname) => updateRoom(set, roomId, () => ({ nickname })),

    roomLeft(roomId) {
      set((state) =>
        state.room?.roomId === roomId
          ? { room: null, pending: pendingAfterRemoval(state.pending, roomId) }
          : {},
      );
    },
  });
