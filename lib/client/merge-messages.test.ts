import { describe, expect, it } from 'vitest';
import type { Message } from '../protocol/definitions';
import { mergeMessages } from './merge-messages';

function message(seq: number, overrides: Partial<Message> = {}): Message {
  return {
    id: `m${seq}`,
    roomId: 'abcd-efgh-jkmn',
    seq,
    kind: 'user',
    author: 'Alice',
    text: `message ${seq}`,
    createdAt: new Date(Date.UTC(2025, 0, 1, 12, 0, seq)).toISOString(),
    ...overrides,
  };
}

const seqs = (log: readonly Message[]) => log.map((item) => item.seq);

describe('mergeMessages', () => {
  it('appends a newer message at the end', () => {
    expect(seqs(mergeMessages([message(1), message(2)], [message(3)]))).toEqual([1, 2, 3]);
  });

  it('starts a log from an empty one', () => {
    expect(mergeMessages([], [message(1)])).toEqual([message(1)]);
  });

  it('keeps one copy of a message that arrives twice', () => {
    const once = mergeMessages([], [message(1)]);
    expect(mergeMessages(once, [message(1)])).toEqual([message(1)]);
  });

  it('keeps one copy of a message repeated within one batch or already held mid-log', () => {
    const log = [message(1), message(2), message(3)];
    expect(seqs(mergeMessages(log, [message(2), message(4), message(4)]))).toEqual([1, 2, 3, 4]);
  });

  it('orders by seq when messages arrive out of order', () => {
    const log = mergeMessages(mergeMessages([], [message(3)]), [message(1)]);
    expect(seqs(mergeMessages(log, [message(2)]))).toEqual([1, 2, 3]);
    expect(seqs(mergeMessages([], [message(5), message(4), message(6)]))).toEqual([4, 5, 6]);
  });

  it('merges an older page in front', () => {
    const log = [message(4), message(5)];
    expect(seqs(mergeMessages(log, [message(1), message(2), message(3)]))).toEqual([1, 2, 3, 4, 5]);
  });

  it('does not change the log it is given', () => {
    const log = [message(1), message(3)];
    mergeMessages(log, [message(2)]);
    mergeMessages(log, [message(4)]);
    expect(seqs(log)).toEqual([1, 3]);
  });

  it('returns the same array instance when nothing comes in', () => {
    const log = [message(1), message(2)];
    expect(mergeMessages(log, [])).toBe(log);
  });

  it('keeps the copy with the later change, whichever came first', () => {
    const edited = { ...message(2), text: 'edited', changeSeq: 3 };
    expect(mergeMessages([message(1), edited], [message(2), message(3)])[1]).toBe(edited);
    const newer = { ...message(2), text: 'again', changeSeq: 4 };
    expect(mergeMessages([message(1), edited], [newer])[1]).toBe(newer);
  });
});
