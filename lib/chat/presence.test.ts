import { describe, expect, it } from 'vitest';
import { presenceOf, withPresence } from './presence';

describe('member presence', () => {
  it('is active when any tab of the session is in use', () => {
    const tabs = [
      { sessionId: 'a', idle: true },
      { sessionId: 'a', idle: false },
    ];
    expect(presenceOf('a', tabs)).toBe('active');
  });

  it('is idle only when every tab of the session is idle', () => {
    const tabs = [
      { sessionId: 'a', idle: true },
      { sessionId: 'b', idle: false },
    ];
    expect(presenceOf('a', tabs)).toBe('idle');
  });

  it('is reconnecting when the session has no tab connected', () => {
    expect(presenceOf('a', [{ sessionId: 'b', idle: false }])).toBe('reconnecting');
    expect(presenceOf('a', [])).toBe('reconnecting');
  });

  it('lists members in their order with nickname, author key and presence only', () => {
    const members = [
      { sessionId: 'b', nickname: 'Bob', nicknameKey: 'bob' },
      { sessionId: 'a', nickname: 'Alice', nicknameKey: 'alice' },
    ];
    const keyOf = (sessionId: string) => `key-${sessionId}`;
    expect(withPresence(members, [{ sessionId: 'a', idle: false }], keyOf)).toEqual([
      { nickname: 'Bob', authorKey: 'key-b', presence: 'reconnecting' },
      { nickname: 'Alice', authorKey: 'key-a', presence: 'active' },
    ]);
  });
});
