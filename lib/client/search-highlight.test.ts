import { describe, expect, it } from 'vitest';
import { highlightParts } from './search-highlight';

/** The parts in short: matches in [brackets]. */
const marked = (text: string, words: string[]) =>
  highlightParts(text, words)
    .map((part) => (part.match ? `[${part.text}]` : part.text))
    .join('');

describe('highlightParts', () => {
  it('marks whole words that start with a searched word, whatever their case and accents', () => {
    expect(marked('Żółw i ŻÓŁWIK', ['zolw'])).toBe('[Żółw] i [ŻÓŁWIK]');
    expect(marked('A ação começou', ['acao'])).toBe('A [ação] começou');
    expect(marked('Deployment done, redeploy later', ['deplo'])).toBe(
      '[Deployment] done, redeploy later',
    );
  });

  it('marks nothing when nothing matches', () => {
    expect(highlightParts('nothing here', ['zebra'])).toEqual([
      { text: 'nothing here', match: false },
    ]);
  });

  it('cuts a long text to a snippet around its first match', () => {
    const text = `${'lorem ipsum '.repeat(30)}the needle is here ${'dolor sit '.repeat(30)}`;
    const snippet = marked(text, ['needle']);
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet).toContain('[needle]');
    expect(snippet.length).toBeLessThan(200);
  });
});
