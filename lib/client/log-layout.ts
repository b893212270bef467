import type { Message } from '../protocol/definitions';
import type { LogEntry } from './muted';

/**
 * How the log reads: its entries (messages, and runs folded because their author is muted)
 * with a heading before the first entry of each day, in the reader's time zone, and a "new
 * messages" line before the first message someone else wrote while the reader was away.
 */

export type LogRow = LogEntry | { kind: 'day'; day: string; label: string } | { kind: 'unread' };

/** The calendar day of `iso` where the reader is, as `YYYY-MM-DD`. */
export function dayOf(iso: string): string {
  const date = new Date(iso);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * A day's heading in the reader's language: "Today", "Yesterday", else its date ("Monday,
 * 7 December"), with the year when it is not this year's.
 */
export function dayLabel(day: string, now: Date, locale?: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const then = new Date(year, month - 1, date);
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const daysAgo = Math.round((today.getTime() - then.getTime()) / 86_400_000);
  if (daysAgo === 0 || daysAgo === 1) {
    const words = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(-daysAgo, 'day');
    return words.charAt(0).toLocaleUpperCase(locale) + words.slice(1);
  }
  return then.toLocaleDateString(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(year !== now.getFullYear() && { year: 'numeric' }),
  });
}

export interface LayoutOptions {
  now: Date;
  /** The last seq the reader had seen before being away; null when there is nothing to mark. */
  unreadAfterSeq: number | null;
  /** Whether the reader wrote `message` (never "new" to them). */
  isOwn(message: Message): boolean;
  locale?: string;
}

/** The rows of the log: `entries` with day headings and the "new messages" line put in. */
export function logRows(entries: readonly LogEntry[], options: LayoutOptions): LogRow[] {
  const rows: LogRow[] = [];
  let lastDay: string | undefined;
  let unreadMarked = options.unreadAfterSeq === null;
  for (const entry of entries) {
    const first = entry.kind === 'message' ? entry.message : entry.messages[0]!;
    const day = dayOf(first.createdAt);
    if (day !== lastDay) {
      rows.push({ kind: 'day', day, label: dayLabel(day, options.now, options.locale) });
      lastDay = day;
    }
    if (!unreadMarked) {
      const messages = entry.kind === 'message' ? [entry.message] : entry.messages;
      const unread = messages.some(
        (message) =>
          message.seq > options.unreadAfterSeq! &&
          message.kind === 'user' &&
          !options.isOwn(message),
      );
      if (unread) {
        rows.push({ kind: 'unread' });
        unreadMarked = true;
      }
    }
    rows.push(entry);
  }
  return rows;
}
