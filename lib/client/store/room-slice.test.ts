import { describe, expect, it } from 'vitest';
import type { Member } from '../../protocol/definitions';
import { ErrorCode } from '../../protocol/errors';
import { ClientEvent } from '../../protocol/events';
import {
  deferred,
  joinedRoom,
  joinReply,
  message,
  OTHER_ROOM,
  type Reply,
  ROOM,
  seqs,
  setup,
} from './test-helpers';

describe('room slice', () => {
  describe('createRoom', () => {
    it('returns the new room ID, or the server error', async () => {
      const { fake, actions } = setup();
      fake.on(ClientEvent.RoomCreate, () => ({ ok: true, roomId: ROOM }));
      expect(await actions().createRoom()).toEqual({ ok: true, value: ROOM });

      const error = { code: 'RATE_LIMITED' as const, message: 'Too many rooms.' };
      fake.on(ClientEvent.RoomCreate, () => ({ ok: false, error }));
      expect(await actions().createRoom()).toEqual({ ok: false, error });
    });

    it('creates a public room only when asked', async () => {
      const { fake, actions } = setup();
      fake.on(ClientEvent.RoomCreate, () => ({ ok: true, roomId: ROOM }));
      await actions().createRoom();
      await actions().createRoom({ isPublic: true });
      expect(fake.payloadsOf(ClientEvent.RoomCreate)).toEqual([{}, { public: true }]);
    });
  });

  describe('joinRoom', () => {
    it('fills the room from the acknowledgement, with the nickname from `self`, and returns the canonical room ID', async () => {
      const { store, fake, actions } = setup();
      const members: Member[] = [
        { nickname: 'Alice', authorKey: 'key-alice', presence: 'active' },
        { nickname: 'Bob', authorKey: 'key-bob', presence: 'active' },
      ];
      fake.on(ClientEvent.RoomJoin, () =>
        joinReply({ self: { nickname: 'Alice', authorKey: 'key-alice' }, members, hasMore: true }),
      );

      const outcome = await actions().joinRoom('ABCD EFGH JKMN', '  Alice ');

      expect(outcome).toEqual({ ok: true, value: ROOM });
      expect(fake.payloadsOf(ClientEvent.RoomJoin)).toEqual([
        { roomId: 'ABCD EFGH JKMN', nickname: '  Alice ' },
      ]);
      expect(store.getState().room).toEqual({
        roomId: ROOM,
        nickname: 'Alice',
        authorKey: 'key-alice',
        members,
        messages: [message(1), message(2)],
        hasMore: true,
        loadingOlder: false,
        changeSeq: 0,
        info: { title: '', topic: '', locked: false, slowModeSeconds: 0 },
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
      const { store, fake, actions } = await joinedRoom({
        self: { nickname: 'Alice', authorKey: 'key-alice' },
      });
      actions().messageReceived(message(3));
      fake.on(ClientEvent.RoomJoin, () =>
        joinReply({ messages: [message(2), message(3), message(4), message(5)] }),
      );

      await actions().rejoin();

      expect(fake.payloadsOf(ClientEvent.RoomJoin)).toEqual([{ roomId: ROOM, nickname: 'Alice' }]);
      expect(seqs(store.getState().room!.messages)).toEqual([1, 2, 3, 4, 5]);
    });

    it('does nothing outside a room', async () => {
      const { fake, actions } = setup();
      await actions().rejoin();
      expect(fake.calls).toEqual([]);
    });
  });

  describe('events pushed by the server', () => {
    it('membersUpdated replaces the members of this room only', async () => {
      const joined: Member[] = [
        { nickname: 'Alice', authorKey: 'key-alice', presence: 'active' },
        { nickname: 'Bob', authorKey: 'key-bob', presence: 'active' },
      ];
      const { store, actions } = await joinedRoom({ members: joined });
      actions().membersUpdated(OTHER_ROOM, [
        { nickname: 'Mallory', authorKey: 'key-mallory', presence: 'active' },
      ]);
      expect(store.getState().room?.members).toEqual(joined);
      const updated: Member[] = [
        { nickname: 'Alice', authorKey: 'key-alice', presence: 'active' },
        { nickname: 'Carol', authorKey: 'key-carol', presence: 'active' },
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
});
