import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { MessageText } from './message-text';

/** The markup a message renders to. React escapes text, so every `<` in it opens an element. */
function render(text: string): string {
  return renderToStaticMarkup(<MessageText text={text} />);
}

/** The names of the elements in rendered markup, in order. */
function elements(markup: string): string[] {
  return [...markup.matchAll(/<([a-z][a-z0-9]*)/gi)].map((match) => match[1]!.toLowerCase());
}

/** The names of the attributes in rendered markup (React quotes and escapes every value). */
function attributes(markup: string): string[] {
  return [...markup.matchAll(/<[a-z][^>]*>/gi)].flatMap((tag) =>
    [...tag[0].replace(/"[^"]*"/g, '').matchAll(/\s([a-z-]+)=/gi)].map((match) =>
      match[1]!.toLowerCase(),
    ),
  );
}

/** The `href`s of the links in rendered markup. */
function hrefs(markup: string): string[] {
  return [...markup.matchAll(/<a [^>]*href="([^"]*)"/g)].map((match) => decode(match[1]!));
}

/** What a reader sees: the text of the markup without its elements. */
function visibleText(markup: string): string {
  return decode(markup.replace(/<[^>]*>/g, ''));
}

function decode(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&');
}

const LINK = 'target="_blank" rel="noopener noreferrer"';

describe('MessageText', () => {
  describe('shows plain text as it was typed', () => {
    it('as one paragraph', () => {
      expect(render('hello there')).toBe('<p>hello there</p>');
    });

    it('keeps single newlines and runs of spaces (the message shows them: pre-wrap)', () => {
      expect(render('first line\nsecond  line')).toBe('<p>first line\nsecond  line</p>');
    });

    it('turns a hard line break into a plain newline, not a second one', () => {
      expect(render('a  \nb')).toBe('<p>a\nb</p>');
      expect(render('a\\\nb')).toBe('<p>a\nb</p>');
    });

    it('separates paragraphs without newlines between the blocks', () => {
      expect(render('one\n\ntwo')).toBe('<p>one</p><p>two</p>');
    });

    it('leaves single tildes, snake_case and lone asterisks alone', () => {
      expect(render('~5 min, snake_case_name, 2 * 3')).toBe(
        '<p>~5 min, snake_case_name, 2 * 3</p>',
      );
    });
  });

  describe('renders the supported Markdown', () => {
    it('bold, italic, strikethrough and inline code', () => {
      expect(render('**bold** *it* _also_ ~~gone~~ `x = 1`')).toBe(
        '<p><strong>bold</strong> <em>it</em> <em>also</em> <del>gone</del> <code>x = 1</code></p>',
      );
    });

    it('a fenced code block, keeping its whitespace', () => {
      expect(render('```ts\nconst a = 1;\n  indented\n```')).toBe(
        '<pre tabindex="0"><code class="language-ts">const a = 1;\n  indented\n</code></pre>',
      );
    });

    it('an indented code block', () => {
      expect(render('look:\n\n    code  here')).toBe(
        '<p>look:</p><pre tabindex="0"><code>code  here\n</code></pre>',
      );
    });

    it('a block quote, keeping its line breaks', () => {
      expect(render('> quoted\n> more\n\nreply')).toBe(
        '<blockquote><p>quoted\nmore</p></blockquote><p>reply</p>',
      );
    });

    it('unordered, nested and ordered lists', () => {
      expect(render('- a\n- b\n  - c')).toBe('<ul><li>a</li><li>b<ul><li>c</li></ul></li></ul>');
      expect(render('3. three\n4. four')).toBe('<ol start="3"><li>three</li><li>four</li></ol>');
    });

    it('a task list with its boxes as typed, not as form controls', () => {
      expect(render('- [ ] todo\n- [x] done')).toBe('<ul><li>[ ] todo</li><li>[x] done</li></ul>');
    });
  });

  describe('shows what a chat does not format as text', () => {
    it('headings as the words of the heading', () => {
      expect(render('# Title\nnext')).toBe('<p>Title</p><p>next</p>');
      expect(render('## *Big* news')).toBe('<p><em>Big</em> news</p>');
    });

    it('tables and rules as typed', () => {
      const table = '| a | b |\n|---|---|\n| 1 | 2 |';
      expect(render(table)).toBe(`<p>${table}</p>`);
      expect(render('---')).toBe('<p>---</p>');
    });

    it('images as typed: never an image, never a request', () => {
      for (const image of [
        '![x](https://example.com/a.png)',
        '![x](javascript:alert(1))',
        '![x][pic]\n\n[pic]: https://example.com/a.png',
      ]) {
        const markup = render(image);
        expect(elements(markup), image).toEqual(['p']);
        expect(visibleText(markup)).toBe(image.split('\n')[0]);
      }
    });

    it('footnotes as typed', () => {
      expect(render('see[^1]\n\n[^1]: there')).toBe('<p>see[^1]</p><p>[^1]: there</p>');
    });

    it('raw HTML as typed, inline or as a block', () => {
      expect(render('a <b>bold</b> move')).toBe('<p>a &lt;b&gt;bold&lt;/b&gt; move</p>');
      expect(render('<div>\nblock\n</div>')).toBe('<p>&lt;div&gt;\nblock\n&lt;/div&gt;</p>');
    });
  });

  describe('links', () => {
    it('opens a safe link in a new tab, without the opener or referrer', () => {
      expect(render('[docs](https://example.com/docs)')).toBe(
        `<p><a href="https://example.com/docs" ${LINK}>docs<span class="link-target"> (example.com)</span></a></p>`,
      );
    });

    it('shows the destination beside text that is not the address', () => {
      const markup = render('[click me](https://evil.example/login)');
      expect(visibleText(markup)).toBe('click me (evil.example)');
      expect(visibleText(render('[https://bank.example](https://evil.example)'))).toBe(
        'https://bank.example (evil.example)',
      );
      expect(visibleText(render('[write us](mailto:thief@evil.example)'))).toBe(
        'write us (thief@evil.example)',
      );
    });

    it('shows no destination when the text is the address', () => {
      expect(render('[https://example.com](https://example.com)')).toBe(
        `<p><a href="https://example.com/" ${LINK}>https://example.com</a></p>`,
      );
      expect(render('<https://example.com/a>')).toBe(
        `<p><a href="https://example.com/a" ${LINK}>https://example.com/a</a></p>`,
      );
    });

    it('keeps formatting inside a link and reads the destination over it', () => {
      expect(render('[**bold** text](https://x.test)')).toBe(
        `<p><a href="https://x.test/" ${LINK}><strong>bold</strong> text<span class="link-target"> (x.test)</span></a></p>`,
      );
    });

    it('follows reference-style links to safe addresses', () => {
      expect(hrefs(render('[docs][d]\n\n[d]: https://example.com/docs'))).toEqual([
        'https://example.com/docs',
      ]);
    });

    it('shows a link to a relative address or another scheme as typed', () => {
      for (const link of [
        '[room](/rooms/abcd-efgh-jkmn)',
        '[top](#top)',
        '[file](ftp://example.com/file)',
      ]) {
        expect(render(link), link).toBe(`<p>${link}</p>`);
      }
    });

    it('puts no link inside a code span or block', () => {
      expect(render('`https://example.com`')).toBe('<p><code>https://example.com</code></p>');
      expect(elements(render('```\n[x](https://example.com)\n```'))).toEqual(['pre', 'code']);
    });
  });

  // The rules of bare addresses, as they were before messages were Markdown.
  describe('bare addresses', () => {
    it('links an https address between words', () => {
      expect(render('see https://example.com/a?b=1#c now')).toBe(
        `<p>see <a href="https://example.com/a?b=1#c" ${LINK}>https://example.com/a?b=1#c</a> now</p>`,
      );
    });

    it('links http addresses and several in one message', () => {
      expect(hrefs(render('http://a.test and https://b.test'))).toEqual([
        'http://a.test/',
        'https://b.test/',
      ]);
    });

    it('leaves sentence punctuation after a link outside it', () => {
      expect(render('Look: https://example.com/page.')).toBe(
        `<p>Look: <a href="https://example.com/page" ${LINK}>https://example.com/page</a>.</p>`,
      );
    });

    it('keeps balanced brackets in a link and drops an unbalanced closing one', () => {
      const address = 'https://en.wikipedia.org/wiki/Chat_(disambiguation)';
      expect(render(`(${address})`)).toBe(`<p>(<a href="${address}" ${LINK}>${address}</a>)</p>`);
    });

    it('never links other schemes', () => {
      for (const text of ['javascript:alert(1)', 'data:text/html,hi', 'ftp://example.com']) {
        expect(render(text)).toBe(`<p>${text}</p>`);
      }
    });

    it('does not link a scheme glued to a preceding word, or an address without a host', () => {
      expect(render('xhttps://example.com')).toBe('<p>xhttps://example.com</p>');
      expect(render('https://')).toBe('<p>https://</p>');
    });

    it('also links www addresses and mail addresses, as their own text', () => {
      expect(render('www.example.com or alice@example.com')).toBe(
        `<p><a href="http://www.example.com/" ${LINK}>www.example.com</a> or <a href="mailto:alice@example.com" ${LINK}>alice@example.com</a></p>`,
      );
    });
  });

  describe('hostile input stays text', () => {
    const CORPUS = [
      '[x](javascript:alert(1))',
      '[x](JaVaScRiPt:alert(1))',
      '[x](  javascript:alert(1) )',
      '[x](<javascript:alert(1)>)',
      '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '[x](vbscript:msgbox(1))',
      '<javascript:alert(1)>',
      '<JAVASCRIPT:alert(1)>',
      '![x](javascript:alert(1))',
      '![x](https://example.com/a.png)',
      '[x][evil]\n\n[evil]: javascript:alert(1)',
      '[evil]\n\n[evil]: javascript:alert(1)',
      '[x](&#106;avascript:alert(1))',
      '[x](&#x6A;avascript&#58;alert(1))',
      '[x](java\nscript:alert(1))',
      '[x](java%0ascript:alert(1))',
      '<img src=x onerror=alert(1)>',
      '<script>alert(1)</script>',
      'a <script>alert(1)</script> b',
      '<svg onload=alert(1)>',
      '<iframe src="javascript:alert(1)"></iframe>',
      '<a href="javascript:alert(1)">x</a>',
      '**<img src=x onerror=alert(1)>**',
      '> <img src=x onerror=alert(1)>',
      '- <script>alert(1)</script>',
      '`<img src=x onerror=alert(1)>`',
      '```html\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```',
      '    <script>alert(1)</script>',
      '[<img src=x onerror=alert(1)>](https://example.com)',
      '[x](https://example.com "<img src=x onerror=alert(1)>")',
      '[x](https://example.com" onmouseover="alert(1))',
    ];

    it.each(CORPUS)('%j makes no script, image or handler, and no unsafe link', (payload) => {
      const markup = render(payload);
      expect(elements(markup)).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^(script|img|svg|iframe|object|embed)$/)]),
      );
      expect(attributes(markup).filter((name) => name.startsWith('on'))).toEqual([]);
      for (const href of hrefs(markup)) expect(href).toMatch(/^(https?:\/\/|mailto:)/);
    });

    it('shows links to refused addresses as typed, so the reader sees them', () => {
      for (const payload of [
        '[x](javascript:alert(1))',
        '[x](JaVaScRiPt:alert(1))',
        '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
        '<javascript:alert(1)>',
        '[x](&#106;avascript:alert(1))',
      ]) {
        const markup = render(payload);
        expect(elements(markup), payload).toEqual(['p']);
        expect(visibleText(markup)).toBe(payload);
      }
      expect(render('[x][evil]\n\n[evil]: javascript:alert(1)')).toBe('<p>[x][evil]</p>');
    });

    it('shows markup inside code as code text', () => {
      expect(render('`<img src=x onerror=alert(1)>`')).toBe(
        '<p><code>&lt;img src=x onerror=alert(1)&gt;</code></p>',
      );
      expect(render('```\n<script>alert(1)</script>\n```')).toBe(
        '<pre tabindex="0"><code>&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>',
      );
    });

    it('shows raw HTML as the text that was sent', () => {
      for (const payload of [
        '<script>alert(1)</script>',
        '<img src=x onerror=alert(2)>',
        '<svg onload=alert(3)>',
        '<svg><script>alert(4)</script></svg>',
        '<a href="javascript:alert(5)">click me</a>',
        '<iframe src="javascript:alert(8)"></iframe>',
        '"><script>alert(9)</script>',
        '<details open ontoggle=alert(10)>',
        "{{constructor.constructor('alert(11)')()}}",
        '<math><mi xlink:href="javascript:alert(12)">x</mi></math>',
      ]) {
        expect(visibleText(render(payload)), payload).toBe(payload);
      }
    });
  });
});
