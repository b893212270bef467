import { describe, expect, it } from 'vitest';
import type { Member } from '../protocol/definitions';
import { memberActions, type Reader } from './member-actions';

const member = (nickname: string, role?: Member['role']): Member => ({
  nickname,
  presence: 'active',
  ...(role && { role }),
});
const reader = (role: Reader['role'], muted?: boolean): Reader => ({
  role,
  nickname: 'Me',
  muted,
});

describe('memberActions', () => {
  it('offers nothing on the reader themself', () => {
    expect(memberActions(reader('owner', false), member('Me', 'owner'))).toEqual([]);
  });

  it('lets the owner appoint, remove and ban members and moderators', () => {
    expect(memberActions(reader('owner'), member('Bob'))).toEqual([
      'make-moderator',
      'remove',
      'ban',
    ]);
    expect(memberActions(reader('owner'), member('Mo', 'moderator'))).toEqual([
      'remove-moderator',
      'remove',
      'ban',
    ]);
  });

  it('lets a moderator act on members only, never on the owner or another moderator', () => {
    expect(memberActions(reader('moderator'), member('Bob'))).toEqual(['remove', 'ban']);
    expect(memberActions(reader('moderator'), member('Mo', 'moderator'))).toEqual([]);
    expect(memberActions(reader('moderator'), member('Olga', 'owner'))).toEqual([]);
  });

  it('lets anyone mute or unmute someone whose author key is known', () => {
    expect(memberActions(reader('member'), member('Bob'))).toEqual([]);
    expect(memberActions(reader('member', false), member('Olga', 'owner'))).toEqual(['mute']);
    expect(memberActions(reader('moderator', true), member('Bob'))).toEqual([
      'remove',
      'ban',
      'unmute',
    ]);
  });
});
