import { describe, expect, it } from 'vitest';
import { hiddenTarget, safeHref } from './safe-link';

describe('safeHref', () => {
  it('accepts absolute http, https and mailto addresses, normalised', () => {
    expect(safeHref('https://Example.com/a?b=1#c')).toBe('https://example.com/a?b=1#c');
    expect(safeHref('HTTP://example.com')).toBe('http://example.com/');
    expect(safeHref('mailto:alice@example.com')).toBe('mailto:alice@example.com');
  });

  it('refuses every other scheme, however it is spelt', () => {
    for (const address of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'java\nscript:alert(1)',
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'ftp://example.com/',
      'xmpp:alice@example.com',
    ]) {
      expect(safeHref(address), address).toBeUndefined();
    }
  });

  it('refuses relative addresses and addresses without a host', () => {
    for (const address of ['/rooms/abcd', 'rooms/abcd', '#top', '//evil.example/', 'https://']) {
      expect(safeHref(address), address).toBeUndefined();
    }
    expect(safeHref('mailto:')).toBeUndefined();
  });
});

describe('hiddenTarget', () => {
  it('names the host when the text is not the address', () => {
    expect(hiddenTarget('click', 'https://evil.example/')).toBe('evil.example');
    expect(hiddenTarget('https://bank.example', 'https://evil.example/')).toBe('evil.example');
    expect(hiddenTarget('docs', 'http://localhost:3000/docs')).toBe('localhost:3000');
  });

  it('says nothing when the text is the address, as typed or as a bare www or mail address', () => {
    expect(hiddenTarget('https://example.com', 'https://example.com/')).toBeUndefined();
    expect(hiddenTarget('https://example.com/a?b=1', 'https://example.com/a?b=1')).toBeUndefined();
    expect(hiddenTarget('www.example.com', 'http://www.example.com/')).toBeUndefined();
    expect(hiddenTarget('alice@example.com', 'mailto:alice@example.com')).toBeUndefined();
  });

  it('names the mail address of a mailto link whose text is something else', () => {
    expect(hiddenTarget('support', 'mailto:thief@evil.example?subject=hi')).toBe(
      'thief@evil.example',
    );
  });

  it('always names hosts whose text can pass for another one', () => {
    // A user name before the host: the text shows "bank.example" first.
    const withUser = safeHref('https://bank.example@evil.example/')!;
    expect(hiddenTarget('https://bank.example@evil.example/', withUser)).toBe('evil.example');
    // A Cyrillic "а" in the host: shown as the ASCII form it really is.
    const lookAlike = safeHref('https://ex\u0430mple.com/')!;
    expect(hiddenTarget('https://ex\u0430mple.com/', lookAlike)).toMatch(/^xn--/);
  });
});
