import { invalid, valid, type ValueResult } from '../protocol/errors';
import { MAX_SEARCH_QUERY_LENGTH } from '../protocol/limits';

/**
 * What a search in a room asks for, and the one way text becomes searchable words. Plain
 * functions, used by the server, the browser and both storage backends, so a word is the same
 * word everywhere: the store indexes `searchWords(text)` and queries with the terms parsed here,
 * and nothing a person types ever reaches a database's query language.
 */

/** One thing every found message must contain; all terms of a query must hold (AND). */
export type SearchTerm =
  /** A word, or with `prefix` any word starting with it ("deplo" finds "deployment"). */
  | { kind: 'word'; word: string; prefix: boolean }
  /**
   * Words next to one another in this order. Typed in quotes they are exact; joined by
   * punctuation ("search-query", "a.b") the last one is a prefix, as a bare word is.
   */
  | { kind: 'phrase'; words: string[]; prefix?: boolean };

/** A parsed search: its terms, and the folded nickname of the author to keep (`from:`). */
export interface SearchQuery {
  terms: SearchTerm[];
  /** `foldText` of the nickname typed after `from:`. */
  from?: string;
}

/** Letters that carry no combining mark to strip, and what they are searched as. */
const UNDECOMPOSED: Readonly<Record<string, string>> = {
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ħ: 'h',
  ŧ: 't',
  ı: 'i',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  þ: 'th',
  ĸ: 'k',
  ŋ: 'n',
  ſ: 's',
  ς: 'σ',
};
const UNDECOMPOSED_LETTER = new RegExp(`[${Object.keys(UNDECOMPOSED).join('')}]`, 'gu');
const COMBINING_MARK = /\p{M}/gu;
const NOT_A_WORD = /[^\p{L}\p{N}]+/u;

/**
 * Text as search compares it: lower case, compatibility forms unified, diacritics removed.
 *
 * @example foldText('Żółw na Ação') // 'zolw na acao'
 */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(COMBINING_MARK, '')
    .replace(UNDECOMPOSED_LETTER, (letter) => UNDECOMPOSED[letter]!)
    .normalize('NFC');
}

/**
 * The folded words of a text: its runs of letters and digits, everything else a separator.
 * The one tokenizer for indexing and for queries.
 *
 * @example searchWords('Deploy: "main" → prod!') // ['deploy', 'main', 'prod']
 */
export function searchWords(text: string): string[] {
  return foldText(text)
    .split(NOT_A_WORD)
    .filter((word) => word !== '');
}

/** What a message is indexed as: its words, one space between each. */
export function searchText(text: string): string {
  return searchWords(text).join(' ');
}

/** Sentences a person sees when a search cannot be run. */
export const SearchSentence = {
  empty: 'Type a word to search for.',
  tooLong: `A search can be at most ${MAX_SEARCH_QUERY_LENGTH} characters long.`,
  twoAuthors: 'Search for one author at a time.',
} as const;

/**
 * `from:"two words"`, `"a phrase"`, a run of other characters, or a quote with no partner
 * (which stays a literal character: the tokenizer drops it).
 */
const PIECE = /from:"([^"]*)"|"([^"]*)"|[^\s"]+|"/giu;
const FROM_PREFIX = /^from:/i;

/**
 * Reads what a person typed into the search box. Every bare word is a prefix ("deplo" finds
 * "deployment"); `"quoted words"` are an exact phrase (one quoted word an exact word); a bare
 * run joined by punctuation ("search-query.ts", "don't") is a phrase whose last word is a
 * prefix; `from:nickname` or `from:"nick name"` keeps one author's messages. All terms must
 * hold. Anything else — `*`, `OR`, `NEAR(`, `-`, `^`, `:` — is searched as the words it
 * contains, never as syntax.
 *
 * @example parseSearchQuery('deplo from:Ann') // terms [{ word 'deplo', prefix }], from 'ann'
 */
export function parseSearchQuery(raw: string): ValueResult<SearchQuery> {
  // A cheap bound first, so counting code points of a hostile string costs little.
  if (raw.length > 2 * MAX_SEARCH_QUERY_LENGTH) return invalid(SearchSentence.tooLong);
  if (Array.from(raw).length > MAX_SEARCH_QUERY_LENGTH) return invalid(SearchSentence.tooLong);
  const terms: SearchTerm[] = [];
  let from: string | undefined;
  for (const [piece, quotedAuthor, phrase] of raw.matchAll(PIECE)) {
    const author = quotedAuthor ?? authorOf(piece);
    // `from:` with no name after it is only the word "from".
    const folded = author === undefined ? '' : foldText(author.trim());
    if (folded !== '') {
      if (from !== undefined && from !== folded) return invalid(SearchSentence.twoAuthors);
      from = folded;
      continue;
    }
    const term = phrase === undefined ? bareTerm(piece) : quotedTerm(phrase);
    if (term) terms.push(term);
  }
  if (terms.length === 0 && from === undefined) return invalid(SearchSentence.empty);
  return valid(from === undefined ? { terms } : { terms, from });
}

/** The nickname of a `from:name` piece; undefined for any other piece. */
function authorOf(piece: string): string | undefined {
  return FROM_PREFIX.test(piece) ? piece.slice('from:'.length) : undefined;
}

function bareTerm(piece: string): SearchTerm | undefined {
  const words = searchWords(piece);
  if (words.length === 0) return undefined;
  if (words.length === 1) return { kind: 'word', word: words[0]!, prefix: true };
  return { kind: 'phrase', words, prefix: true };
}

function quotedTerm(phrase: string): SearchTerm | undefined {
  const words = searchWords(phrase);
  if (words.length === 0) return undefined;
  if (words.length === 1) return { kind: 'word', word: words[0]!, prefix: false };
  return { kind: 'phrase', words };
}
