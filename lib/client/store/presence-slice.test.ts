import { describe, expect, it, vi } from 'vitest';
import { ClientEvent } from '../../protocol/events';
import { joinedRoom, message, NOW, OTHER_ROOM, ROOM, setup } from './test-helpers';

describe('presence slice', () => {
  it('setConnection records the connection state', () => {
    const { store, actions } = setup();
    actions().setConnection('reconnecting');
    expect(store.getState().connection).toBe('reconnecting');
  });

  describe('typing, idleness and latency', () => {
    it('shows others typing until they stop, send, leave or their signal runs out', async () => {
      let now = 1_000;
      const { store, actions } = await joinedRoom({}, { monotonic: () => now });
      actions().typingUpdated(ROOM, 'Bob', true);
      actions().typingUpdated(ROOM, 'Alice', true); // ourselves: not shown
      actions().typingUpdated(OTHER_ROOM, 'Carol', true);
      expect(Object.keys(store.getState().typists)).toEqual(['Bob']);
      expect(store.getState().typists.Bob).toBeGreaterThan(now);
      actions().messageReceived(message(3, { author: 'Bob' }));
      expect(store.getState().typists).toEqual({});
      actions().typingUpdated(ROOM, 'Bob', true);
      actions().typingUpdated(ROOM, 'Bob', false);
      expect(store.getState().typists).toEqual({});
      now = 2_000;
      actions().typingUpdated(ROOM, 'Bob', true);
      actions().membersUpdated(ROOM, [
        { nickname: 'Alice', authorKey: 'key-alice', presence: 'active' },
      ]);
      expect(store.getState().typists).toEqual({});
    });

    it('sends typing signals only while in a room and connected', async () => {
      const { fake, actions } = await joinedRoom();
      fake.on(ClientEvent.TypingSet, () => ({ ok: true }));
      await actions().setTyping(true);
      fake.link.connected = false;
      await actions().setTyping(false);
      expect(fake.payloadsOf(ClientEvent.TypingSet)).toEqual([{ roomId: ROOM, typing: true }]);
    });

    it('tells the server about idleness once per change, and again after rejoining', async () => {
      const { fake, actions } = await joinedRoom();
      fake.on(ClientEvent.PresenceSet, () => ({ ok: true }));
      await actions().setIdle(true);
      await actions().setIdle(true);
      expect(fake.payloadsOf(ClientEvent.PresenceSet)).toEqual([{ idle: true }]);
      await actions().rejoin();
      await vi.waitFor(() => expect(fake.payloadsOf(ClientEvent.PresenceSet)).toHaveLength(2));
      await actions().setIdle(false);
      expect(fake.payloadsOf(ClientEvent.PresenceSet).at(-1)).toEqual({ idle: false });
    });

    it('measures the round trip of an acknowledged ping', async () => {
      let now = 100;
      const { fake, store, actions } = setup({ monotonic: () => now });
      fake.on(ClientEvent.Ping, () => {
        now += 42;
        return { ok: true, serverTime: NOW };
      });
      await actions().measureLatency();
      expect(store.getState().latencyMs).toBe(42);
      fake.link.connected = false;
      await actions().measureLatency();
      expect(fake.payloadsOf(ClientEvent.Ping)).toHaveLength(1);
    });
  });
});
