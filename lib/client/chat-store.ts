import { createStore } from 'zustand/vanilla';
import type { LobbyRoom, LobbyStats, Member, Message } from '../protocol/definitions';
import { ErrorCode, failure, type ValueResult } from '../protocol/errors';
import { ClientEvent } from '../protocol/events';
import { DEFAULT_HISTORY_PAGE, MAX_HISTORY_PAGE } from '../protocol/limits';
import type { ConnectionState } from './connection-state';
import { mergeMessages } from './merge-messages';
import type { OutboxStorage, PendingMessage } from './outbox';
import type { ChatTransport } from './transport';
import { TYPING_SHOWN_MS } from './typing-signal';

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

/** An operator's message to everyone on the server. */
export interface Announcement {
  text: string;
  createdAt: string;
}

/** The public lobby as the landing page shows it; null fields until the server has said. */
export interface LobbyView {
  rooms: LobbyRoom[] | null;
  stats: LobbyStats | null;
}

export interface ChatState {
  connection: ConnectionState;
  room: RoomView | null;
  pending: PendingMessage[];
  /** The latest operator announcement, until the reader dismisses it. */
  announcement: Announcement | null;
  /** Others typing in the current room: nickname → when the signal runs out (ms, our clock). */
  typists: Record<string, number>;
  /** The last measured round-trip time to the server, in milliseconds. */
  latencyMs: number | null;
  /** Whether this tab is idle (hidden, or untouched for a while), as last told to the server. */
  idle: boolean;
  lobby: LobbyView;
}

export interface ChatActions {
  setConnection(connection: ConnectionState): void;
  createRoom(options?: { isPublic?: boolean }): Promise<ValueResult<string>>;
  /** Whether this session already is a member of `roomId` (e.g. after a reload), without joining. */
  checkMembership(roomId: string): Promise<ValueResult<boolean>>;
  joinRoom(roomId: string, nickname: string): Promise<ValueResult<string>>;
  /** Joins the current room again after a reconnect and merges what was missed. */
  rejoin(): Promise<void>;
  leaveRoom(): Promise<void>;
  sendMessage(text: string): Promise<void>;
  retryMessage(clientId: string): Promise<void>;
  loadOlder(): Promise<void>;
  changeNickname(nickname: string): Promise<ValueResult<string>>;
  messageReceived(message: Message): void;
  membersUpdated(roomId: string, members: Member[]): void;
  selfUpdated(roomId: string, nickname: string): void;
  roomLeft(roomId: string): void;
  announced(announcement: Announcement): void;
  dismissAnnouncement(): void;
  /** Tells the room whether we are typing (failures are of no interest). */
  setTyping(typing: boolean): Promise<void>;
  typingUpdated(roomId: string, nickname: string, typing: boolean): void;
  /** Tells the server this tab is idle or active again; repeated after every reconnect. */
  setIdle(idle: boolean): Promise<void>;
  /** Measures the round-trip time to the server with an acknowledged ping. */
  measureLatency(): Promise<void>;
  lobbyRoomsUpdated(rooms: LobbyRoom[]): void;
  lobbyStatsUpdated(stats: LobbyStats): void;
}

export type { PendingMessage } from './outbox';

export type ChatStore = ReturnType<typeof createChatStore>;

/** Sources the store needs from the page; tests pass fakes. */
export interface ChatStoreDeps {
  transport: ChatTransport;
  newClientId?: () => string;
  clock?: () => Date;
  /** Keeps unacknowledged messages across reloads (the browser passes sessionStorage). */
  outbox?: OutboxStorage;
  /** A monotonic clock in milliseconds, for round-trip times and typing expiry. */
  monotonic?: () => number;
}

/** Answers to a rejoin that mean this session is no longer in the room. */
const REJOIN_REFUSALS = new Set<string>([
  ErrorCode.RoomNotFound,
  ErrorCode.NicknameTaken,
  ErrorCode.NotInRoom,
  ErrorCode.InvalidInput,
]);

/** How many times in a row a message may be held by the rate limit before it asks for a click. */
export const MAX_RATE_LIMIT_WAITS = 5;
/** Waits for answers that should carry `retryAfterMs` but do not (a third-party server). */
const RATE_LIMIT_FALLBACK_MS = 1_000;
const RESTART_FALLBACK_MS = 1_000;

/** How many pages of missed messages a rejoin fetches before starting over from the newest. */
const MAX_CATCH_UP_PAGES = 10;

/**
 * How long a hole in the live log may stay open before the missing messages are fetched.
 * Messages stored through different server processes can arrive a little out of order, so a
 * hole usually closes by itself; one stays open when a broadcast between processes was lost.
 */
export const HOLE_WAIT_MS = 500;

export const initialChatState: ChatState = {
  connection: 'connecting',
  room: null,
  pending: [],
  announcement: null,
  typists: {},
  latencyMs: null,
  idle: false,
  lobby: { rooms: null, stats: null },
};

/**
 * The client's room state and the actions that change it. One store per page, created in the
 * client provider; socket events reach it through `bindSocketToStore`.
 */
export function createChatStore(deps: ChatStoreDeps) {
  const { transport } = deps;
  const newClientId = deps.newClientId ?? (() => crypto.randomUUID());
  const clock = deps.clock ?? (() => new Date());
  const outbox = deps.outbox;
  const monotonic = deps.monotonic ?? (() => performance.now());

  const store = createStore<ChatState & ChatActions>()((set, get) => {
    /** Applies a change to the current room, if it is still `roomId`. */
    const updateRoom = (roomId: string, change: (room: RoomView) => Partial<RoomView>) =>
      set((state) =>
        state.room?.roomId === roomId ? { room: { ...state.room, ...change(state.room) } } : {},
      );

    const setPending = (clientId: string, change: Partial<PendingMessage>) =>
      set((state) => ({
        pending: state.pending.map((item) =>
          item.clientId === clientId ? { ...item, ...change } : item,
        ),
      }));

    /**
     * Sends the current room's queued messages one at a time, oldest first, so the server
     * stores them in the order they were written. A timeout or a restarting server leaves the
     * message queued for the next connection; a rate limit holds it (and those behind it)
     * for as long as the server says, then sends it again; any other refusal, or a message
     * held too often, is marked failed with the server's reason.
     */
    let flushing = false;
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    const flushLater = (delayMs: number) => {
      clearTimeout(flushTimer);
      flushTimer = setTimeout(() => void flushOutbox(), Math.max(0, delayMs));
    };
    const flushOutbox = async () => {
      if (flushing) return;
      flushing = true;
      try {
        for (;;) {
          const roomId = get().room?.roomId;
          const next = get().pending.find(
            (item) => item.roomId === roomId && item.status === 'sending',
          );
          if (!next || !transport.isConnected()) return;
          const waitMs = (next.retryAt ?? 0) - clock().getTime();
          if (waitMs > 0) return flushLater(waitMs);
          const result = await transport.request(ClientEvent.MessageSend, {
            roomId: next.roomId,
            clientId: next.clientId,
            text: next.text,
          });
          if (result.ok) {
            get().messageReceived(result.message);
            set((state) => ({
              pending: state.pending.filter((item) => item.clientId !== next.clientId),
            }));
            continue;
          }
          const { error } = result;
          if (error.code === ErrorCode.Timeout) return;
          if (error.code === ErrorCode.Restarting) {
            // The connection is about to close; should it stay open, try again anyway.
            return flushLater(error.retryAfterMs ?? RESTART_FALLBACK_MS);
          }
          const waits = (next.waits ?? 0) + 1;
          if (error.code === ErrorCode.RateLimited && waits <= MAX_RATE_LIMIT_WAITS) {
            const delayMs = error.retryAfterMs ?? RATE_LIMIT_FALLBACK_MS;
            setPending(next.clientId, { retryAt: clock().getTime() + delayMs, waits });
            return flushLater(delayMs);
          }
          setPending(next.clientId, { status: 'failed', error: error.message, retryAt: undefined });
        }
      } finally {
        flushing = false;
      }
    };

    /** Fetches what was said after `afterSeq`, page by page; undefined if it is too much. */
    const fetchMissed = async (roomId: string, afterSeq: number, untilSeq: number) => {
      const missed: Message[] = [];
      let cursor = afterSeq;
      for (let page = 0; page < MAX_CATCH_UP_PAGES && cursor < untilSeq - 1; page++) {
        const result = await transport.request(ClientEvent.MessageHistory, {
          roomId,
          afterSeq: cursor,
          limit: Math.min(MAX_HISTORY_PAGE, untilSeq - 1 - cursor),
        });
        // Anything but the next messages in order means we cannot fill the hole this way.
        if (!result.ok || result.messages[0]?.seq !== cursor + 1) return undefined;
        missed.push(...result.messages);
        const last = result.messages.at(-1);
        if (!result.hasMore || !last) return missed;
        cursor = last.seq;
      }
      return cursor >= untilSeq - 1 ? missed : undefined;
    };

    /** Fetches the messages missing between held ones, hole by hole, while connected. */
    let filling = false;
    const fillHoles = async () => {
      if (filling) return;
      filling = true;
      try {
        for (let round = 0; round < MAX_CATCH_UP_PAGES; round++) {
          const room = get().room;
          const hole = room && firstHole(room.messages);
          if (!room || !hole || !transport.isConnected()) return;
          const missed = await fetchMissed(room.roomId, hole.afterSeq, hole.beforeSeq);
          // Left unfilled, the hole is closed by the catch-up of the next rejoin.
          if (!missed) return;
          updateRoom(room.roomId, (current) => ({
            messages: mergeMessages(current.messages, missed),
          }));
        }
      } finally {
        filling = false;
      }
    };
    let holeTimer: ReturnType<typeof setTimeout> | undefined;
    const watchForHole = () => {
      holeTimer ??= setTimeout(() => {
        holeTimer = undefined;
        void fillHoles();
      }, HOLE_WAIT_MS);
    };

    return {
      ...initialChatState,

      setConnection: (connection) => set({ connection }),

      announced: (announcement) => set({ announcement }),

      dismissAnnouncement: () => set({ announcement: null }),

      async createRoom(options = {}) {
        const result = await transport.request(
          ClientEvent.RoomCreate,
          options.isPublic ? { public: true } : {},
        );
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
            ? await fetchMissed(result.roomId, lastHeld, firstFresh)
            : [];
        set((state) => {
          const current = state.room?.roomId === result.roomId ? state.room : null;
          const room = {
            roomId: result.roomId,
            nickname: result.self.nickname,
            members: result.members,
            loadingOlder: false,
          };
          if (!current)
            return {
              room: { ...room, messages: result.messages, hasMore: result.hasMore },
              typists: {},
            };
          if (missed) {
            const messages = mergeMessages(current.messages, [...missed, ...result.messages]);
            return { room: { ...room, messages, hasMore: current.hasMore } };
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
            },
          };
        });
        void flushOutbox();
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
        set((state) => ({
          room: null,
          pending: state.pending.filter((item) => item.roomId !== room.roomId),
        }));
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
        await flushOutbox();
      },

      async retryMessage(clientId) {
        if (!get().pending.some((item) => item.clientId === clientId)) return;
        setPending(clientId, {
          status: 'sending',
          error: undefined,
          retryAt: undefined,
          waits: undefined,
        });
        await flushOutbox();
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
        if (!room) return failure(ErrorCode.NotInRoom, 'Join a room first.');
        const result = await transport.request(ClientEvent.NicknameChange, {
          roomId: room.roomId,
          nickname,
        });
        if (!result.ok) return { ok: false, error: result.error };
        updateRoom(room.roomId, () => ({ nickname: result.nickname }));
        return { ok: true, value: result.nickname };
      },

      messageReceived(message) {
        const last = get().room?.messages.at(-1);
        set((state) => {
          if (state.room?.roomId !== message.roomId) return {};
          const pending = message.clientId
            ? state.pending.filter((item) => item.clientId !== message.clientId)
            : state.pending;
          return {
            room: { ...state.room, messages: mergeMessages(state.room.messages, [message]) },
            pending,
            // A message ends its author's typing.
            typists:
              message.kind === 'user' ? without(state.typists, message.author) : state.typists,
          };
        });
        if (last && get().room?.roomId === message.roomId && message.seq > last.seq + 1) {
          watchForHole();
        }
      },

      membersUpdated(roomId, members) {
        set((state) => {
          if (state.room?.roomId !== roomId) return {};
          // Whoever is no longer a member is no longer typing.
          const present = new Set(members.map((member) => member.nickname));
          let typists = state.typists;
          for (const nickname of Object.keys(typists)) {
            if (!present.has(nickname)) typists = without(typists, nickname);
          }
          return { room: { ...state.room, members }, typists };
        });
      },

      async setTyping(typing) {
        const room = get().room;
        if (!room || !transport.isConnected()) return;
        await transport.request(ClientEvent.TypingSet, { roomId: room.roomId, typing });
      },

      typingUpdated(roomId, nickname, typing) {
        const room = get().room;
        if (room?.roomId !== roomId || nickname === room.nickname) return;
        set((state) => ({
          typists: typing
            ? { ...state.typists, [nickname]: monotonic() + TYPING_SHOWN_MS }
            : without(state.typists, nickname),
        }));
      },

      async setIdle(idle) {
        if (get().idle === idle) return;
        set({ idle });
        if (!transport.isConnected()) return;
        await transport.request(ClientEvent.PresenceSet, { idle });
      },

      async measureLatency() {
        if (!transport.isConnected()) return;
        const sentAt = monotonic();
        const result = await transport.request(ClientEvent.Ping, {});
        if (result.ok) set({ latencyMs: Math.max(0, Math.round(monotonic() - sentAt)) });
      },

      lobbyRoomsUpdated: (rooms) => set((state) => ({ lobby: { ...state.lobby, rooms } })),

      lobbyStatsUpdated: (stats) => set((state) => ({ lobby: { ...state.lobby, stats } })),

      selfUpdated: (roomId, nickname) => updateRoom(roomId, () => ({ nickname })),

      roomLeft(roomId) {
        // Unsent messages are not thrown away: they stay, marked failed, to be retried.
        set((state) =>
          state.room?.roomId === roomId
            ? {
                room: null,
                pending: state.pending.map((item) =>
                  item.roomId === roomId && item.status === 'sending'
                    ? {
                        ...item,
                        status: 'failed',
                        error: 'Not sent: you were no longer in the room.',
                      }
                    : item,
                ),
              }
            : {},
        );
      },
    };
  });

  if (outbox) {
    store.setState({ pending: outbox.load() });
    store.subscribe((state, previous) => {
      if (state.pending !== previous.pending) outbox.save(state.pending);
    });
  }
  return store;
}

/** The first gap between two held messages, as the sequence numbers on either side of it. */
function firstHole(messages: readonly Message[]): { afterSeq: number; beforeSeq: number } | null {
  for (let index = 1; index < messages.length; index++) {
    const afterSeq = messages[index - 1]!.seq;
    const beforeSeq = messages[index]!.seq;
    if (beforeSeq > afterSeq + 1) return { afterSeq, beforeSeq };
  }
  return null;
}

/** A copy of `record` without `key` (the same object when it has no such key). */
function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record;
  const copy = { ...record };
  delete copy[key];
  return copy;
}
