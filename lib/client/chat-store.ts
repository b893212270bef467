import { createStore } from 'zustand/vanilla';
import type { Member, Message } from '../protocol/definitions';
import { ErrorCode } from '../protocol/errors';
import { ClientEvent } from '../protocol/events';
import { DEFAULT_HISTORY_PAGE } from '../protocol/limits';
import type { ConnectionState } from './connection-state';
import { mergeMessages } from './merge-messages';
import type { ChatTransport } from './transport';

/** A message of ours the server has not acknowledged yet, or refused. */
export interface PendingMessage {
  clientId: string;
  roomId: string;
  text: string;
  createdAt: string;
  status: 'sending' | 'failed';
  error?: string;
}

/** The room this page is in, as the server last described it. */
export interface RoomView {
  roomId: string;
  nickname: string;
  members: Member[];
  /** Deduplicated by ID, ordered by sequence number. */
  messages: Message[];
  /** Whether older messages exist than the first one held. */
  hasMore: boolean;
  loadingOlder: boolean;
}

/** An action's outcome for the component that started it. */
export type ActionOutcome<T = void> =
  { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

export interface ChatState {
  connection: ConnectionState;
  room: RoomView | null;
  pending: PendingMessage[];
}

export interface ChatActions {
  setConnection(connection: ConnectionState): void;
  createRoom(): Promise<ActionOutcome<string>>;
  /** Whether this session already is a member of `roomId` (e.g. after a reload), without joining. */
  checkMembership(roomId: string): Promise<ActionOutcome<boolean>>;
  joinRoom(roomId: string, nickname: string): Promise<ActionOutcome<string>>;
  /** Joins the current room again after a reconnect and merges what was missed. */
  rejoin(): Promise<void>;
  leaveRoom(): Promise<void>;
  sendMessage(text: string): Promise<void>;
  retryMessage(clientId: string): Promise<void>;
  loadOlder(): Promise<void>;
  changeNickname(nickname: string): Promise<ActionOutcome<string>>;
  messageReceived(message: Message): void;
  membersUpdated(roomId: string, members: Member[]): void;
  selfUpdated(roomId: string, nickname: string): void;
  roomLeft(roomId: string): void;
}

export type ChatStore = ReturnType<typeof createChatStore>;

/** Sources the store needs from the page; tests pass fakes. */
export interface ChatStoreDeps {
  transport: ChatTransport;
  newClientId?: () => string;
  clock?: () => Date;
}

export const initialChatState: ChatState = { connection: 'connecting', room: null, pending: [] };

/**
 * The client's room state and the actions that change it. One store per page, created in the
 * client provider; socket events reach it through `bindSocketToStore`.
 */
export function createChatStore(deps: ChatStoreDeps) {
  const { transport } = deps;
  const newClientId = deps.newClientId ?? (() => crypto.randomUUID());
  const clock = deps.clock ?? (() => new Date());

  return createStore<ChatState & ChatActions>()((set, get) => {
    /** Applies a change to the current room, if it is still `roomId`. */
    const updateRoom = (roomId: string, change: (room: RoomView) => Partial<RoomView>) =>
      set((state) =>
        state.room?.roomId === roomId ? { room: { ...state.room, ...change(state.room) } } : {},
      );

    const deliver = async (pending: PendingMessage) => {
      const result = await transport.request(ClientEvent.MessageSend, {
        roomId: pending.roomId,
        clientId: pending.clientId,
        text: pending.text,
      });
      if (result.ok) {
        get().messageReceived(result.message);
        return;
      }
      set((state) => ({
        pending: state.pending.map((item) =>
          item.clientId === pending.clientId
            ? { ...item, status: 'failed', error: result.error.message }
            : item,
        ),
      }));
    };

    return {
      ...initialChatState,

      setConnection: (connection) => set({ connection }),

      async createRoom() {
        const result = await transport.request(ClientEvent.RoomCreate, {});
        return result.ok ? { ok: true, value: result.roomId } : { ok: false, error: result.error };
      },

      async checkMembership(roomId) {
        // The protocol has no membership query; a one-message history page is members-only.
        const result = await transport.request(ClientEvent.MessageHistory, { roomId, limit: 1 });
        if (result.ok) return { ok: true, value: true };
        if (result.error.code === ErrorCode.NotInRoom) return { ok: true, value: false };
        return { ok: false, error: result.error };
      },

      async joinRoom(roomId, nickname) {
        const result = await transport.request(ClientEvent.RoomJoin, { roomId, nickname });
        if (!result.ok) return { ok: false, error: result.error };
        set((state) => {
          const held = state.room?.roomId === result.roomId ? state.room : null;
          // Keep what we hold only if the fresh page continues it without a hole; otherwise
          // start again from the fresh page (older messages stay reachable through paging).
          const lastHeld = held?.messages.at(-1)?.seq ?? 0;
          const firstFresh = result.messages[0]?.seq ?? lastHeld + 1;
          const continues = held !== null && firstFresh <= lastHeld + 1;
          return {
            room: {
              roomId: result.roomId,
              nickname: result.self.nickname,
              members: result.members,
              messages: continues ? mergeMessages(held.messages, result.messages) : result.messages,
              hasMore: continues ? held.hasMore : result.hasMore,
              loadingOlder: false,
            },
          };
        });
        return { ok: true, value: result.roomId };
      },

      async rejoin() {
        const { room, pending } = get();
        if (!room) return;
        const joined = await get().joinRoom(room.roomId, room.nickname);
        if (!joined.ok) return;
        for (const item of pending) {
          if (item.roomId === room.roomId && item.status === 'sending') await deliver(item);
        }
      },

      async leaveRoom() {
        const room = get().room;
        if (!room) return;
        set({ room: null, pending: [] });
        await transport.request(ClientEvent.RoomLeave, { roomId: room.roomId });
      },

      async sendMessage(text) {
        const room = get().room;
        if (!room) return;
        const pending: PendingMessage = {
          clientId: newClientId(),
          roomId: room.roomId,
          text,
          createdAt: clock().toISOString(),
          status: 'sending',
        };
        set((state) => ({ pending: [...state.pending, pending] }));
        await deliver(pending);
      },

      async retryMessage(clientId) {
        const item = get().pending.find((candidate) => candidate.clientId === clientId);
        if (!item) return;
        const retrying: PendingMessage = { ...item, status: 'sending', error: undefined };
        set((state) => ({
          pending: state.pending.map((candidate) =>
            candidate.clientId === clientId ? retrying : candidate,
          ),
        }));
        await deliver(retrying);
      },

      async loadOlder() {
        const room = get().room;
        if (!room || !room.hasMore || room.loadingOlder) return;
        updateRoom(room.roomId, () => ({ loadingOlder: true }));
        const result = await transport.request(ClientEvent.MessageHistory, {
          roomId: room.roomId,
          beforeSeq: room.messages[0]?.seq,
          limit: DEFAULT_HISTORY_PAGE,
        });
        updateRoom(room.roomId, (current) =>
          result.ok
            ? {
                messages: mergeMessages(current.messages, result.messages),
                hasMore: result.hasMore,
                loadingOlder: false,
              }
            : { loadingOlder: false },
        );
      },

      async changeNickname(nickname) {
        const room = get().room;
        if (!room)
          return { ok: false, error: { code: 'NOT_IN_ROOM', message: 'Join a room first.' } };
        const result = await transport.request(ClientEvent.NicknameChange, {
          roomId: room.roomId,
          nickname,
        });
        if (!result.ok) return { ok: false, error: result.error };
        updateRoom(room.roomId, () => ({ nickname: result.nickname }));
        return { ok: true, value: result.nickname };
      },

      messageReceived(message) {
        set((state) => {
          if (state.room?.roomId !== message.roomId) return {};
          const pending = message.clientId
            ? state.pending.filter((item) => item.clientId !== message.clientId)
            : state.pending;
          return {
            room: { ...state.room, messages: mergeMessages(state.room.messages, [message]) },
            pending,
          };
        });
      },

      membersUpdated: (roomId, members) => updateRoom(roomId, () => ({ members })),

      selfUpdated: (roomId, nickname) => updateRoom(roomId, () => ({ nickname })),

      roomLeft(roomId) {
        set((state) => (state.room?.roomId === roomId ? { room: null, pending: [] } : {}));
      },
    };
  });
}
