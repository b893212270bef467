import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChatError } from '../protocol/errors';
import { SqliteStore } from '../store/sqlite-store';
import { roomIsListed, roomIsStored } from '../../test/helpers/store-views';
import { ChatService, requireMessageText, requireNickname, requireRoomId } from './chat-service';

const NOW = new Date('2026-03-01T10:00:00.000Z');

function service(options: { bytes?: (size: number) => Uint8Array } = {}) {
  let ids = 0;
  const store = SqliteStore.open(':memory:');
  const chat = new ChatService({
    store,
    clock: () => NOW,
    randomBytes: options.bytes ?? randomBytes,
    newMessageId: () => `m${++ids}`,
  });
  return { chat, store };
}

const nick = (raw: string) => requireNickname(raw);

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ChatError) return error.code;
    throw error;
  }
  throw new Error('expected a ChatError');
}

describe('the chat rules, without a network', () => {
  it('a first join is announced; joining again returns the held nickname, unannounced', async () => {
    const { chat } = service();
    const roomId = await chat.createRoom();
    const first = await chat.join('s1', roomId, nick('Alice'));
    expect(first.announcement).toMatchObject({ kind: 'system', text: 'Alice joined', seq: 1 });
    const again = await chat.join('s1', roomId, nick('Someone else'));
    expect(again.nickname).toBe('Alice');
    expect(again.announcement).toBeUndefined();
    expect(again.members.map((member) => member.nickname)).toEqual(['Alice']);
  });

  it('refuses a nickname held by another session, in any case, and an unknown room', async () => {
    const { chat } = service();
    const roomId = await chat.createRoom();
    await chat.join('s1', roomId, nick('Alice'));
    expect(await failure(chat.join('s2', roomId, nick('ALICE')))).toBe('NICKNAME_TAKEN');
    expect(await failure(chat.join('s2', 'zzzz-zzzz-zzzz', nick('Bob')))).toBe('ROOM_NOT_FOUND');
  });

  it('leaving announces it and frees the nickname; the last one out deletes the room', async () => {
    const { chat, store } = service();
    const roomId = await chat.createRoom();
    await chat.join('s1', roomId, nick('Alice'));
    await chat.join('s2', roomId, nick('Bob'));
    const left = await chat.leave('s2', roomId);
    expect(left).toMatchObject({ nickname: 'Bob', roomDeleted: false });
    expect(left?.announcement?.text).toBe('Bob left');
    await chat.join('s3', roomId, nick('bob'));
    await chat.leave('s3', roomId);
    expect(await chat.leave('s1', roomId)).toMatchObject({ roomDeleted: true, members: [] });
    expect(await roomIsStored(store, roomId)).toBe(false);
    expect(await chat.leave('s1', roomId)).toBeUndefined();
  });

  it('a rename is announced as "Alice is now Bob"; the same name is no change', async () => {
    const { chat } = service();
    const roomId = await chat.createRoom();
    await chat.join('s1', roomId, nick('Alice'));
    await chat.join('s2', roomId, nick('Carol'));
    expect((await chat.rename('s1', roomId, nick('Alice'))).announcement).toBeUndefined();
    expect(await failure(chat.rename('s1', roomId, nick('carol')))).toBe('NICKNAME_TAKEN');
    const renamed = await chat.rename('s1', roomId, nick('Bob'));
    expect(renamed.announcement?.text).toBe('Alice is now Bob');
    expect(await failure(chat.rename('s9', roomId, nick('Dave')))).toBe('NOT_IN_ROOM');
  });

  it('messages are stamped and numbered; the same clientId is stored once', async () => {
    const { chat } = service();
    const roomId = await chat.createRoom();
    await chat.join('s1', roomId, nick('Alice'));
    const clientId = '6f1c7a1e-0b7a-4c1e-9a55-0d5d1f0a6b10';
    const sent = await chat.send('s1', roomId, clientId, 'hello');
    expect(sent).toMatchObject({
      created: true,
      message: { seq: 2, author: 'Alice', text: 'hello', createdAt: NOW.toISOString(), clientId },
    });
    const retried = await chat.send('s1', roomId, clientId, 'hello');
    expect(retried).toEqual({ created: false, message: sent.message });
    expect(await failure(chat.send('s2', roomId, clientId, 'intruder'))).toBe('NOT_IN_ROOM');
  });

  it('only members may read the history', async () => {
    const { chat } = service();
    const roomId = await chat.createRoom();
    await chat.join('s1', roomId, nick('Alice'));
    expect((await chat.history('s1', roomId, { limit: 10 })).messages).toHaveLength(1);
    expect(await failure(chat.history('s2', roomId, { limit: 10 }))).toBe('NOT_IN_ROOM');
  });

  it('creates public rooms only when asked, and gives up after repeated ID collisions', async () => {
    const { chat, store } = service({ bytes: (size) => new Uint8Array(size) });
    const roomId = await chat.createRoom({ isPublic: true });
    expect(await roomIsListed(store, roomId)).toBe(true);
    await expect(chat.createRoom()).rejects.toThrow(/unused room ID/);
  });

  it('checks payload values at the edge with typed errors', () => {
    expect(requireRoomId('K3VQ8M2XD7TP')).toBe('k3vq-8m2x-d7tp');
    for (const check of [
      () => requireRoomId('not a room'),
      () => requireNickname('   '),
      () => requireMessageText(''),
    ]) {
      expect(check).toThrow(ChatError);
    }
  });
});
