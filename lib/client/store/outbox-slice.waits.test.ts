import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClientEvent } from '../../protocol/events';
import { MAX_RATE_LIMIT_WAITS } from './outbox-slice';
import { CLIENT_ID_1, joinedRoom, joinReply, message, NOW, type Reply, seqs } from './test-helpers';

describe('outbox slice', () => {
  describe('outbox, when the server asks it to wait', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    const tooFast = (retryAfterMs: number): Reply<typeof ClientEvent.MessageSend> => ({
      ok: false,
      error: { code: 'RATE_LIMITED', message: 'You are sending messages too fast.', retryAfterMs },
    });

    /** A joined store on fake timers whose clock is the fake one, so waits can pass. */
    async function joinedOnFakeTimers() {
      vi.useFakeTimers({ now: new Date(NOW) });
      return joinedRoom({}, { clock: () => new Date() });
    }

    it('a rate-limited message waits retryAfterMs, then goes out by itself, ahead of later ones', async () => {
      const { store, fake, actions } = await joinedOnFakeTimers();
      let refusals = 2;
      let seq = 2;
      fake.on(ClientEvent.MessageSend, ({ clientId, text }) =>
        refusals-- > 0 ? tooFast(800) : { ok: true, message: message(++seq, { clientId, text }) },
      );

      await actions().sendMessage('one');
      await actions().sendMessage('two');
      expect(store.getState().pending).toEqual([
        expect.objectContaining({
          text: 'one',
          status: 'sending',
          retryAt: Date.parse(NOW) + 800,
          waits: 1,
        }),
        expect.objectContaining({ text: 'two', status: 'sending' }),
      ]);
      // 'two' did not jump the queue while 'one' waits.
      expect(fake.payloadsOf(ClientEvent.MessageSend).map((p) => p.text)).toEqual(['one']);

      await vi.advanceTimersByTimeAsync(799);
      expect(fake.payloadsOf(ClientEvent.MessageSend)).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(fake.payloadsOf(ClientEvent.MessageSend)).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(800);

      expect(store.getState().pending).toEqual([]);
      expect(fake.payloadsOf(ClientEvent.MessageSend).map((p) => p.text)).toEqual([
        'one',
        'one',
        'one',
        'two',
      ]);
      expect(seqs(store.getState().room!.messages)).toEqual([1, 2, 3, 4]);
      expect(
        store
          .getState()
          .room!.messages.slice(-2)
          .map((m) => m.text),
      ).toEqual(['one', 'two']);
    });

    it('a reconnect during the wait does not send early', async () => {
      const { fake, actions } = await joinedOnFakeTimers();
      fake.on(ClientEvent.MessageSend, () => tooFast(2_000));
      await actions().sendMessage('one');
      fake.on(ClientEvent.RoomJoin, () => joinReply());
      await actions().rejoin();
      await vi.advanceTimersByTimeAsync(1_999);
      expect(fake.payloadsOf(ClientEvent.MessageSend)).toHaveLength(1);
    });

    it(`asks for a click once the limit has held a message ${MAX_RATE_LIMIT_WAITS} times`, async () => {
      const { store, fake, actions } = await joinedOnFakeTimers();
      fake.on(ClientEvent.MessageSend, () => tooFast(100));
      await actions().sendMessage('one');
      await vi.advanceTimersByTimeAsync(100 * (MAX_RATE_LIMIT_WAITS + 1));

      expect(fake.payloadsOf(ClientEvent.MessageSend)).toHaveLength(MAX_RATE_LIMIT_WAITS + 1);
      expect(store.getState().pending).toEqual([
        expect.objectContaining({
          status: 'failed',
          error: 'You are sending messages too fast.',
          retryAt: undefined,
        }),
      ]);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(fake.payloadsOf(ClientEvent.MessageSend)).toHaveLength(MAX_RATE_LIMIT_WAITS + 1);
    });

    it('a message refused by a restarting server stays queued and goes out after the reconnect', async () => {
      const { store, fake, actions } = await joinedOnFakeTimers();
      fake.on(ClientEvent.MessageSend, () => ({
        ok: false,
        error: { code: 'RESTARTING', message: 'The server is restarting.', retryAfterMs: 1_000 },
      }));
      await actions().sendMessage('one');
      fake.link.connected = false;
      expect(store.getState().pending).toEqual([
        expect.objectContaining({ text: 'one', status: 'sending' }),
      ]);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(fake.payloadsOf(ClientEvent.MessageSend)).toHaveLength(1);

      fake.link.connected = true;
      fake.on(ClientEvent.MessageSend, ({ clientId, text }) => ({
        ok: true,
        message: message(3, { clientId, text }),
      }));
      fake.on(ClientEvent.RoomJoin, () => joinReply());
      await actions().rejoin();
      await vi.waitFor(() => expect(store.getState().pending).toEqual([]));
      expect(fake.payloadsOf(ClientEvent.MessageSend).map((p) => p.clientId)).toEqual([
        CLIENT_ID_1,
        CLIENT_ID_1,
      ]);
    });
  });
});
