import { describe, expect, it } from 'vitest';
import type { Message } from '../protocol/definitions';
import { dayLabel, dayOf, logRows } from './log-layout';
import type { LogEntry } from './muted';

/** Local noon on a day of December 2026, as the log's messages give it. */
const at = (day: number, hour = 12) => new Date(2026, 11, day, hour).toISOString();

const message = (seq: number, createdAt: string, author = 'Bob'): Message => ({
  id: `m${seq}`,
  roomId: 'r',
  seq,
  kind: 'user',
  author,
  text: 'hi',
  createdAt,
});
const entry = (m: Message, index = 0): LogEntry => ({ kind: 'message', message: m, index });

/** Rows in short: 'day:<label>', 'new', or a message's seq. */
const shape = (rows: ReturnType<typeof logRows>) =>
  rows.map((row) =>
    row.kind === 'day'
      ? `day:${row.label}`
      : row.kind === 'unread'
        ? 'new'
        : row.kind === 'message'
          ? row.message.seq
          : `muted:${row.firstSeq}`,
  );

describe('day labels', () => {
  const now = new Date(2026, 11, 7, 15);
  it('says Today and Yesterday, else the date, with the year only when another', () => {
    expect(dayLabel('2026-12-07', now, 'en')).toBe('Today');
    expect(dayLabel('2026-12-06', now, 'en')).toBe('Yesterday');
    expect(dayLabel('2026-12-01', now, 'en')).toBe('Tuesday, December 1');
    expect(dayLabel('2025-12-31', now, 'en')).toBe('Wednesday, December 31, 2025');
  });

  it('speaks the reader’s language', () => {
    expect(dayLabel('2026-12-07', now, 'pl')).toBe('Dzisiaj');
    expect(dayLabel('2026-12-06', now, 'pt')).toBe('Ontem');
  });

  it('takes the day where the reader is', () => {
    expect(dayOf(new Date(2026, 0, 2, 0, 30).toISOString())).toBe('2026-01-02');
    expect(dayOf(new Date(2026, 0, 1, 23, 59).toISOString())).toBe('2026-01-01');
  });
});

describe('logRows', () => {
  const now = new Date(2026, 11, 7, 15);
  const options = { now, unreadAfterSeq: null, isOwn: () => false, locale: 'en' };

  it('heads each day once, before its first entry', () => {
    const entries = [message(1, at(6, 9)), message(2, at(6, 22)), message(3, at(7, 8))].map((m) =>
      entry(m),
    );
    expect(shape(logRows(entries, options))).toEqual(['day:Yesterday', 1, 2, 'day:Today', 3]);
  });

  it('marks the first message someone else wrote after the last one seen', () => {
    const entries = [
      message(1, at(7)),
      message(2, at(7), 'Me'),
      message(3, at(7)),
      message(4, at(7)),
    ].map((m) => entry(m));
    const isOwn = (m: Message) => m.author === 'Me';
    expect(shape(logRows(entries, { ...options, unreadAfterSeq: 1, isOwn }))).toEqual([
      'day:Today',
      1,
      2,
      'new',
      3,
      4,
    ]);
    // Nothing new: no line.
    expect(shape(logRows(entries, { ...options, unreadAfterSeq: 4, isOwn }))).not.toContain('new');
  });

  it('marks a folded run of muted messages that holds the first new one', () => {
    const muted: LogEntry = {
      kind: 'muted',
      messages: [message(2, at(7)), message(3, at(7))],
      firstSeq: 2,
    };
    const rows = logRows([entry(message(1, at(7))), muted], { ...options, unreadAfterSeq: 2 });
    expect(shape(rows)).toEqual(['day:Today', 1, 'new', 'muted:2']);
  });
});
