import { describe, expect, it } from 'vitest';
import type { SearchTerm } from '../chat/search-query';
import { ftsMatch, searchableTerms, tsqueryText } from './search-match';

const terms: SearchTerm[] = [
  { kind: 'word', word: 'deplo', prefix: true },
  { kind: 'word', word: 'main', prefix: false },
  { kind: 'phrase', words: ['release', 'notes'] },
  { kind: 'phrase', words: ['search', 'qu'], prefix: true },
];

describe('a search in each dialect’s query language', () => {
  it('quotes every word for FTS5, a star after prefixes, AND between terms and the room', () => {
    expect(ftsMatch('ab-ż', terms)).toBe(
      'search_room : "r61622dc5bc" AND search_text : ("deplo"* AND "main" AND "release notes" AND "search qu"*)',
    );
  });

  it('quotes every lexeme for PostgreSQL, :* after prefixes, <-> in phrases, & between', () => {
    expect(tsqueryText(terms)).toBe(
      "'deplo':* & 'main' & ('release' <-> 'notes') & ('search' <-> 'qu':*)",
    );
  });

  it('escapes quotes and backslashes should a word ever hold one', () => {
    const odd: SearchTerm[] = [{ kind: 'word', word: `a"b'c\\d`, prefix: false }];
    expect(ftsMatch('r', odd)).toBe('search_room : "r72" AND search_text : ("a""b\'c\\d")');
    expect(tsqueryText(odd)).toBe(`'a"b''c\\\\d'`);
  });

  it('keeps only the tokenizer’s words of a query built by hand, and drops empty terms', () => {
    expect(
      searchableTerms([
        { kind: 'word', word: '', prefix: true },
        { kind: 'phrase', words: [] },
        { kind: 'word', word: "a'b", prefix: true },
        { kind: 'phrase', words: ['Żółw', '*'] },
      ]),
    ).toEqual([
      { kind: 'phrase', words: ['a', 'b'], prefix: true },
      { kind: 'word', word: 'zolw', prefix: false },
    ]);
  });
});
