import type { ReplyQuote } from '../protocol/definitions';
import { MAX_MESSAGE_LENGTH } from '../protocol/limits';

/** A message of ours the server has not acknowledged yet, or refused. */
export interface PendingMessage {
  /** Idempotency key, chosen when the user pressed Send and kept across every retry. */
  clientId: string;
  roomId: string;
  text: string;
  createdAt: string;
  /** `sending`: queued or in flight, retried after reconnects; `failed`: refused by the server. */
  status: 'sending' | 'failed';
  error?: string;
  /** When a rate-limited message goes out again (ms since the epoch); unset when not waiting. */
  retryAt?: number;
  /** How many times the server has asked this message to wait so far. */
  waits?: number;
  /** The message this one answers, quoted as it was when this one was written. */
  replyTo?: ReplyQuote;
}

/** Where the outbox survives a reload of the tab. */
export interface OutboxStorage {
  load(): PendingMessage[];
  save(items: readonly PendingMessage[]): void;
}

const STORAGE_KEY = 'livechat:outbox';

/**
 * The outbox in `sessionStorage`: per tab, kept across reloads, gone when the tab closes.
 * What is read back is checked, since storage is outside our control.
 */
export function sessionStorageOutbox(): OutboxStorage {
  return {
    load() {
      try {
        const parsed: unknown = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? '[]');
        return Array.isArray(parsed) ? parsed.filter(isPendingMessage) : [];
      } catch {
        return [];
      }
    },
    save(items) {
      try {
        if (items.length === 0) sessionStorage.removeItem(STORAGE_KEY);
        else sessionStorage.setItem(STORAGE_KEY, JSON.stringify(items));
      } catch {
        // Storage full or disabled: the outbox still works for this page's lifetime.
      }
    },
  };
}

function isPendingMessage(value: unknown): value is PendingMessage {
  if (typeof value !== 'object' || value === null) return false;
  const item = value as Record<string, unknown>;
  return (
    typeof item.clientId === 'string' &&
    typeof item.roomId === 'string' &&
    typeof item.text === 'string' &&
    item.text.length <= 4 * MAX_MESSAGE_LENGTH &&
    typeof item.createdAt === 'string' &&
    (item.status === 'sending' || item.status === 'failed') &&
    (item.error === undefined || typeof item.error === 'string') &&
    (item.retryAt === undefined || Number.isFinite(item.retryAt)) &&
    (item.waits === undefined || Number.isInteger(item.waits)) &&
    (item.replyTo === undefined || isReplyQuote(item.replyTo))
  );
}

function isReplyQuote(value: unknown): value is ReplyQuote {
  if (typeof value !== 'object' || value === null) return false;
  const quote = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(quote.seq) &&
    typeof quote.author === 'string' &&
    typeof quote.excerpt === 'string' &&
    (quote.deleted === undefined || quote.deleted === true)
  );
}
