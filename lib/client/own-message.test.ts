import { describe, expect, it } from 'vitest';
import type { Message } from '../protocol/definitions';
import { isOwnMessage } from './own-message';

const message = (overrides: Partial<Message>): Message => ({
  id: 'm1',
  roomId: 'r',
  seq: 1,
  kind: 'user',
  author: 'Alice',
  text: 'hi',
  createdAt: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

describe('isOwnMessage', () => {
  const self = { nickname: 'Alice', authorKey: 'k-alice' };

  it('goes by the author key, whatever the nicknames', () => {
    expect(isOwnMessage(message({ authorKey: 'k-alice', author: 'Old name' }), self)).toBe(true);
    // Someone else who took the nickname later: not ours.
    expect(isOwnMessage(message({ authorKey: 'k-other', author: 'Alice' }), self)).toBe(false);
  });

  it('falls back to the nickname for messages without a key; notices are nobody’s', () => {
    expect(isOwnMessage(message({}), self)).toBe(true);
    expect(isOwnMessage(message({ author: 'Bob' }), self)).toBe(false);
    expect(isOwnMessage(message({ kind: 'system' }), self)).toBe(false);
  });
});
