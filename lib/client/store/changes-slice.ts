import type { Message } from '../../protocol/definitions';
import { ErrorCode, failure, type Result, type ValueResult } from '../../protocol/errors';
import { ClientEvent } from '../../protocol/events';
import { MAX_CHANGES_PAGE } from '../../protocol/limits';
import { applyChange } from '../merge-messages';
import { type ChatSlice, updateRoom } from './chat-slice';
import { HOLE_WAIT_MS } from './history-slice';

/**
 * Changing stored messages (edit, delete, react) and keeping the log's copies current. The
 * room's changes are numbered gap-free (`changeSeq`); the room view holds the number up to
 * which every change is applied, and catches up after it whenever it may have missed one.
 */
export interface ChangesActions {
  editMessage(seq: number, text: string): Promise<ValueResult<Message>>;
  deleteMessage(seq: number): Promise<ValueResult<Message>>;
  /** Puts this member's `emoji` on the message, or takes it off (`on: false`). */
  setReaction(seq: number, emoji: string, on: boolean): Promise<ValueResult<Message>>;
  /** A stored message's new state arrived (live, or in an answer). */
  messageChanged(message: Message): void;
  /** Fetches and applies every change after the room's change number (after a rejoin). */
  catchUpChanges(): Promise<void>;
}

export type ChangesSlice = ChangesActions;

/** Pages of changes one catch-up reads before leaving the rest for a moment later. */
const MAX_CHANGE_PAGES = 5;
const MORE_CHANGES_DELAY_MS = 1_000;

export const createChangesSlice: ChatSlice<ChangesSlice> =
  ({ transport }) =>
  (set, get) => {
    /** Change numbers seen beyond the room's number, waiting for the ones between. */
    let ahead = new Set<number>();
    let aheadRoom: string | undefined;
    let catchUpTimer: ReturnType<typeof setTimeout> | undefined;
    /** Catches up in a while: then only if still behind, or in any case (`always`). */
    const catchUpLater = (delayMs: number, always = false) => {
      catchUpTimer ??= setTimeout(() => {
        catchUpTimer = undefined;
        if (always || ahead.size > 0) void get().catchUpChanges();
      }, delayMs);
    };

    /** Moves the room's number on over every change applied in a row; forgets older ones. */
    const settle = (roomId: string, reached: number) =>
      updateRoom(set, roomId, (room) => {
        let changeSeq = Math.max(room.changeSeq, reached);
        while (ahead.has(changeSeq + 1)) ahead.delete(++changeSeq);
        for (const seen of ahead) if (seen <= changeSeq) ahead.delete(seen);
        return { changeSeq };
      });

    /**
     * Applies a message's new state to the log, noting its change number. A message the log
     * does not hold yet, though it is newer than the log's start, is on its way (its page or
     * its own broadcast, read before the change, arrives later) or was lost: its new state is
     * the message as stored, so it joins the log as if received, and the older copy loses.
     * Dropping it would count the change as applied while that copy restores the old state.
     */
    const apply = (message: Message) => {
      if (aheadRoom !== message.roomId) [ahead, aheadRoom] = [new Set(), message.roomId];
      if (message.changeSeq !== undefined) ahead.add(message.changeSeq);
      const room = get().room;
      const log = room?.roomId === message.roomId ? room.messages : [];
      const unheld = !log.some((held) => held.id === message.id);
      if (unheld && log[0] !== undefined && message.seq > log[0].seq) {
        get().messageReceived(message);
      }
      updateRoom(set, message.roomId, (room) => ({
        messages: applyChange(room.messages, message),
      }));
    };

    /** Sends a change to a message of the current room; the answer applies like a live one. */
    const requestChange = async (
      send: (roomId: string) => Promise<Result<{ message: Message }>>,
    ): Promise<ValueResult<Message>> => {
      const room = get().room;
      if (!room) return failure(ErrorCode.NotInRoom, 'Join a room first.');
      const result = await send(room.roomId);
      if (!result.ok) return result;
      get().messageChanged(result.message);
      return { ok: true, value: result.message };
    };

    return {
      messageChanged(message) {
        apply(message);
        settle(message.roomId, 0);
        // A change arrived ahead of one not seen yet: that one usually arrives in a moment
        // (through another server process); if not, it is fetched.
        if (get().room?.roomId === message.roomId && ahead.size > 0) catchUpLater(HOLE_WAIT_MS);
      },

      editMessage: (seq, text) =>
        requestChange((roomId) =>
          transport.request(ClientEvent.MessageEdit, { roomId, seq, text }),
        ),

      deleteMessage: (seq) =>
        requestChange((roomId) => transport.request(ClientEvent.MessageDelete, { roomId, seq })),

      setReaction: (seq, emoji, on) =>
        requestChange((roomId) =>
          transport.request(ClientEvent.ReactionSet, { roomId, seq, emoji, on }),
        ),

      async catchUpChanges() {
        for (let page = 0; page < MAX_CHANGE_PAGES; page++) {
          const room = get().room;
          if (!room || !transport.isConnected()) return;
          const result = await transport.request(ClientEvent.MessageChanges, {
            roomId: room.roomId,
            afterChange: room.changeSeq,
            limit: MAX_CHANGES_PAGE,
          });
          // Left for the next rejoin, or for the next change that shows one missing.
          if (!result.ok) return;
          for (const message of result.messages) apply(message);
          settle(room.roomId, result.changeSeq);
          if (!result.hasMore) return;
        }
        catchUpLater(MORE_CHANGES_DELAY_MS, true);
      },
    };
  };
