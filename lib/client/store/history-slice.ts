import type { Message } from '../../protocol/definitions';
import { ClientEvent } from '../../protocol/events';
import { DEFAULT_HISTORY_PAGE, MAX_HISTORY_PAGE } from '../../protocol/limits';
import { mergeMessages } from '../merge-messages';
import type { ChatTransport } from '../transport';
import { type ChatSlice, updateRoom } from './chat-slice';
import { withoutPending } from './outbox-slice';
import { typistsAfter } from './presence-slice';

/** The room's log: live messages, older pages on request, and holes filled by itself. */
export interface HistoryActions {
  messageReceived(message: Message): void;
  loadOlder(): Promise<void>;
  /** Loads older pages until message `seq` is in the log; resolves whether it is. */
  revealMessage(seq: number): Promise<boolean>;
}

export type HistorySlice = HistoryActions;

/** How many older pages a jump to a quoted message loads at most. */
const MAX_REVEAL_PAGES = 20;

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
        for (let page = 0; page < MAX_REVEAL_PAGES; page++) {
          const room = get().room;
          if (!room || holds(room, seq)) return holds(room, seq);
          const first = room.messages[0]?.seq ?? 0;
          if (!room.hasMore || first < seq) return false;
          if (room.loadingOlder) await new Promise((resolve) => setTimeout(resolve, 100));
          else await get().loadOlder();
        }
        return holds(get().room, seq);
      },
    };
  };

/** Whether the room's log holds message `seq`. */
function holds(room: { messages: readonly Message[] } | null, seq: number): boolean {
  return room?.messages.some((message) => message.seq === seq) ?? false;
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
