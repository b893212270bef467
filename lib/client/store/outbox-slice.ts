import type { ReplyQuote } from '../../protocol/definitions';
import { ErrorCode } from '../../protocol/errors';
import { ClientEvent } from '../../protocol/events';
import type { PendingMessage } from '../outbox';
import type { ChatSlice } from './chat-slice';

/** Our messages the server has not acknowledged yet, or refused. */
export interface OutboxState {
  pending: PendingMessage[];
}

/** Optimistic sending: a message shows at once and goes out when the server can take it. */
export interface OutboxActions {
  /** Queues a message, as an answer to `replyTo` if given, and sends it when it can. */
  sendMessage(text: string, options?: { replyTo?: ReplyQuote }): Promise<void>;
  retryMessage(clientId: string): Promise<void>;
  /** Sends the current room's queued messages, oldest first (after every join, too). */
  flushOutbox(): Promise<void>;
}

export type OutboxSlice = OutboxState & OutboxActions;

/** Nothing pending (a page with an outbox starts from what it kept instead). */
export const initialOutboxState: OutboxState = { pending: [] };

/** How many times in a row a message may be held by the rate limit before it asks for a click. */
export const MAX_RATE_LIMIT_WAITS = 5;
/** Waits for answers that should carry `retryAfterMs` but do not (a third-party server). */
const RATE_LIMIT_FALLBACK_MS = 1_000;
const RESTART_FALLBACK_MS = 1_000;

/** The outbox slice: queues, sends, waits on rate limits, and keeps itself across reloads. */
export const createOutboxSlice: ChatSlice<OutboxSlice> =
  ({ transport, newClientId, clock, outbox }) =>
  (set, get, store) => {
    const setPending = (clientId: string, change: Partial<PendingMessage>) =>
      set((state) => ({
        pending: state.pending.map((item) =>
          item.clientId === clientId ? { ...item, ...change } : item,
        ),
      }));

    let flushing = false;
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    const flushLater = (delayMs: number) => {
      clearTimeout(flushTimer);
      flushTimer = setTimeout(() => void get().flushOutbox(), Math.max(0, delayMs));
    };

    if (outbox) {
      store.subscribe((state, previous) => {
        if (state.pending !== previous.pending) outbox.save(state.pending);
      });
    }

    return {
      pending: outbox?.load() ?? initialOutboxState.pending,

      /**
       * Sends the current room's queued messages one at a time, oldest first, so the server
       * stores them in the order they were written. A timeout or a restarting server leaves the
       * message queued for the next connection; a rate limit holds it (and those behind it)
       * for as long as the server says, then sends it again; any other refusal, or a message
       * held too often, is marked failed with the server's reason.
       */
      async flushOutbox() {
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
              ...(next.replyTo && { replyTo: next.replyTo.seq }),
            });
            if (result.ok) {
              get().messageReceived(result.message);
              set((state) => ({ pending: withoutPending(state.pending, next.clientId) }));
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
            setPending(next.clientId, {
              status: 'failed',
              error: error.message,
              retryAt: undefined,
            });
          }
        } finally {
          flushing = false;
        }
      },

      async sendMessage(text, options = {}) {
        const room = get().room;
        if (!room) return;
        const pending: PendingMessage = {
          clientId: newClientId(),
          roomId: room.roomId,
          text,
          createdAt: clock().toISOString(),
          status: 'sending',
          ...(options.replyTo && { replyTo: options.replyTo }),
        };
        set((state) => ({ pending: [...state.pending, pending] }));
        await get().flushOutbox();
      },

      async retryMessage(clientId) {
        if (!get().pending.some((item) => item.clientId === clientId)) return;
        setPending(clientId, {
          status: 'sending',
          error: undefined,
          retryAt: undefined,
          waits: undefined,
        });
        await get().flushOutbox();
      },
    };
  };

/** The outbox once the message with `clientId` is in the log (the same array if it was not held). */
export function withoutPending(pending: PendingMessage[], clientId: string | undefined) {
  return clientId ? pending.filter((item) => item.clientId !== clientId) : pending;
}

/** The outbox once we have left `roomId` ourselves: what it held for that room is dropped. */
export function pendingAfterLeaving(pending: PendingMessage[], roomId: string) {
  return pending.filter((item) => item.roomId !== roomId);
}

/**
 * The outbox once the server has put us out of `roomId`: unsent messages are not thrown away,
 * they stay, marked failed, to be retried.
 */
export function pendingAfterRemoval(pending: PendingMessage[], roomId: string) {
  return pending.map((item) =>
    item.roomId === roomId && item.status === 'sending'
      ? { ...item, status: 'failed' as const, error: 'Not sent: you were no longer in the room.' }
      : item,
  );
}
