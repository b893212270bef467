import { describe, expect, it } from 'vitest';
import { checkNickname, lookKeys, nicknameKey } from './nickname';

/** The display form of an accepted nickname; fails the test if it was refused. */
function accepted(raw: string): string {
  const result = checkNickname(raw);
  if (!result.ok)
    throw new Error(`expected ${JSON.stringify(raw)} to be accepted: ${result.error.message}`);
  return result.value.display;
}

/** The reason a nickname was refused; fails the test if it was accepted. */
function refused(raw: string): string {
  const result = checkNickname(raw);
  if (result.ok) throw new Error(`expected ${JSON.stringify(raw)} to be refused`);
  return result.error.message;
}

describe('checkNickname', () => {
  describe('normalisation', () => {
    it('trims surrounding whitespace', () => {
      expect(accepted('  Zoë \t')).toBe('Zoë');
    });

    it('composes to NFC, so a decomposed é becomes the single code point é', () => {
      expect(accepted('Rene\u0301')).toBe('Ren\u00e9');
    });

    it('returns the uniqueness key alongside the display form', () => {
      const result = checkNickname(' Alice ');
      expect(result).toEqual({
        ok: true,
        value: { display: 'Alice', key: 'alice', lookKeys: lookKeys('Alice') },
      });
    });
  });

  describe('length', () => {
    it('accepts a single character', () => {
      expect(accepted('x')).toBe('x');
    });

    it('accepts 32 emoji, counting code points rather than UTF-16 units', () => {
      const name = '😀'.repeat(32);
      expect(name.length).toBe(64);
      expect(accepted(name)).toBe(name);
    });

    it('refuses 33 code points', () => {
      expect(refused('😀'.repeat(33))).toMatch(/32/);
      expect(refused('a'.repeat(33))).toMatch(/32/);
    });

    it('counts length after NFC, so 32 decomposed letters are accepted', () => {
      expect(accepted('e\u0301'.repeat(32))).toBe('\u00e9'.repeat(32));
    });

    it('counts length after trimming', () => {
      expect(accepted(`  ${'a'.repeat(32)}  `)).toBe('a'.repeat(32));
    });

    it.each([
      ['empty', ''],
      ['whitespace-only', ' \t\n '],
    ])('refuses an %s nickname', (_label, raw) => {
      expect(refused(raw)).toMatch(/choose a nickname/);
    });
  });

  describe('invisible and control characters', () => {
    it.each([
      ['a line feed', 'Al\nice'],
      ['a NUL', 'Al\u0000ice'],
      ['a zero-width space (U+200B)', 'Al\u200Bice'],
      ['a right-to-left override (U+202E)', 'Al\u202Eice'],
      ['a byte order mark (U+FEFF)', 'Al\uFEFFice'],
      ['a line separator (U+2028)', 'Al\u2028ice'],
    ])('refuses %s inside the name', (_label, raw) => {
      expect(refused(raw)).toMatch(/invisible or control/);
    });

    it.each([
      ['a technologist (woman + ZWJ + laptop)', '👩\u200D💻'],
      ['an astronaut with a skin tone (man + tone + ZWJ + rocket)', '👨🏽\u200D🚀'],
      ['a rainbow flag (flag + VS16 + ZWJ + rainbow)', '🏳\uFE0F\u200D🌈'],
    ])('accepts a zero-width joiner inside an emoji sequence: %s', (_label, raw) => {
      expect(accepted(`Sam ${raw}`)).toBe(`Sam ${raw}`);
    });

    it.each([
      ['between letters', 'Al\u200Dice'],
      ['at the start', '\u200DAlice'],
      ['at the end', 'Alice\u200D'],
      ['after an emoji at the end', 'Alice 👩\u200D'],
      ['between a letter and an emoji', 'a\u200D💻'],
    ])('refuses a zero-width joiner %s', (_label, raw) => {
      expect(refused(raw)).toMatch(/invisible or control/);
    });

    it.each([
      ['a lone high surrogate', '\uD800'],
      ['a lone low surrogate inside a name', 'Al\uDC00ice'],
    ])('refuses %s', (_label, raw) => {
      expect(refused(raw)).toMatch(/broken/);
    });
  });

  it('gives every refusal as a human sentence', () => {
    for (const raw of ['', 'a'.repeat(33), 'a\u0000b', '\uD800']) {
      expect(refused(raw)).toMatch(/^[A-Z].+\.$/);
    }
  });
});

describe('nicknameKey', () => {
  it('treats a nickname differing only in case as the same key', () => {
    expect(nicknameKey('Alice')).toBe(nicknameKey('ALICE'));
  });

  it('applies NFKC, so fullwidth Ａｌｉｃｅ equals alice', () => {
    expect(nicknameKey('Ａｌｉｃｅ')).toBe(nicknameKey('alice'));
  });

  it('folds ß, so Straße equals STRASSE', () => {
    expect(nicknameKey('Straße')).toBe(nicknameKey('STRASSE'));
  });

  it('gives different names different keys', () => {
    expect(nicknameKey('Alice')).not.toBe(nicknameKey('Alicia'));
    expect(nicknameKey('Zoë')).not.toBe(nicknameKey('Zoe'));
  });

  it('is the key checkNickname reports', () => {
    const result = checkNickname('Ａｌｉｃｅ');
    expect(result.ok && result.value.key).toBe(nicknameKey('alice'));
  });
});

/** Whether two accepted nicknames would clash in one room. */
function clash(a: string, b: string): boolean {
  const [first, second] = [checkNickname(a), checkNickname(b)];
  if (!first.ok || !second.ok) throw new Error(`expected ${a} and ${b} to be accepted`);
  const [x, y] = [first.value, second.value];
  return (
    x.key === y.key ||
    x.lookKeys.folded === y.lookKeys.folded ||
    x.lookKeys.shown === y.lookKeys.shown
  );
}

describe('look-alike nicknames', () => {
  it('refuses a name mixing Latin with Cyrillic or Greek letters', () => {
    const sentence = 'A nickname cannot mix alphabets that look alike, such as Latin and Cyrillic.';
    expect(refused('\u0410lice')).toBe(sentence);
    expect(refused('p\u0430ypal')).toBe(sentence);
    expect(refused('B\u03bfb')).toBe(sentence);
    expect(refused('\u0411\u03b1')).toBe(sentence);
  });

  it('accepts a name in any one alphabet, with digits, spaces and emoji', () => {
    for (const name of [
      'Zoë',
      'Łukasz Żółw',
      'João',
      'Борис',
      'Σωκράτης',
      '山田',
      'Ana 🐢',
      'R2-D2',
    ]) {
      expect(accepted(name)).toBe(name);
    }
  });

  it('makes names that look alike the same name', () => {
    expect(clash('\u0412\u041e\u0412', 'BOB')).toBe(true);
    expect(clash('\u0412\u041e\u0412', 'Bob')).toBe(true);
    expect(clash('\u0430\u0441\u0435', 'ace')).toBe(true);
    expect(clash('A1ice', 'Alice')).toBe(true);
    expect(clash('AIice', 'Alice')).toBe(true);
    expect(clash('\u03b9\u03b9', 'ii')).toBe(true);
  });

  it('keeps apart names that look different', () => {
    expect(clash('Alice', 'Alicia')).toBe(false);
    expect(clash('Zoë', 'Zoe')).toBe(false);
    expect(clash('żółw', 'zolw')).toBe(false);
    expect(clash('Борис', 'Boris')).toBe(false);
  });
});
