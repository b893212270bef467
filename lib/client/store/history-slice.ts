import type { Message } from '../../protocol/definitions';
import { failure, ErrorCode, type ValueResult } from '../../protocol/errors';
import { ClientEvent } from '../../protocol/events';
import { DEFAULT_HISTORY_PAGE, MAX_HISTORY_PAGE } from '../../protocol/limits';
import { mergeMessages } from '../merge-messages';
import type { ChatTransport } from '../transport';
import { type ChatSlice, updateRoom } from './chat-slice';
import type { JumpWindow, RoomView } from './room-slice';
import { withoutPending } from './outbox-slice';
import { typistsAfter } from './presence-slice';

/** The room's log: live messages, older pages on request, and holes filled by itself. */
export interface HistoryActions {
  messageReceived(message: Message): void;
  /** The page before the first message shown (of the jump window, while there is one). */
  loadOlder(): Promise<void>;
  /**
   * Brings message `seq` into view: by loading older pages when it is a few pages back, else
   * by showing a jump window around it. Resolves whether it is shown.
   */
  revealMessage(seq: number): Promise<boolean>;
  /** The page after the jump window; reaching the live log ends the window. */
  loadNewer(): Promise<void>;
  /** Leaves the jump window for the live log. */
  returnToLatest(): void;
  /** The current room's messages matching `query`, newest first; the next page before a seq. */
  searchMessages(
    query: string,
    beforeSeq?: number,
  ): Promise<ValueResult<{ messages: Message[]; hasMore: boolean }>>;
}

export type HistorySlice = HistoryActions;

/** How many older pages a jump loads at most before showing a window around the message. */
const MAX_REVEAL_PAGES = 3;

/** How many pages of missed messages a catch-up fetches before starting over from the newest. */
const MAX_CATCH_UP_PAGES = 10;

/**
 * How long a hole in the live log may stay open before the missing messages are fetched.
 * Messages stored through different server processes can arrive a little out of order, so a
 * hole usually closes by itself; one stays open when a broadcast between processes was lost.
 */
export const HOLE_WAIT_MS = 500;

/**
 * The history slice: merges each message into the log once and in order, pages back on
 * request, and fetches what is missing between held messages.
 */
export const createHistorySlice: ChatSlice<HistorySlice> =
  ({ transport }) =>
  (set, get) => {
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
          const missed = await fetchMissed(transport, room.roomId, hole.afterSeq, hole.beforeSeq);
          // Left unfilled, the hole is closed by the catch-up of the next rejoin.
          if (!missed) return;
          updateRoom(set, room.roomId, (current) => ({
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
      messageReceived(message) {
        const last = get().room?.messages.at(-1);
        set((state) => {
          if (state.room?.roomId !== message.roomId) return {};
          return {
            room: { ...state.room, messages: mergeMessages(state.room.messages, [message]) },
            pending: withoutPending(state.pending, message.clientId),
            typists: typistsAfter(state.typists, message),
          };
        });
        if (last && get().room?.roomId === message.roomId && message.seq > last.seq + 1) {
          watchForHole();
        }
      },

      async loadOlder() {
        const room = get().room;
        if (room?.jump) return loadOlderInJump(room, room.jump);
        if (!room || !room.hasMore || room.loadingOlder) return;
        updateRoom(set, room.roomId, () => ({ loadingOlder: true }));
        const result = await transport.request(ClientEvent.MessageHistory, {
          roomId: room.roomId,
          beforeSeq: room.messages[0]?.seq,
          limit: DEFAULT_HISTORY_PAGE,
        });
        updateRoom(set, room.roomId, (current) =>
          result.ok
            ? {
                messages: mergeMessages(current.messages, result.messages),
                hasMore: result.hasMore,
                loadingOlder: false,
              }
            : { loadingOlder: false },
        );
      },

      async revealMessage(seq) {
        const start = get().room;
        if (start && !start.jump && holds(start.messages, seq)) return true;
        if (start && holds(start.jump?.messages ?? [], seq)) return true;
        if (start?.jump && holds(start.messages, seq)) {
          get().returnToLatest();
          return true;
        }
        const first = start?.messages[0]?.seq ?? 0;
        if (start && !start.jump && first - seq <= MAX_REVEAL_PAGES * DEFAULT_HISTORY_PAGE) {
          for (let page = 0; page < MAX_REVEAL_PAGES; page++) {
            const room = get().room;
            if (!room || holds(room.messages, seq)) return room !== null;
            if (!room.hasMore || (room.messages[0]?.seq ?? 0) < seq) return false;
            if (room.loadingOlder) await new Promise((resolve) => setTimeout(resolve, 100));
            else await get().loadOlder();
          }
          if (holds(get().room?.messages ?? [], seq)) return true;
        }
        return showAround(seq);
      },

      async loadNewer() {
        const room = get().room;
        const jump = room?.jump;
        const last = jump?.messages.at(-1)?.seq;
        if (!room || !jump || last === undefined || room.loadingOlder) return;
        const result = await transport.request(ClientEvent.MessageHistory, {
          roomId: room.roomId,
          afterSeq: last,
          limit: DEFAULT_HISTORY_PAGE,
        });
        if (!result.ok) return;
        updateRoom(set, room.roomId, (current) => {
          if (!current.jump) return {};
          const messages = mergeMessages(current.jump.messages, result.messages);
          const liveFirst = current.messages[0]?.seq ?? Infinity;
          // Caught up with the live log: the two become one.
          if (!result.hasMore || (messages.at(-1)?.seq ?? 0) + 1 >= liveFirst) {
            return {
              messages: mergeMessages(messages, current.messages),
              hasMore: current.jump.hasOlder,
              jump: undefined,
            };
          }
          return { jump: { ...current.jump, messages, hasNewer: true } };
        });
      },

      returnToLatest() {
        const room = get().room;
        if (room?.jump) updateRoom(set, room.roomId, () => ({ jump: undefined }));
      },

      async searchMessages(query, beforeSeq) {
        const room = get().room;
        if (!room) return failure(ErrorCode.NotInRoom, 'Join a room first.');
        const result = await transport.request(ClientEvent.MessageSearch, {
          roomId: room.roomId,
          query,
          ...(beforeSeq !== undefined && { beforeSeq }),
        });
        if (!result.ok) return result;
        return { ok: true, value: { messages: result.messages, hasMore: result.hasMore } };
      },
    };

    /** Shows the messages around `seq` in a jump window; resolves whether it is among them. */
    async function showAround(seq: number): Promise<boolean> {
      const room = get().room;
      if (!room) return false;
      const result = await transport.request(ClientEvent.MessageHistory, {
        roomId: room.roomId,
        aroundSeq: seq,
        limit: DEFAULT_HISTORY_PAGE,
      });
      if (!result.ok || !holds(result.messages, seq)) return false;
      const jump: JumpWindow = {
        targetSeq: seq,
        messages: result.messages,
        hasOlder: result.hasMore,
        hasNewer: result.hasNewer ?? false,
      };
      updateRoom(set, room.roomId, () => ({ jump }));
      return true;
    }

    /** The page before a jump window's first message. */
    async function loadOlderInJump(room: RoomView, jump: JumpWindow): Promise<void> {
      if (!jump.hasOlder || room.loadingOlder) return;
      updateRoom(set, room.roomId, () => ({ loadingOlder: true }));
      const result = await transport.request(ClientEvent.MessageHistory, {
        roomId: room.roomId,
        beforeSeq: jump.messages[0]?.seq,
        limit: DEFAULT_HISTORY_PAGE,
      });
      updateRoom(set, room.roomId, (current) =>
        result.ok && current.jump
          ? {
              jump: {
                ...current.jump,
                messages: mergeMessages(current.jump.messages, result.messages),
                hasOlder: result.hasMore,
              },
              loadingOlder: false,
            }
          : { loadingOlder: false },
      );
    }
  };

/** Whether `messages` hold message `seq`. */
function holds(messages: readonly Message[], seq: number): boolean {
  return messages.some((message) => message.seq === seq);
}

/** Fetches what was said after `afterSeq`, page by page; undefined if it is too much. */
export async function fetchMissed(
  transport: ChatTransport,
  roomId: string,
  afterSeq: number,
  untilSeq: number,
): Promise<Message[] | undefined> {
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
}

/** The first gap between two held messages, as the sequence numbers on either side of it. */
export function firstHole(
  messages: readonly Message[],
): { afterSeq: number; beforeSeq: number } | null {
  for (let index = 1; index < messages.length; index++) {
    const afterSeq = messages[index - 1]!.seq;
    const beforeSeq = messages[index]!.seq;
    if (beforeSeq > afterSeq + 1) return { afterSeq, beforeSeq };
  }
  return null;
}
