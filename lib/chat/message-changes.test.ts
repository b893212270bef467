import { describe, expect, it } from 'vitest';
import { EDIT_WINDOW_MS, MAX_REACTIONS_PER_MESSAGE } from '../protocol/limits';
import {
  excerpt,
  judgeChange,
  replyQuote,
  replyRefusal,
  type ChangeTarget,
} from './message-changes';

const SENT = '2026-01-01T00:00:00.000Z';
const SOON = new Date(Date.parse(SENT) + 60_000);

const mine = (overrides: Partial<ChangeTarget> = {}): ChangeTarget => ({
  kind: 'user',
  sessionId: 'me',
  text: 'hello',
  createdAt: SENT,
  deleted: false,
  emoji: [],
  reacted: false,
  ...overrides,
});

describe('judgeChange', () => {
  it('lets the author edit within the window, and calls the same text no change', () => {
    expect(judgeChange({ kind: 'edit', text: 'hi' }, mine(), 'me', SOON)).toEqual({ apply: true });
    expect(judgeChange({ kind: 'edit', text: 'hello' }, mine(), 'me', SOON)).toEqual({
      unchanged: true,
    });
    const edge = new Date(Date.parse(SENT) + EDIT_WINDOW_MS);
    expect(judgeChange({ kind: 'edit', text: 'hi' }, mine(), 'me', edge)).toEqual({ apply: true });
    const late = new Date(edge.getTime() + 1);
    expect(judgeChange({ kind: 'edit', text: 'hi' }, mine(), 'me', late)).toEqual({
      refused: 'edit-window-closed',
    });
  });

  it('lets only the author edit or delete, at any age for a deletion', () => {
    const late = new Date(Date.parse(SENT) + 10 * EDIT_WINDOW_MS);
    expect(judgeChange({ kind: 'delete' }, mine(), 'me', late)).toEqual({ apply: true });
    expect(judgeChange({ kind: 'delete' }, mine(), 'you', SOON)).toEqual({ refused: 'not-yours' });
    expect(judgeChange({ kind: 'edit', text: 'x' }, mine(), 'you', SOON)).toEqual({
      refused: 'not-yours',
    });
  });

  it('treats system notices and missing messages alike: not found', () => {
    const notice = mine({ kind: 'system', sessionId: null });
    for (const change of [
      { kind: 'delete' } as const,
      { kind: 'react', emoji: '👍', on: true } as const,
    ]) {
      expect(judgeChange(change, notice, 'me', SOON)).toEqual({ refused: 'not-found' });
      expect(judgeChange(change, undefined, 'me', SOON)).toEqual({ refused: 'not-found' });
    }
  });

  it('after a deletion: deleting again is no change; editing and reacting are refused', () => {
    const gone = mine({ deleted: true, text: '' });
    expect(judgeChange({ kind: 'delete' }, gone, 'me', SOON)).toEqual({ unchanged: true });
    expect(judgeChange({ kind: 'edit', text: 'back' }, gone, 'me', SOON)).toEqual({
      refused: 'deleted',
    });
    expect(judgeChange({ kind: 'react', emoji: '👍', on: true }, gone, 'you', SOON)).toEqual({
      refused: 'deleted',
    });
  });

  it('sets a reaction to the state asked: a repeat is no change', () => {
    const on = { kind: 'react', emoji: '👍', on: true } as const;
    const off = { ...on, on: false } as const;
    expect(judgeChange(on, mine(), 'you', SOON)).toEqual({ apply: true });
    expect(judgeChange(on, mine({ emoji: ['👍'], reacted: true }), 'you', SOON)).toEqual({
      unchanged: true,
    });
    expect(judgeChange(off, mine(), 'you', SOON)).toEqual({ unchanged: true });
    expect(judgeChange(off, mine({ emoji: ['👍'], reacted: true }), 'you', SOON)).toEqual({
      apply: true,
    });
  });

  it(`refuses a new emoji beyond ${MAX_REACTIONS_PER_MESSAGE}, not one already there`, () => {
    const full = mine({
      emoji: Array.from({ length: MAX_REACTIONS_PER_MESSAGE }, (_, n) => `e${n}`),
    });
    expect(judgeChange({ kind: 'react', emoji: 'new', on: true }, full, 'you', SOON)).toEqual({
      refused: 'too-many-reactions',
    });
    expect(judgeChange({ kind: 'react', emoji: 'e3', on: true }, full, 'you', SOON)).toEqual({
      apply: true,
    });
  });
});

describe('replies', () => {
  it('may answer a standing member message only', () => {
    expect(replyRefusal({ kind: 'user', deleted: false })).toBeUndefined();
    expect(replyRefusal({ kind: 'user', deleted: true })).toBe('deleted');
    expect(replyRefusal({ kind: 'system', deleted: false })).toBe('not-found');
    expect(replyRefusal(undefined)).toBe('not-found');
  });

  it('quote the first line, cut at 100 code points with an ellipsis', () => {
    expect(excerpt('short')).toBe('short');
    expect(excerpt('line one\nline two')).toBe('line one…');
    const long = '🙂'.repeat(150);
    expect(excerpt(long)).toBe(`${'🙂'.repeat(100)}…`);
    expect(replyQuote({ seq: 3, author: 'Ann', text: 'gone', deleted: true })).toEqual({
      seq: 3,
      author: 'Ann',
      excerpt: '',
      deleted: true,
    });
  });
});
