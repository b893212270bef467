import { describe, expect, it } from 'vitest';
import { checkEmoji } from './emoji';

describe('checkEmoji', () => {
  it.each([
    ['👍', '👍'],
    ['👍🏽', '👍🏽'],
    ['👨‍👩‍👧‍👦', '👨‍👩‍👧‍👦'],
    ['🏳️‍🌈', '🏳️‍🌈'],
    ['🇵🇱', '🇵🇱'],
    ['🇧🇷', '🇧🇷'],
  ])('takes %s as one emoji', (raw, expected) => {
    expect(checkEmoji(raw)).toEqual({ ok: true, value: expected });
  });

  it('makes one reaction of a symbol however its style was asked for', () => {
    for (const heart of ['❤', '❤️', '❤︎']) {
      expect(checkEmoji(heart)).toEqual({ ok: true, value: '❤️' });
    }
    expect(checkEmoji('1⃣')).toEqual({ ok: true, value: '1️⃣' });
    expect(checkEmoji('#️⃣')).toEqual({ ok: true, value: '#️⃣' });
  });

  it.each(['', 'a', 'ok', '👍👍', '👍 ', ' 👍', '1', '<script>', '🇵', 'ą', '\u200d'])(
    'refuses %j with a sentence',
    (raw) => {
      expect(checkEmoji(raw)).toEqual({
        ok: false,
        error: { code: 'INVALID_INPUT', message: 'A reaction is one emoji, such as 👍.' },
      });
    },
  );
});
