import { describe, expect, it } from 'vitest';
import type { Message } from '../protocol/definitions';
import { logEntries, parseMuted, withMuted } from './muted';

let nextSeq = 1;
const from = (authorKey: string, overrides: Partial<Message> = {}): Message => {
  const seq = nextSeq++;
  return {
    id: `m${seq}`,
    roomId: 'r',
    seq,
    kind: 'user',
    author: authorKey,
    authorKey,
    text: 'hi',
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
};
const notice = () => from('', { kind: 'system', authorKey: undefined });

/** The entries in short: a seq for a shown message, [seqs] for a folded run. */
const shape = (entries: ReturnType<typeof logEntries>) =>
  entries.map((entry) =>
    entry.kind === 'message' ? entry.message.seq : entry.messages.map((each) => each.seq),
  );

describe('muted people', () => {
  it('keeps what it stored, and reads anything else as nobody muted', () => {
    const stored = withMuted(parseMuted(null), 'k-troll', true);
    expect([...parseMuted(stored)]).toEqual(['k-troll']);
    expect([...parseMuted(withMuted(parseMuted(stored), 'k-troll', false))]).toEqual([]);
    expect(parseMuted('not json').size).toBe(0);
    expect(parseMuted('{"a":1}').size).toBe(0);
    expect([...parseMuted('["k", 3, null]')]).toEqual(['k']);
  });

  it('folds each run of muted messages into one entry; a notice ends a run', () => {
    nextSeq = 1;
    const log = [from('a'), from('t'), from('t'), from('a'), from('t'), notice(), from('t')];
    expect(shape(logEntries(log, new Set(['t']), new Set()))).toEqual([1, [2, 3], 4, [5], 6, [7]]);
  });

  it('shows every message of a run that was unfolded, and only that run', () => {
    nextSeq = 1;
    const log = [from('t'), from('t'), from('a'), from('t')];
    expect(shape(logEntries(log, new Set(['t']), new Set([1])))).toEqual([1, 2, 3, [4]]);
  });

  it('shows everything when nobody is muted, keeping each message’s index', () => {
    nextSeq = 1;
    const log = [from('a'), from('t')];
    expect(logEntries(log, new Set(), new Set())).toEqual([
      { kind: 'message', message: log[0], index: 0 },
      { kind: 'message', message: log[1], index: 1 },
    ]);
  });
});
