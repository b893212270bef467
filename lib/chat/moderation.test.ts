import { describe, expect, it } from 'vitest';
import { banEnds, banHolds, checkRoomTitle, checkRoomTopic, may, successor } from './moderation';

describe('who may do what in a room', () => {
  it('lets the owner and moderators run the room, and members not at all', () => {
    for (const action of ['settings', 'delete-any', 'list-bans'] as const) {
      expect(may('owner', action)).toBe(true);
      expect(may('moderator', action)).toBe(true);
      expect(may('member', action)).toBe(false);
    }
  });

  it('lets only the owner name moderators', () => {
    expect(may('owner', 'appoint', 'member')).toBe(true);
    expect(may('owner', 'appoint', 'moderator')).toBe(true);
    expect(may('moderator', 'appoint', 'member')).toBe(false);
    expect(may('member', 'appoint', 'member')).toBe(false);
  });

  it('lets a moderator remove members only; the owner moderators too; nobody the owner', () => {
    expect(may('moderator', 'remove', 'member')).toBe(true);
    expect(may('moderator', 'remove', 'moderator')).toBe(false);
    expect(may('moderator', 'remove', 'owner')).toBe(false);
    expect(may('owner', 'remove', 'moderator')).toBe(true);
    expect(may('owner', 'remove', 'member')).toBe(true);
    expect(may('member', 'remove', 'member')).toBe(false);
  });

  it('hands a room on to the first moderator, else to the member present longest', () => {
    expect(
      successor([
        { sessionId: 'a', role: 'member' },
        { sessionId: 'b', role: 'moderator' },
        { sessionId: 'c', role: 'moderator' },
      ]),
    ).toBe('b');
    expect(
      successor([
        { sessionId: 'a', role: 'member' },
        { sessionId: 'b', role: 'member' },
      ]),
    ).toBe('a');
    expect(successor([])).toBeUndefined();
  });
});

describe('bans', () => {
  const now = new Date('2026-01-01T12:00:00.000Z');

  it('end after their length, or never', () => {
    expect(banEnds('10m', now)).toBe('2026-01-01T12:10:00.000Z');
    expect(banEnds('1h', now)).toBe('2026-01-01T13:00:00.000Z');
    expect(banEnds('24h', now)).toBe('2026-01-02T12:00:00.000Z');
    expect(banEnds('permanent', now)).toBeNull();
  });

  it('hold until they end', () => {
    expect(banHolds('2026-01-01T12:00:01.000Z', now)).toBe(true);
    expect(banHolds('2026-01-01T12:00:00.000Z', now)).toBe(false);
    expect(banHolds(null, now)).toBe(true);
  });
});

describe('room title and topic', () => {
  it('take one line of up to 64 and 300 characters, trimmed; empty clears', () => {
    expect(checkRoomTitle('  Friday lunch ')).toEqual({ ok: true, value: 'Friday lunch' });
    expect(checkRoomTitle('')).toEqual({ ok: true, value: '' });
    expect(checkRoomTitle('ż'.repeat(64))).toMatchObject({ ok: true });
    expect(checkRoomTitle('ż'.repeat(65))).toMatchObject({
      ok: false,
      error: { message: 'A room title can be at most 64 characters long.' },
    });
    expect(checkRoomTopic('x'.repeat(301))).toMatchObject({ ok: false });
    expect(checkRoomTitle('two\nlines')).toMatchObject({
      ok: false,
      error: { message: 'A room title must be one line of plain text.' },
    });
    expect(checkRoomTopic('sneaky\u202eevil')).toMatchObject({ ok: false });
  });
});
