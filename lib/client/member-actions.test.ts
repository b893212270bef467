import { describe, expect, it } from 'vitest';
import type { Member } from '../protocol/definitions';
import { memberActions, type Reader } from './member-actions';

const member = (nickname: string, role?: Member['role']): Member => ({
  nickname,
  authorKey: `key-${nickname}`,
  presence: 'active',
  ...(role && { role }),
});
const reader = (role: Reader['role'], muted = false): Reader => ({
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
      'mute',
    ]);
    expect(memberActions(reader('owner'), member('Mo', 'moderator'))).toEqual([
      'remove-moderator',
      'remove',
      'ban',
      'mute',
    ]);
  });

  it('lets a moderator act on members only, never on the owner or another moderator', () => {
    expect(memberActions(reader('moderator'), member('Bob'))).toEqual(['remove', 'ban', 'mute']);
    expect(memberActions(reader('moderator'), member('Mo', 'moderator'))).toEqual(['mute']);
    expect(memberActions(reader('moderator'), member('Olga', 'owner'))).toEqual(['mute']);
  });

  it('lets anyone mute or unmute anyone else, whether or not they have written', () => {
    expect(memberActions(reader('member'), member('Bob'))).toEqual(['mute']);
    expect(memberActions(reader('member'), member('Olga', 'owner'))).toEqual(['mute']);
    expect(memberActions(reader('moderator', true), member('Bob'))).toEqual([
      'remove',
      'ban',
      'unmute',
    ]);
  });
});
