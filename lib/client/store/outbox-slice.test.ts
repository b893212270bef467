import { describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../protocol/errors';
import { ClientEvent } from '../../protocol/events';
import type { OutboxStorage, PendingMessage } from '../outbox';
import {
  CLIENT_ID_1,
  CLIENT_ID_2,
  deferred,
  joinedRoom,
  joinReply,
  message,
  NOW,
  type Reply,
  ROOM,
  seqs,
  setup,
} from './test-helpers';

describe('outbox slice', () => {
  describe('sendMessage', () => {
    it('shows the message as sending before the acknowledgement, then moves it to the log', async () => {
      const { store, fake, actions } = await joinedRoom();
      const ack = deferred<Reply<typeof ClientEvent.MessageSend>>();
      fake.on(ClientEvent.MessageSend, () => ack.promise);

      const sending = actions().sendMessage('hello');

      expect(store.getState().pending).toEqual([
        { clientId: CLIENT_ID_1, roomId: ROOM, text: 'hello', createdAt: NOW, status: 'sending' },
      ]);
      expect(fake.payloadsOf(ClientEvent.MessageSend)).toEqual([
        { roomId: ROOM, clientId: CLIENT_ID_1, text: 'hello' },
      ]);

      ack.resolve({ ok: true, message: message(3, { clientId: CLIENT_ID_1, text: 'hello' }) });
      await sending;

      expect(store.getState().pending).toEqual([]);
      expect(store.getState().room!.messages).toEqual([
        message(1),
        message(2),
        message(3, { clientId: CLIENT_ID_1, text: 'hello' }),
      ]);
    });

    it('sends a reply with the seq it answers, and shows the quote while sending', async () => {
      const { store, fake, actions } = await joinedRoom();
      const ack = deferred<Reply<typeof ClientEvent.MessageSend>>();
      fake.on(ClientEvent.MessageSend, () => ack.promise);
      const replyTo = { seq: 2, author: 'Bob', excerpt: 'message 2' };

      const sending = actions().sendMessage('agreed', { replyTo });

      expect(store.getState().pending[0]).toMatchObject({ text: 'agreed', replyTo });
      expect(fake.payloadsOf(ClientEvent.MessageSend)).toEqual([
        { roomId: ROOM, clientId: CLIENT_ID_1, text: 'agreed', replyTo: 2 },
      ]);
      ack.resolve({ ok: true, message: message(3, { clientId: CLIENT_ID_1, replyTo }) });
      await sending;
      expect(store.getState().pending).toEqual([]);
    });

    it('holds the acknowledged message once when message:new for it arrived first', async () => {
      const { store, fake, actions } = await joinedRoom();
      const ack = deferred<Reply<typeof ClientEvent.MessageSend>>();
      fake.on(ClientEvent.MessageSend, () => ack.promise);
      const mine = message(3, { clientId: CLIENT_ID_1, author: 'Alice', text: 'hello' });

      const sending = actions().sendMessage('hello');
      actions().messageReceived(mine);
      actions().messageReceived(message(4));
      expect(store.getState().pending).toEqual([]);

      ack.resolve({ ok: true, message: mine });
      await sending;

      expect(store.getState().pending).toEqual([]);
      expect(seqs(store.getState().room!.messages)).toEqual([1, 2, 3, 4]);
    });

    it("keeps a refused message as failed, with the server's error message", async () => {
      const { store, fake, actions } = await joinedRoom();
      fake.on(ClientEvent.MessageSend, () => ({
        ok: false,
        error: { code: 'NOT_IN_ROOM', message: 'Join the room before sending messages.' },
      }));

      await actions().sendMessage('hello');

      expect(store.getState().pending).toEqual([
        {
          clientId: CLIENT_ID_1,
          roomId: ROOM,
          text: 'hello',
          createdAt: NOW,
          status: 'failed',
          error: 'Join the room before sending messages.',
          retryAt: undefined,
        },
      ]);
      expect(seqs(store.getState().room!.messages)).toEqual([1, 2]);
    });

    it('sends nothing while outside any room', async () => {
      const { store, fake, actions } = setup();
      await actions().sendMessage('hello');
      expect(fake.calls).toEqual([]);
      expect(store.getState().pending).toEqual([]);
    });
  });

  describe('retryMessage', () => {
    it('resends a failed message with the same clientId, showing it as sending again', async () => {
      const { store, fake, actions } = await joinedRoom();
      fake.on(ClientEvent.MessageSend, () => ({
        ok: false,
        error: { code: 'INTERNAL', message: 'Something went wrong.' },
      }));
      await actions().sendMessage('hello');
      const ack = deferred<Reply<typeof ClientEvent.MessageSend>>();
      fake.on(ClientEvent.MessageSend, () => ack.promise);

      const retrying = actions().retryMessage(CLIENT_ID_1);

      expect(store.getState().pending).toEqual([
        expect.objectContaining({ clientId: CLIENT_ID_1, status: 'sending', error: undefined }),
      ]);
      expect(fake.payloadsOf(ClientEvent.MessageSend)).toEqual([
        { roomId: ROOM, clientId: CLIENT_ID_1, text: 'hello' },
        { roomId: ROOM, clientId: CLIENT_ID_1, text: 'hello' },
      ]);

      ack.resolve({ ok: true, message: message(3, { clientId: CLIENT_ID_1, text: 'hello' }) });
      await retrying;

      expect(store.getState().pending).toEqual([]);
      expect(seqs(store.getState().room!.messages)).toEqual([1, 2, 3]);
    });

    it('does nothing for an unknown clientId', async () => {
      const { fake, actions } = await joinedRoom();
      await actions().retryMessage(CLIENT_ID_2);
      expect(fake.calls).toEqual([]);
    });
  });

  describe('outbox', () => {
    it('queues messages written while offline and sends them in order once rejoined', async () => {
      const { store, fake, actions } = await joinedRoom();
      fake.link.connected = false;
      await actions().sendMessage('one');
      await actions().sendMessage('two');
      expect(fake.payloadsOf(ClientEvent.MessageSend)).toEqual([]);
      expect(store.getState().pending.map((item) => item.status)).toEqual(['sending', 'sending']);

      fake.link.connected = true;
      let seq = 2;
      fake.on(ClientEvent.MessageSend, ({ clientId, text }) => ({
        ok: true,
        message: message(++seq, { clientId, text }),
      }));
      fake.on(ClientEvent.RoomJoin, () => joinReply());
      await actions().rejoin();
      await vi.waitFor(() => expect(store.getState().pending).toEqual([]));
      expect(fake.payloadsOf(ClientEvent.MessageSend).map((p) => p.text)).toEqual(['one', 'two']);
      expect(
        store
          .getState()
          .room!.messages.map((m) => m.text)
          .slice(-2),
      ).toEqual(['one', 'two']);
    });

    it('is saved as it changes and restored by a new store (a reload)', async () => {
      let saved: readonly PendingMessage[] = [];
      const storage: OutboxStorage = { load: () => [...saved], save: (items) => (saved = items) };
      const first = setup({ outbox: storage });
      first.fake.on(ClientEvent.RoomJoin, () => joinReply());
      await first.actions().joinRoom(ROOM, 'Alice');
      first.fake.link.connected = false;
      await first.actions().sendMessage('survives the reload');
      expect(saved).toEqual([expect.objectContaining({ text: 'survives the reload' })]);

      const second = setup({ outbox: storage });
      expect(second.store.getState().pending).toEqual(saved);
      second.fake.on(ClientEvent.RoomJoin, () => joinReply());
      second.fake.on(ClientEvent.MessageSend, ({ clientId, text }) => ({
        ok: true,
        message: message(3, { clientId, text }),
      }));
      await second.actions().joinRoom(ROOM, 'Alice');
      await vi.waitFor(() => expect(saved).toEqual([]));
      expect(second.fake.payloadsOf(ClientEvent.MessageSend)[0]?.clientId).toBe(CLIENT_ID_1);
    });

    it('re-sends queued messages in order with their same clientIds; a refused one fails', async () => {
      const { store, fake, actions } = await joinedRoom();
      // The acknowledgements are lost in a disconnect: both messages stay queued, in order.
      const lost = {
        ok: false,
        error: { code: ErrorCode.Timeout, message: 'No answer.' },
      } as const;
      fake.on(ClientEvent.MessageSend, () => lost);
      await actions().sendMessage('lost in transit');
      await actions().sendMessage('refused');
      expect(store.getState().pending.map((item) => item.status)).toEqual(['sending', 'sending']);
      fake.on(ClientEvent.MessageSend, ({ clientId, text }) =>
        text === 'refused'
          ? { ok: false, error: { code: 'INVALID_INPUT', message: 'Too long.' } }
          : { ok: true, message: message(3, { clientId, text }) },
      );
      fake.on(ClientEvent.RoomJoin, () => joinReply());

      await actions().rejoin();
      await vi.waitFor(() =>
        expect(store.getState().pending).toEqual([
          expect.objectContaining({ clientId: CLIENT_ID_2, status: 'failed', error: 'Too long.' }),
        ]),
      );

      // Each send retried the oldest queued message first, never overtaking it.
      expect(fake.payloadsOf(ClientEvent.MessageSend).map((payload) => payload.clientId)).toEqual([
        CLIENT_ID_1,
        CLIENT_ID_1,
        CLIENT_ID_1,
        CLIENT_ID_2,
      ]);
      expect(store.getState().room!.messages).toContainEqual(
        message(3, { clientId: CLIENT_ID_1, text: 'lost in transit' }),
      );
    });

    it('re-sends nothing when joining again fails', async () => {
      const { fake, actions } = await joinedRoom();
      fake.on(ClientEvent.MessageSend, () => new Promise(() => {}));
      void actions().sendMessage('hello');
      fake.on(ClientEvent.RoomJoin, () => ({
        ok: false,
        error: { code: 'ROOM_NOT_FOUND', message: 'That room does not exist.' },
      }));

      await actions().rejoin();

      expect(fake.payloadsOf(ClientEvent.MessageSend)).toHaveLength(1);
    });
  });
});
