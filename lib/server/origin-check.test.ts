import { describe, expect, it } from 'vitest';
import { isAllowedOrigin } from './origin-check';

describe('isAllowedOrigin', () => {
  it('allows a handshake without an Origin (a non-browser client)', () => {
    expect(isAllowedOrigin(undefined, 'chat.example', [])).toBe(true);
  });

  it.each([
    ['http://localhost:3000', 'localhost:3000'],
    ['https://chat.example', 'chat.example'],
    ['https://Chat.Example', 'chat.example'],
  ])('allows the page own origin %s on host %s', (origin, host) => {
    expect(isAllowedOrigin(origin, host, [])).toBe(true);
  });

  it.each([
    ['https://evil.example', 'chat.example'],
    ['https://chat.example.evil.example', 'chat.example'],
    ['https://evilchat.example', 'chat.example'],
    ['http://localhost:3001', 'localhost:3000'],
    ['null', 'chat.example'],
    ['file://', 'chat.example'],
    ['chrome-extension://abc', 'abc'],
    ['not a url', 'chat.example'],
  ])('refuses the foreign, look-alike or opaque origin %s on host %s', (origin, host) => {
    expect(isAllowedOrigin(origin, host, [])).toBe(false);
  });

  it('allows exactly the origins listed in ALLOWED_ORIGINS', () => {
    const allowed = ['https://app.example', 'http://localhost:5173'];
    expect(isAllowedOrigin('https://app.example', 'api.example', allowed)).toBe(true);
    expect(isAllowedOrigin('http://localhost:5173', 'api.example', allowed)).toBe(true);
    expect(isAllowedOrigin('https://app.example:444', 'api.example', allowed)).toBe(false);
    expect(isAllowedOrigin('http://app.example', 'api.example', allowed)).toBe(false);
  });
});
