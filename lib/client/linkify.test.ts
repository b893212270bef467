import { describe, expect, it } from 'vitest';
import { linkify } from './linkify';

describe('linkify', () => {
  it('keeps text without links as one plain part', () => {
    expect(linkify('hello there')).toEqual([{ kind: 'text', text: 'hello there' }]);
  });

  it('returns no parts for empty text', () => {
    expect(linkify('')).toEqual([]);
  });

  it('finds an https link between words', () => {
    expect(linkify('see https://example.com/a?b=1#c now')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1#c', href: 'https://example.com/a?b=1#c' },
      { kind: 'text', text: ' now' },
    ]);
  });

  it('finds http links and several links in one message', () => {
    const parts = linkify('http://a.test and https://b.test');
    expect(parts.filter((part) => part.kind === 'link').map((part) => part.text)).toEqual([
      'http://a.test',
      'https://b.test',
    ]);
  });

  it('leaves sentence punctuation after a link outside it', () => {
    expect(linkify('Look: https://example.com/page.')).toEqual([
      { kind: 'text', text: 'Look: ' },
      { kind: 'link', text: 'https://example.com/page', href: 'https://example.com/page' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('keeps balanced brackets in a link and drops an unbalanced closing one', () => {
    expect(linkify('(https://en.wikipedia.org/wiki/Chat_(disambiguation))')).toEqual([
      { kind: 'text', text: '(' },
      {
        kind: 'link',
        text: 'https://en.wikipedia.org/wiki/Chat_(disambiguation)',
        href: 'https://en.wikipedia.org/wiki/Chat_(disambiguation)',
      },
      { kind: 'text', text: ')' },
    ]);
  });

  it('never links other schemes', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,hi', 'ftp://example.com']) {
      expect(linkify(text)).toEqual([{ kind: 'text', text }]);
    }
  });

  it('treats markup as plain text and stops a link at an angle bracket', () => {
    expect(linkify('<img src=x onerror=alert(1)>')).toEqual([
      { kind: 'text', text: '<img src=x onerror=alert(1)>' },
    ]);
    expect(linkify('<a href="https://x.test">')).toEqual([
      { kind: 'text', text: '<a href="' },
      { kind: 'link', text: 'https://x.test', href: 'https://x.test/' },
      { kind: 'text', text: '">' },
    ]);
  });

  it('does not link a scheme glued to a preceding word', () => {
    expect(linkify('xhttps://example.com')).toEqual([
      { kind: 'text', text: 'xhttps://example.com' },
    ]);
  });

  it('leaves an address without a host as text', () => {
    expect(linkify('https://')).toEqual([{ kind: 'text', text: 'https://' }]);
  });
});
