import { foldText, type SearchQuery } from '../chat/search-query';

/** A run of a result's text, and whether it is one of the words searched for. */
export interface TextPart {
  text: string;
  match: boolean;
}

/** How much of a long result is shown: this many characters, from a little before a match. */
const SNIPPET_LENGTH = 160;
const LEAD = 40;

/** The folded words a query looks for, each matching a word's start. */
export function queryWords(query: SearchQuery): string[] {
  return query.terms.flatMap((term) => (term.kind === 'word' ? [term.word] : term.words));
}

/**
 * `text` cut into the words that match one of `words` (folded the way the index folds them,
 * so "zolw" marks "Żółw") and the runs between them; a long text is cut to a snippet around
 * its first match, with "…" where it was cut.
 */
export function highlightParts(text: string, words: readonly string[]): TextPart[] {
  const matches: Array<[start: number, end: number]> = [];
  for (const found of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const folded = foldText(found[0]);
    if (words.some((word) => folded.startsWith(word))) {
      matches.push([found.index, found.index + found[0].length]);
    }
  }
  const from = text.length > SNIPPET_LENGTH ? Math.max(0, (matches[0]?.[0] ?? 0) - LEAD) : 0;
  const to = Math.min(text.length, from + SNIPPET_LENGTH);
  const parts: TextPart[] = [];
  let cursor = from;
  const plain = (end: number) => {
    if (end > cursor) parts.push({ text: text.slice(cursor, end), match: false });
  };
  for (const [start, end] of matches) {
    if (end <= from || start >= to) continue;
    plain(start);
    parts.push({ text: text.slice(Math.max(start, from), Math.min(end, to)), match: true });
    cursor = Math.min(end, to);
  }
  plain(to);
  if (from > 0) parts.unshift({ text: '…', match: false });
  if (to < text.length) parts.push({ text: '…', match: false });
  return parts;
}
