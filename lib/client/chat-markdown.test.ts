import { describe, expect, it } from 'vitest';
import { visibleText } from './chat-markdown';

// How the rules render is specified with the component, in components/room/message-text.test.tsx.
describe('visibleText', () => {
  it('drops the Markdown marks and keeps the words, code included', () => {
    expect(visibleText('**@alice** look at `x = 1` ~~now~~')).toBe('@alice look at x = 1 now');
  });

  it('puts each block on a line of its own', () => {
    expect(visibleText('# Title\n\n> quoted\n\n- one\n- two\n\n```\ncode\n```')).toBe(
      'Title\nquoted\none\ntwo\ncode',
    );
  });

  it("shows a link's text, not its address, and what is shown as typed as typed", () => {
    expect(visibleText('[the docs](https://example.com/@alice)')).toBe('the docs');
    expect(visibleText('[x](javascript:alert(1)) ![pic](https://example.com/a.png)')).toBe(
      '[x](javascript:alert(1)) ![pic](https://example.com/a.png)',
    );
    expect(visibleText('<b>hi</b> &amp; &#64;bob')).toBe('<b>hi</b> & @bob');
  });
});
