import { describe, expect, it } from 'vitest';
import { NOW, ROOM, setup } from './test-helpers';

describe('lobby slice', () => {
  describe('announcements', () => {
    it('keeps the latest until it is dismissed', () => {
      const { store, actions } = setup();
      actions().announced({ text: 'first', createdAt: NOW });
      actions().announced({ text: 'second', createdAt: NOW });
      expect(store.getState().announcement).toEqual({ text: 'second', createdAt: NOW });
      actions().dismissAnnouncement();
      expect(store.getState().announcement).toBeNull();
    });
  });

  describe('lobby', () => {
    it('keeps the lobby’s latest rooms and statistics', () => {
      const { store, actions } = setup();
      expect(store.getState().lobby).toEqual({ rooms: null, stats: null });
      actions().lobbyRoomsUpdated([{ roomId: ROOM, memberCount: 2 }]);
      actions().lobbyStatsUpdated({ peopleInRooms: 3, rooms: 2 });
      expect(store.getState().lobby).toEqual({
        rooms: [{ roomId: ROOM, memberCount: 2 }],
        stats: { peopleInRooms: 3, rooms: 2 },
      });
    });
  });
});
