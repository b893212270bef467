import { describe, expect, it } from 'vitest';
import {
  MAX_RECENT_ROOMS,
  parseRecentRooms,
  type RecentRoom,
  withoutRoom,
  withVisit,
} from './recent-rooms';

const visit = (roomId: string, nickname = 'Alice'): RecentRoom => ({
  roomId,
  title: '',
  nickname,
  seenAt: '2026-12-07T10:00:00.000Z',
});

describe('recent rooms', () => {
  it('puts the latest visit first, once per room, keeping the newest nickname', () => {
    let rooms = withVisit([], visit('a'));
    rooms = withVisit(rooms, visit('b'));
    rooms = withVisit(rooms, visit('a', 'Ala'));
    expect(rooms.map((room) => [room.roomId, room.nickname])).toEqual([
      ['a', 'Ala'],
      ['b', 'Alice'],
    ]);
  });

  it(`keeps the ${MAX_RECENT_ROOMS} latest`, () => {
    let rooms: RecentRoom[] = [];
    for (let index = 0; index < MAX_RECENT_ROOMS + 3; index++) {
      rooms = withVisit(rooms, visit(`r${index}`));
    }
    expect(rooms).toHaveLength(MAX_RECENT_ROOMS);
    expect(rooms[0]!.roomId).toBe(`r${MAX_RECENT_ROOMS + 2}`);
  });

  it('forgets a room', () => {
    expect(withoutRoom([visit('a'), visit('b')], 'a').map((room) => room.roomId)).toEqual(['b']);
  });

  it('reads what it stored, and anything else as no rooms', () => {
    const stored = JSON.stringify([visit('a'), { roomId: 3 }, 'x', visit('b')]);
    expect(parseRecentRooms(stored).map((room) => room.roomId)).toEqual(['a', 'b']);
    expect(parseRecentRooms('nonsense')).toEqual([]);
    expect(parseRecentRooms('{}')).toEqual([]);
    expect(parseRecentRooms(null)).toEqual([]);
  });
});
