import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../protocol/errors';
import { checkMessageText } from './message-text';

const refused = (message: string) => ({
  ok: false,
  error: { code: ErrorCode.InvalidInput, message },
});

describe('checkMessageText', () => {
  describe('normalisation', () => {
    it('trims surrounding whitespace and blank lines', () => {
      expect(checkMessageText('\n  hello  \n\n')).toEqual({ ok: true, value: 'hello' });
    });

    it('keeps inner newlines and blank lines', () => {
      expect(checkMessageText('first\n\nthird')).toEqual({ ok: true, value: 'first\n\nthird' });
    });

    it('turns CRLF and lone CR line endings into LF', () => {
      expect(checkMessageText('a\r\nb\rc\r\r\nd')).toEqual({ ok: true, value: 'a\nb\nc\n\nd' });
    });

    it('allows a tab', () => {
      expect(checkMessageText('name:\tvalue')).toEqual({ ok: true, value: 'name:\tvalue' });
    });

    it('allows bidi marks and emoji, which are ordinary text in a message', () => {
      const text = 'שלום \u202Eabc\u202C 👩\u200D💻 🏳️\u200D🌈';
      expect(checkMessageText(text)).toEqual({ ok: true, value: text });
    });
  });

  describe('emptiness', () => {
    it.each([
      ['empty', ''],
      ['whitespace-only', ' \t '],
      ['only line breaks', '\r\n\n\r'],
    ])('refuses an %s message', (_label, raw) => {
      expect(checkMessageText(raw)).toEqual(refused('A message cannot be empty.'));
    });
  });

  describe('length', () => {
    it('accepts 4000 code points', () => {
      const text = 'a'.repeat(4000);
      expect(checkMessageText(text)).toEqual({ ok: true, value: text });
    });

    it('accepts 4000 emoji even though they are 8000 UTF-16 units', () => {
      const text = '😀'.repeat(4000);
      expect(text.length).toBe(8000);
      expect(checkMessageText(text)).toEqual({ ok: true, value: text });
    });

    it.each([
      ['ASCII', 'a'.repeat(4001)],
      ['emoji', '😀'.repeat(4001)],
    ])('refuses 4001 code points of %s', (_label, text) => {
      const result = checkMessageText(text);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error.message).toBe(
        'A message can be at most 4,000 characters long.',
      );
    });

    it('counts length after trimming', () => {
      const text = 'a'.repeat(4000);
      expect(checkMessageText(`   ${text}\n\n`)).toEqual({ ok: true, value: text });
    });

    it('counts a CRLF as one character', () => {
      const text = `${'a'.repeat(1999)}\r\n${'b'.repeat(2000)}`;
      expect(checkMessageText(text).ok).toBe(true);
    });
  });

  describe('forbidden characters', () => {
    it.each([
      ['NUL', '\u0000'],
      ['ESC', '\u001b'],
      ['DEL', '\u007f'],
      ['NEL (U+0085)', '\u0085'],
      ['a vertical tab inside the text', '\u000b'],
    ])('refuses %s', (_label, char) => {
      expect(checkMessageText(`a${char}b`)).toEqual(
        refused('The message contains control characters.'),
      );
    });

    it('refuses a control character at the end, where trimming does not remove it', () => {
      expect(checkMessageText('hello\u0000').ok).toBe(false);
    });

    it.each([
      ['a lone high surrogate', '\uD800'],
      ['a lone low surrogate inside text', 'ab\uDC00cd'],
    ])('refuses %s', (_label, raw) => {
      expect(checkMessageText(raw)).toEqual(refused('The message contains broken characters.'));
    });
  });
});
