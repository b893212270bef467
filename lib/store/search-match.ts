import { searchWords, type SearchTerm } from '../chat/search-query';

/**
 * A parsed search in each dialect's full-text query language. Every word comes from
 * `searchWords` (letters and digits only) and is quoted all the same, so nothing typed can
 * become an operator; all terms must hold.
 */

/**
 * The terms with only the tokenizer's words in them, and none left empty: a query built by
 * hand (not by `parseSearchQuery`) cannot reach the query language either.
 */
export function searchableTerms(terms: readonly SearchTerm[]): SearchTerm[] {
  return terms.flatMap((term): SearchTerm[] => {
    const { words, prefix } = wordsOf(term);
    const kept = words.flatMap(searchWords);
    if (kept.length === 0) return [];
    if (kept.length === 1) return [{ kind: 'word', word: kept[0]!, prefix }];
    return [{ kind: 'phrase', words: kept, prefix }];
  });
}

/** The words of a term, and whether its last word is a prefix. */
function wordsOf(term: SearchTerm): { words: string[]; prefix: boolean } {
  if (term.kind === 'word') return { words: [term.word], prefix: term.prefix };
  return { words: term.words, prefix: term.prefix === true };
}

/**
 * An FTS5 query within one room: the room's token (`search_room`, its ID in hex, as the
 * schema generates it), and in `search_text` each term one double-quoted string (a phrase
 * when it holds several words), `*` after it for a prefix, joined by AND.
 *
 * @example ftsMatch('ab', [{ kind: 'word', word: 'deplo', prefix: true }])
 * // 'search_room : "r6162" AND search_text : ("deplo"*)'
 */
export function ftsMatch(roomId: string, terms: readonly SearchTerm[]): string {
  const words = terms
    .map((term) => {
      const { words, prefix } = wordsOf(term);
      return `"${words.join(' ').replaceAll('"', '""')}"${prefix ? '*' : ''}`;
    })
    .join(' AND ');
  const room = `r${Buffer.from(roomId, 'utf8').toString('hex')}`;
  return `search_room : "${room}" AND search_text : (${words})`;
}

/**
 * A PostgreSQL tsquery: each word a quoted lexeme (`:*` for a prefix), a phrase's words
 * joined by `<->`, the terms by `&`.
 *
 * @example tsqueryText([{ kind: 'phrase', words: ['a', 'b'] }]) // "('a' <-> 'b')"
 */
export function tsqueryText(terms: readonly SearchTerm[]): string {
  return terms
    .map((term) => {
      const { words, prefix } = wordsOf(term);
      const lexemes = words.map((word, index) => {
        const quoted = `'${word.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
        return prefix && index === words.length - 1 ? `${quoted}:*` : quoted;
      });
      return lexemes.length === 1 ? lexemes[0]! : `(${lexemes.join(' <-> ')})`;
    })
    .join(' & ');
}
