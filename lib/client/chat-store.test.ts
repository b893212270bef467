import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Member, Message } from '../protocol/definitions';
import { ErrorCode, type Failure } from '../protocol/errors';
import { ClientEvent, type ClientToServerEvents, type RoomJoinResult } from '../protocol/events';
import { DEFAULT_HISTORY_PAGE, JOIN_HISTORY_LIMIT } from '../protocol/limits';
import { createChatStore, HOLE_WAIT_MS, MAX_RATE_LIMIT_WAITS } from './chat-store';
import type { OutboxStorage, PendingMessage } from './outbox';
import type { ChatTransport, RequestPayload, RequestResult } from './transport';

const ROOM = 'abcd-efgh-jkmn';
const OTHER_ROOM = 'zzzz-zzzz-zzzz';
const NOW = '2025-01-01T12:00:00.000Z';

type EventName = keyof ClientToServerEvents;
type Reply<E extends EventName> = RequestResult<E> | Failure;
type Handler<E extends EventName> = (payload: RequestPayload<E>) => Reply<E> | Promise<Reply<E>>;

function message(seq: number, overrides: Partial<Message> = {}): Message {
  return {
    id: `m${seq}`,
    roomId: ROOM,
    seq,
    kind: 'user',
    author: 'Bob',
    text: `message ${seq}`,
    createdAt: new Date(Date.UTC(2025, 0, 1, 11, 0, seq)).toISOString(),
    ...overrides,
  };
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => from + index);

const seqs = (messages: readonly Message[]) => messages.map((item) => item.seq);

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/** A transport that records every request and answers with the handler set for its event. */
function fakeTransport() {
  const calls: { event: EventName; payload: unknown }[] = [];
  const handlers: Partial<Record<EventName, unknown>> = {};
  const link = { connected: true };
  const transport: ChatTransport = {
    isConnected: () => link.connected,
    async request(event, payload) {
      calls.push({ event, payload });
      const handler = handlers[event] as Handler<typeof event> | undefined;
      if (!handler) throw new Error(`unexpected request ${event}`);
      return handler(payload);
    },
  };
  return {
    transport,
    calls,
    link,
    on<E extends EventName>(event: E, handler: Handler<E>) {
      handlers[event] = handler;
    },
    payloadsOf<E extends EventName>(event: E): RequestPayload<E>[] {
      return calls
        .filter((call) => call.event === event)
        .map((call) => call.payload as RequestPayload<E>);
    },
  };
}

function joinReply(overrides: Partial<RoomJoinResult> = {}): Reply<typeof ClientEvent.RoomJoin> {
  return {
    ok: true,
    roomId: ROOM,
    self: { nickname: 'Alice' },
    members: [
      { nickname: 'Alice', presence: 'active' },
      { nickname: 'Bob', presence: 'active' },
    ],
    messages: [message(1), message(2)],
    hasMore: false,
    ...overrides,
  };
}

function setup(
  extra: { outbox?: OutboxStorage; monotonic?: () => number; clock?: () => Date } = {},
) {
  const fake = fakeTransport();
  let issued = 0;
  const store = createChatStore({
    transport: fake.transport,
    newClientId: () => `00000000-0000-4000-8000-${String(++issued).padStart(12, '0')}`,
    clock: () => new Date(NOW),
    ...extra,
  });
  return { store, fake, actions: () => store.getState() };
}

/** A store that has joined ROOM with the given join acknowledgement. */
async function joinedRoom(
  overrides: Partial<RoomJoinResult> = {},
  extra: Parameters<typeof setup>[0] = {},
) {
  const context = setup(extra);
  context.fake.on(ClientEvent.RoomJoin, () => joinReply(overrides));
  await context.actions().joinRoom(ROOM, 'Alice');
  context.fake.calls.length = 0;
  return context;
}

const CLIENT_ID_1 = '00000000-0000-4000-8000-000000000001';
const CLIENT_ID_2 = '00000000-0000-4000-8000-000000000002';

describe('createChatStore', () => {
  it('starts connecting, outside any room, with nothing pending', () => {
    const { store } = setup();
    expect(store.getState()).toMatchObject({ connection: 'connecting', room: null, pending: [] });
  });

  describe('createRoom', () => {
    it('returns the new room ID, or the server error', async () => {
      const { fake, actions } = setup();
      fake.on(ClientEvent.RoomCreate, () => ({ ok: true, roomId: ROOM }));
      expect(await actions().createRoom()).toEqual({ ok: true, value: ROOM });

      const error = { code: 'RATE_LIMITED' as const, message: 'Too many rooms.' };
      fake.on(ClientEvent.RoomCreate, () => ({ ok: false, error }));
      expect(await actions().createRoom()).toEqual({ ok: false, error });
    });
  });

  describe('joinRoom', () => {
    it('fills the room from the acknowledgement, with the nickname from `self`, and returns the canonical room ID', async () => {
      const { store, fake, actions } = setup();
      const members: Member[] = [
        { nickname: 'Alice', presence: 'active' },
        { nickname: 'Bob', presence: 'active' },
      ];
      fake.on(ClientEvent.RoomJoin, () =>
        joinReply({ self: { nickname: 'Alice' }, members, hasMore: true }),
      );

      const outcome = await actions().joinRoom('ABCD EFGH JKMN', '  Alice ');

      expect(outcome).toEqual({ ok: true, value: ROOM });
      expect(fake.payloadsOf(ClientEvent.RoomJoin)).toEqual([
        { roomId: 'ABCD EFGH JKMN', nickname: '  Alice ' },
      ]);
      expect(store.getState().room).toEqual({
        roomId: ROOM,
        nickname: 'Alice',
        members,
        messages: [message(1), message(2)],
        hasMore: true,
        loadingOlder: false,
      });
    });

    it('returns the error of a failed join and leaves the room null', async () => {
      const { store, fake, actions } = setup();
      const error = { code: 'NICKNAME_TAKEN' as const, message: 'Alice is already in this room.' };
      fake.on(ClientEvent.RoomJoin, () => ({ ok: false, error }));

      expect(await actions().joinRoom(ROOM, 'Alice')).toEqual({ ok: false, error });
      expect(store.getState().room).toBeNull();
    });

    it('replaces the held room when joining a different one', async () => {
      const { store, fake, actions } = await joinedRoom({ hasMore: true });
      fake.on(ClientEvent.RoomJoin, () =>
        joinReply({ roomId: OTHER_ROOM, messages: [message(7, { roomId: OTHER_ROOM })] }),
      );
      await actions().joinRoom(OTHER_ROOM, 'Alice');
      expect(store.getState().room).toMatchObject({ roomId: OTHER_ROOM, hasMore: false });
      expect(seqs(store.getState().room!.messages)).toEqual([7]);
    });
  });

  describe('messageReceived', () => {
    it('ignores a message for another room', async () => {
      const { store, actions } = await joinedRoom();
      const before = store.getState().room;
      actions().messageReceived(message(3, { roomId: OTHER_ROOM }));
      expect(store.getState().room).toBe(before);
    });

    it('ignores a message while outside any room', () => {
      const { store, actions } = setup();
      actions().messageReceived(message(1));
      expect(store.getState().room).toBeNull();
    });

    it('merges messages for this room, once each and in seq order', async () => {
      const { store, actions } = await joinedRoom();
      actions().messageReceived(message(4));
      actions().messageReceived(message(3));
      actions().messageReceived(message(3));
      actions().messageReceived(message(2));
      expect(seqs(store.getState().room!.messages)).toEqual([1, 2, 3, 4]);
    });
  });

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

  describe('loadOlder', () => {
    it('asks for the page before the first held message and puts it in front', async () => {
      const { store, fake, actions } = await joinedRoom({
        messages: [message(51), message(52)],
        hasMore: true,
      });
      const page = deferred<Reply<typeof ClientEvent.MessageHistory>>();
      fake.on(ClientEvent.MessageHistory, () => page.promise);

      const loading = actions().loadOlder();

      expect(store.getState().room?.loadingOlder).toBe(true);
      expect(fake.payloadsOf(ClientEvent.MessageHistory)).toEqual([
        { roomId: ROOM, beforeSeq: 51, limit: DEFAULT_HISTORY_PAGE },
      ]);

      page.resolve({ ok: true, messages: [message(49), message(50)], hasMore: false });
      await loading;

      expect(store.getState().room).toMatchObject({ hasMore: false, loadingOlder: false });
      expect(seqs(store.getState().room!.messages)).toEqual([49, 50, 51, 52]);
    });

    it('keeps hasMore true when the server says more remain', async () => {
      const { store, fake, actions } = await joinedRoom({ messages: [message(51)], hasMore: true });
      fake.on(ClientEvent.MessageHistory, () => ({
        ok: true,
        messages: [message(50)],
        hasMore: true,
      }));
      await actions().loadOlder();
      expect(store.getState().room?.hasMore).toBe(true);
    });

    it('does nothing when there is nothing older', async () => {
      const { store, fake, actions } = await joinedRoom({ hasMore: false });
      await actions().loadOlder();
      expect(fake.calls).toEqual([]);
      expect(store.getState().room?.loadingOlder).toBe(false);
    });

    it('sends one request while a page is already loading', async () => {
      const { fake, actions } = await joinedRoom({ messages: [message(51)], hasMore: true });
      const page = deferred<Reply<typeof ClientEvent.MessageHistory>>();
      fake.on(ClientEvent.MessageHistory, () => page.promise);

      const first = actions().loadOlder();
      await actions().loadOlder();
      page.resolve({ ok: true, messages: [message(50)], hasMore: false });
      await first;

      expect(fake.payloadsOf(ClientEvent.MessageHistory)).toHaveLength(1);
    });

    it('keeps the log and allows another try when the page fails', async () => {
      const { store, fake, actions } = await joinedRoom({ messages: [message(51)], hasMore: true });
      fake.on(ClientEvent.MessageHistory, () => ({
        ok: false,
        error: { code: ErrorCode.Timeout, message: 'The server did not answer.' },
      }));
      await actions().loadOlder();
      expect(store.getState().room).toMatchObject({ hasMore: true, loadingOlder: false });
      expect(seqs(store.getState().room!.messages)).toEqual([51]);
    });
  });

  describe('rejoin', () => {
    it('after too long away, a refused rejoin leaves the room and keeps unsent messages as failed', async () => {
      const { store, fake, actions } = await joinedRoom();
      fake.link.connected = false;
      await actions().sendMessage('written while away');
      fake.link.connected = true;
      fake.on(ClientEvent.RoomJoin, () => ({
        ok: false,
        error: { code: 'NICKNAME_TAKEN', message: 'Someone took it.' },
      }));
      await actions().rejoin();
      expect(store.getState().room).toBeNull();
      expect(store.getState().pending).toMatchObject([
        { text: 'written while away', status: 'failed' },
      ]);
    });

    it('a rejoin that times out keeps the room for the next connection', async () => {
      const { store, fake, actions } = await joinedRoom();
      fake.on(ClientEvent.RoomJoin, () => ({
        ok: false,
        error: { code: ErrorCode.Timeout, message: 'No answer.' },
      }));
      await actions().rejoin();
      expect(store.getState().room?.roomId).toBe(ROOM);
    });

    it('joins the held room again under the held nickname and merges what was missed', async () => {
      const { store, fake, actions } = await joinedRoom({ self: { nickname: 'Alice' } });
      actions().messageReceived(message(3));
      fake.on(ClientEvent.RoomJoin, () =>
        joinReply({ messages: [message(2), message(3), message(4), message(5)] }),
      );

      await actions().rejoin();

      expect(fake.payloadsOf(ClientEvent.RoomJoin)).toEqual([{ roomId: ROOM, nickname: 'Alice' }]);
      expect(seqs(store.getState().room!.messages)).toEqual([1, 2, 3, 4, 5]);
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

    it('does nothing outside a room', async () => {
      const { fake, actions } = setup();
      await actions().rejoin();
      expect(fake.calls).toEqual([]);
    });

    it('leaves no hole in the log when more than one page was missed', async () => {
      const { store, fake, actions } = await joinedRoom({
        messages: [message(1), message(2)],
        hasMore: false,
      });
      // While this client was away, 60 more messages were posted: the server holds 1–62.
      const serverLog = range(1, 62).map((seq) => message(seq));
      fake.on(ClientEvent.RoomJoin, () =>
        joinReply({ messages: serverLog.slice(-JOIN_HISTORY_LIMIT), hasMore: true }),
      );
      fake.on(ClientEvent.MessageHistory, ({ beforeSeq, limit = DEFAULT_HISTORY_PAGE }) => {
        const older = serverLog.filter((item) => beforeSeq === undefined || item.seq < beforeSeq);
        const page = older.slice(-limit);
        return { ok: true, messages: page, hasMore: older.length > page.length };
      });

      await actions().rejoin();

      // Either the missed messages are fetched, or the held ones are dropped and the missed
      // ones stay reachable through loadOlder; the log itself never skips a seq.
      const room = store.getState().room!;
      const held = seqs(room.messages);
      expect(held).toEqual(range(held[0]!, held[held.length - 1]!));
      expect(held[held.length - 1]).toBe(62);
      expect(room.hasMore).toBe(held[0]! > 1);
    });
  });

  describe('events pushed by the server', () => {
    it('membersUpdated replaces the members of this room only', async () => {
      const joined: Member[] = [
        { nickname: 'Alice', presence: 'active' },
        { nickname: 'Bob', presence: 'active' },
      ];
      const { store, actions } = await joinedRoom({ members: joined });
      actions().membersUpdated(OTHER_ROOM, [{ nickname: 'Mallory', presence: 'active' }]);
      expect(store.getState().room?.members).toEqual(joined);
      const updated: Member[] = [
        { nickname: 'Alice', presence: 'active' },
        { nickname: 'Carol', presence: 'active' },
      ];
      actions().membersUpdated(ROOM, updated);
      expect(store.getState().room?.members).toEqual(updated);
    });

    it('selfUpdated changes the nickname in this room only', async () => {
      const { store, actions } = await joinedRoom();
      actions().selfUpdated(OTHER_ROOM, 'Mallory');
      expect(store.getState().room?.nickname).toBe('Alice');
      actions().selfUpdated(ROOM, 'Alicia');
      expect(store.getState().room?.nickname).toBe('Alicia');
    });

    it('roomLeft clears this room, keeps its unsent messages as failed, and ignores other rooms', async () => {
      const { store, fake, actions } = await joinedRoom();
      fake.on(ClientEvent.MessageSend, () => new Promise(() => {}));
      void actions().sendMessage('hello');

      actions().roomLeft(OTHER_ROOM);
      expect(store.getState().room?.roomId).toBe(ROOM);
      expect(store.getState().pending).toHaveLength(1);

      actions().roomLeft(ROOM);
      expect(store.getState().room).toBeNull();
      expect(store.getState().pending).toEqual([
        expect.objectContaining({ text: 'hello', status: 'failed', error: expect.any(String) }),
      ]);
    });
  });

  describe('leaveRoom', () => {
    it('clears the room at once and sends room:leave for it', async () => {
      const { store, fake, actions } = await joinedRoom();
      const ack = deferred<Reply<typeof ClientEvent.RoomLeave>>();
      fake.on(ClientEvent.RoomLeave, () => ack.promise);

      const leaving = actions().leaveRoom();

      expect(store.getState()).toMatchObject({ room: null, pending: [] });
      expect(fake.payloadsOf(ClientEvent.RoomLeave)).toEqual([{ roomId: ROOM }]);
      ack.resolve({ ok: true });
      await leaving;
    });

    it('sends nothing outside a room', async () => {
      const { fake, actions } = setup();
      await actions().leaveRoom();
      expect(fake.calls).toEqual([]);
    });
  });

  describe('changeNickname', () => {
    it("takes the server's form of the new nickname on success", async () => {
      const { store, fake, actions } = await joinedRoom();
      fake.on(ClientEvent.NicknameChange, () => ({ ok: true, nickname: 'Alicia' }));

      expect(await actions().changeNickname('  Alicia ')).toEqual({ ok: true, value: 'Alicia' });
      expect(fake.payloadsOf(ClientEvent.NicknameChange)).toEqual([
        { roomId: ROOM, nickname: '  Alicia ' },
      ]);
      expect(store.getState().room?.nickname).toBe('Alicia');
    });

    it('keeps the nickname and returns the error when refused', async () => {
      const { store, fake, actions } = await joinedRoom();
      const error = { code: 'NICKNAME_TAKEN' as const, message: 'Bob is already in this room.' };
      fake.on(ClientEvent.NicknameChange, () => ({ ok: false, error }));

      expect(await actions().changeNickname('Bob')).toEqual({ ok: false, error });
      expect(store.getState().room?.nickname).toBe('Alice');
    });

    it('refuses outside a room without asking the server', async () => {
      const { fake, actions } = setup();
      const outcome = await actions().changeNickname('Alicia');
      expect(outcome).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
      expect(fake.calls).toEqual([]);
    });
  });

  it('setConnection records the connection state', () => {
    const { store, actions } = setup();
    actions().setConnection('reconnecting');
    expect(store.getState().connection).toBe('reconnecting');
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
  });

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

  describe('catching up after a reconnect', () => {
    it('a live message arriving ahead of the rejoin answer does not hide the hole before it', async () => {
      const { store, fake, actions } = await joinedRoom({ messages: [message(1), message(2)] });
      const serverLog = range(1, 60).map((seq) => message(seq));
      fake.on(ClientEvent.RoomJoin, () => {
        // The server subscribed us before answering: message 60 comes first, live.
        actions().messageReceived(message(60));
        return joinReply({ messages: serverLog.slice(-JOIN_HISTORY_LIMIT), hasMore: true });
      });
      fake.on(ClientEvent.MessageHistory, ({ afterSeq = 0, limit = DEFAULT_HISTORY_PAGE }) => {
        const newer = serverLog.filter((item) => item.seq > afterSeq);
        return { ok: true, messages: newer.slice(0, limit), hasMore: newer.length > limit };
      });

      await actions().rejoin();

      expect(seqs(store.getState().room!.messages)).toEqual(range(1, 60));
    });

    it('fetches exactly what was missed with afterSeq and merges it without gaps', async () => {
      const { store, fake, actions } = await joinedRoom({ messages: [message(1), message(2)] });
      const serverLog = range(1, 260).map((seq) => message(seq));
      fake.on(ClientEvent.RoomJoin, () =>
        joinReply({ messages: serverLog.slice(-JOIN_HISTORY_LIMIT), hasMore: true }),
      );
      fake.on(ClientEvent.MessageHistory, ({ afterSeq = 0, limit = DEFAULT_HISTORY_PAGE }) => {
        const newer = serverLog.filter((item) => item.seq > afterSeq);
        return { ok: true, messages: newer.slice(0, limit), hasMore: newer.length > limit };
      });

      await actions().rejoin();

      expect(seqs(store.getState().room!.messages)).toEqual(range(1, 260));
      expect(store.getState().room!.hasMore).toBe(false);
      // Missed: 3–210 (the fresh page starts at 211); only that range is asked for.
      const asked = fake.payloadsOf(ClientEvent.MessageHistory);
      expect(asked.map((p) => [p.afterSeq, p.limit])).toEqual([
        [2, 100],
        [102, 100],
        [202, 8],
      ]);
    });
  });

  describe('holes in the live log', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    /** A joined store whose server holds messages 1–`upTo`, served by afterSeq pages. */
    async function roomWithServerLog(upTo: number) {
      vi.useFakeTimers();
      const context = await joinedRoom({ messages: [message(1), message(2)] });
      const serverLog = range(1, upTo).map((seq) => message(seq));
      context.fake.on(
        ClientEvent.MessageHistory,
        ({ afterSeq = 0, limit = DEFAULT_HISTORY_PAGE }) => {
          const newer = serverLog.filter((item) => item.seq > afterSeq);
          return { ok: true, messages: newer.slice(0, limit), hasMore: newer.length > limit };
        },
      );
      return context;
    }

    it('waits for a message that arrives out of order instead of fetching it', async () => {
      const { store, fake, actions } = await roomWithServerLog(4);
      actions().messageReceived(message(4));
      await vi.advanceTimersByTimeAsync(HOLE_WAIT_MS / 2);
      actions().messageReceived(message(3));
      await vi.advanceTimersByTimeAsync(HOLE_WAIT_MS);

      expect(seqs(store.getState().room!.messages)).toEqual([1, 2, 3, 4]);
      expect(fake.payloadsOf(ClientEvent.MessageHistory)).toEqual([]);
    });

    it('fetches what never arrived once the hole has stayed open a while', async () => {
      const { store, fake, actions } = await roomWithServerLog(9);
      actions().messageReceived(message(5));
      actions().messageReceived(message(9));
      await vi.advanceTimersByTimeAsync(HOLE_WAIT_MS - 1);
      expect(fake.payloadsOf(ClientEvent.MessageHistory)).toEqual([]);

      await vi.advanceTimersByTimeAsync(1);

      expect(seqs(store.getState().room!.messages)).toEqual(range(1, 9));
      expect(fake.payloadsOf(ClientEvent.MessageHistory)).toEqual([
        { roomId: ROOM, afterSeq: 2, limit: 2 },
        { roomId: ROOM, afterSeq: 5, limit: 3 },
      ]);
    });

    it('leaves a hole to the next rejoin while disconnected', async () => {
      const { store, fake, actions } = await roomWithServerLog(4);
      fake.link.connected = false;
      actions().messageReceived(message(4));
      await vi.advanceTimersByTimeAsync(HOLE_WAIT_MS);

      expect(fake.payloadsOf(ClientEvent.MessageHistory)).toEqual([]);
      expect(seqs(store.getState().room!.messages)).toEqual([1, 2, 4]);
    });
  });

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

  describe('presence, typing and latency', () => {
    it('creates a public room only when asked', async () => {
      const { fake, actions } = setup();
      fake.on(ClientEvent.RoomCreate, () => ({ ok: true, roomId: ROOM }));
      await actions().createRoom();
      await actions().createRoom({ isPublic: true });
      expect(fake.payloadsOf(ClientEvent.RoomCreate)).toEqual([{}, { public: true }]);
    });

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
      actions().membersUpdated(ROOM, [{ nickname: 'Alice', presence: 'active' }]);
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

    it('keeps the lobby’s latest rooms and statistics', () => {
      const { store, actions } = setup();
      expect(store.getState().lobby).toEqual({ rooms: null, stats: null });
      actions().lobbyRoomsUpdated([{ roomId: ROOM, memberCount: 2 }]);
      actions().lobbyStatsUpdated({ online: 3, rooms: 2 });
      expect(store.getState().lobby).toEqual({
        rooms: [{ roomId: ROOM, memberCount: 2 }],
        stats: { online: 3, rooms: 2 },
      });
    });
  });
});
