import { describe, expect, it } from 'vitest';
import { MAX_SEARCH_QUERY_LENGTH } from '../protocol/limits';
import {
  foldText,
  parseSearchQuery,
  searchText,
  searchWords,
  SearchSentence,
  type SearchQuery,
} from './search-query';

/** The query a search box text parses to; fails the test if it is refused. */
function parsed(raw: string): SearchQuery {
  const result = parseSearchQuery(raw);
  if (!result.ok) throw new Error(`refused: ${result.error.message}`);
  return result.value;
}

const prefix = (word: string) => ({ kind: 'word', word, prefix: true });
const exact = (word: string) => ({ kind: 'word', word, prefix: false });

describe('folding text for search', () => {
  it('removes Polish and Portuguese diacritics and lowers the case', () => {
    expect(foldText('Żółw')).toBe('zolw');
    expect(foldText('ZAŻÓŁĆ GĘŚLĄ JAŹŃ')).toBe('zazolc gesla jazn');
    expect(foldText('Ação, coração, São Paulo')).toBe('acao, coracao, sao paulo');
  });

  it('spells out letters that have no mark to strip', () => {
    expect(foldText('Łódź')).toBe('lodz');
    expect(foldText('Øresund Đorđe Straße Æsir Œuvre Iı Þór')).toBe(
      'oresund dorde strasse aesir oeuvre ii thor',
    );
    expect(foldText('STRASSE')).toBe(foldText('Straße'));
  });

  it('unifies compatibility forms: ligatures, full-width letters, superscripts', () => {
    expect(foldText('ﬁle ＡＢＣ x²')).toBe('file abc x2');
  });

  it('folds a text and its decomposed spelling alike', () => {
    expect(foldText('ação'.normalize('NFD'))).toBe(foldText('ação'.normalize('NFC')));
  });
});

describe('the words of a text', () => {
  it('splits on anything that is not a letter or a digit', () => {
    expect(searchWords('Deploy: "main" → prod! v2.1 — ok?')).toEqual([
      'deploy',
      'main',
      'prod',
      'v2',
      '1',
      'ok',
    ]);
    expect(searchWords('const x = foo_bar(1);')).toEqual(['const', 'x', 'foo', 'bar', '1']);
  });

  it('keeps words of every script, and none of emoji or punctuation', () => {
    expect(searchWords('Привет 世界 🎉 ... !!!')).toEqual(['привет', '世界']);
    expect(searchWords('🎉 !!!')).toEqual([]);
  });

  it('indexes a message as its words joined by single spaces', () => {
    expect(searchText('  Żółw\n\tna   ação!  ')).toBe('zolw na acao');
  });
});

describe('reading a search', () => {
  it('makes every bare word a prefix, all of them required', () => {
    expect(parsed('deplo Fri')).toEqual({ terms: [prefix('deplo'), prefix('fri')] });
  });

  it('reads quoted words as an exact phrase, and one quoted word as an exact word', () => {
    expect(parsed('"release notes" "main"')).toEqual({
      terms: [{ kind: 'phrase', words: ['release', 'notes'] }, exact('main')],
    });
  });

  it('reads words joined by punctuation as a phrase ending in a prefix', () => {
    expect(parsed('search-qu')).toEqual({
      terms: [{ kind: 'phrase', words: ['search', 'qu'], prefix: true }],
    });
  });

  it('folds the query as the text is folded, so either spelling finds the other', () => {
    expect(parsed('Żółw AÇÃO')).toEqual({ terms: [prefix('zolw'), prefix('acao')] });
    expect(parsed('zolw acao')).toEqual(parsed('żółw ação'));
  });

  it('keeps one author with from:, in any case, quoted when the nickname has spaces', () => {
    expect(parsed('from:Ann deploy')).toEqual({ terms: [prefix('deploy')], from: 'ann' });
    expect(parsed('FROM:Żaneta')).toEqual({ terms: [], from: 'zaneta' });
    expect(parsed('from:"Ann Marie" x')).toEqual({ terms: [prefix('x')], from: 'ann marie' });
    expect(parsed('from:ann from:ANN')).toEqual({ terms: [], from: 'ann' });
  });

  it('refuses two different authors', () => {
    expect(parseSearchQuery('from:ann from:bo')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: SearchSentence.twoAuthors },
    });
  });

  it('takes from: without a name, or inside a word, as words', () => {
    expect(parsed('from:')).toEqual({ terms: [prefix('from')] });
    expect(parsed('xfrom:ann')).toEqual({
      terms: [{ kind: 'phrase', words: ['xfrom', 'ann'], prefix: true }],
    });
  });

  it('treats an unbalanced quote as a literal character', () => {
    expect(parsed('say "hello')).toEqual({ terms: [prefix('say'), prefix('hello')] });
    expect(parsed('"a b" "c')).toEqual({
      terms: [{ kind: 'phrase', words: ['a', 'b'] }, prefix('c')],
    });
  });

  it('searches index syntax literally, as the words it contains', () => {
    expect(parsed('deploy*')).toEqual({ terms: [prefix('deploy')] });
    expect(parsed('a OR b')).toEqual({ terms: [prefix('a'), prefix('or'), prefix('b')] });
    expect(parsed('NOT x AND -y ^z')).toEqual({
      terms: [prefix('not'), prefix('x'), prefix('and'), prefix('y'), prefix('z')],
    });
    expect(parsed('NEAR(a b)')).toEqual({
      terms: [{ kind: 'phrase', words: ['near', 'a'], prefix: true }, prefix('b')],
    });
    expect(parsed("col:x 'y' \\z & | ! <-> :*")).toEqual({
      terms: [{ kind: 'phrase', words: ['col', 'x'], prefix: true }, prefix('y'), prefix('z')],
    });
  });

  it('refuses a search with nothing to look for, with a sentence', () => {
    for (const raw of ['', '   ', '"', '""', '*', '-', '^', "'", '\\', ':', '🎉', '"  "', '( )']) {
      expect(parseSearchQuery(raw), raw).toEqual({
        ok: false,
        error: { code: 'INVALID_INPUT', message: SearchSentence.empty },
      });
    }
  });

  it('refuses a search longer than the limit, counted in characters', () => {
    expect(parseSearchQuery('ż'.repeat(MAX_SEARCH_QUERY_LENGTH)).ok).toBe(true);
    expect(parseSearchQuery('😀'.repeat(MAX_SEARCH_QUERY_LENGTH)).ok).toBe(false);
    expect(parseSearchQuery('ż'.repeat(MAX_SEARCH_QUERY_LENGTH + 1))).toMatchObject({
      ok: false,
      error: { message: SearchSentence.tooLong },
    });
    expect(parseSearchQuery('x'.repeat(100_000)).ok).toBe(false);
  });

  it('never throws on hostile input', () => {
    const hostile = ['"\u0000"', '\uD800', 'a\u200Bb', '""""""', '"a""b"', 'from:"', 'from:"x'];
    for (const raw of hostile) expect(() => parseSearchQuery(raw)).not.toThrow();
    expect(parsed('a\u200Bb')).toEqual({
      terms: [{ kind: 'phrase', words: ['a', 'b'], prefix: true }],
    });
  });
});
