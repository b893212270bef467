import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../lib/protocol/definitions';
import { ClientEvent, ServerEvent } from '../../lib/protocol/events';
import {
  expectOk,
  roomWith,
  startHarness,
  type Harness,
  type TestClient,
} from '../helpers/chat-harness';

async function send(client: TestClient, roomId: string, text: string, clientId = randomUUID()) {
  const reply = await client.request(ClientEvent.MessageSend, {
    roomId,
    clientId,
    text,
  });
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.message;
}

describe('messages', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(() => harness.close());

  it('everyone in the room, the sender included, receives a message live', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Bob', 'Carol');
    const arrivals = clients.map((client) =>
      client.next<Message>(ServerEvent.MessageNew, (message) => message.kind === 'user'),
    );
    const acked = await send(clients[1]!, roomId, 'hello all');
    for (const message of await Promise.all(arrivals)) expect(message).toEqual(acked);
  });

  it('the server stamps author, time, ID and the next sequence number', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice');
    const clientId = randomUUID();
    const before = Date.now();
    const message = await send(clients[0]!, roomId, '  two\nlines  ', clientId);
    expect(message).toMatchObject({
      roomId,
      kind: 'user',
      author: 'Alice',
      text: 'two\nlines',
      clientId,
      seq: 2, // after "Alice joined"
    });
    expect(message.id).toBeTruthy();
    expect(Date.parse(message.createdAt)).toBeGreaterThanOrEqual(before - 1);
    expect(message.createdAt).toBe(new Date(message.createdAt).toISOString());
  });

  it('a session’s messages carry its author key in the room, across a rename', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Bob');
    const [alice, bob] = clients as [TestClient, TestClient];
    const joined = expectOk(await alice.request(ClientEvent.RoomJoin, { roomId, nickname: 'x' }));
    const before = await send(alice, roomId, 'as Alice');
    expectOk(await alice.request(ClientEvent.NicknameChange, { roomId, nickname: 'Alicja' }));
    const after = await send(alice, roomId, 'as Alicja');
    const other = await send(bob, roomId, 'as Bob');
    expect(before.authorKey).toBe(joined.self.authorKey);
    expect(after.authorKey).toBe(before.authorKey);
    expect(other.authorKey).not.toBe(before.authorKey);
    // The same session in another room has another key: nothing links it across rooms.
    const { roomId: elsewhere } = expectOk(await alice.request(ClientEvent.RoomCreate, {}));
    const there = expectOk(
      await alice.request(ClientEvent.RoomJoin, { roomId: elsewhere, nickname: 'Alice' }),
    );
    expect(there.self.authorKey).not.toBe(joined.self.authorKey);
  });

  it('messages in another room are not delivered', async () => {
    const first = await roomWith(harness, 'Alice');
    const second = await roomWith(harness, 'Bob');
    await send(first.clients[0]!, first.roomId, 'only for room one');
    await send(second.clients[0]!, second.roomId, 'only for room two');
    const texts = second.clients[0]!.received<Message>(ServerEvent.MessageNew).map((m) => m.text);
    expect(texts).toEqual(['only for room two']);
  });

  it('resending the same clientId returns the stored message and is not broadcast again', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Bob');
    const clientId = randomUUID();
    const first = await send(clients[0]!, roomId, 'once', clientId);
    const retry = await send(clients[0]!, roomId, 'once', clientId);
    expect(retry).toEqual(first);
    await send(clients[0]!, roomId, 'marker');
    await clients[1]!.next<Message>(ServerEvent.MessageNew, (m) => m.text === 'marker');
    const onceCount = clients[1]!
      .received<Message>(ServerEvent.MessageNew)
      .filter((m) => m.text === 'once').length;
    expect(onceCount).toBe(1);
  });

  it('sequence numbers are gap-free and increasing under concurrent senders', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Bob', 'Carol');
    const sends = clients.flatMap((client, index) =>
      Array.from({ length: 20 }, (_, n) => send(client, roomId, `${index}-${n}`)),
    );
    const seqs = (await Promise.all(sends)).map((m) => m.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => i + 4));
  });

  it.each([
    ['empty', '   \n '],
    ['too long', 'x'.repeat(4001)],
    ['a control character', 'bell\u0007'],
  ])('a message that is %s is INVALID_INPUT', async (_label, text) => {
    const { roomId, clients } = await roomWith(harness, 'Alice');
    const reply = await clients[0]!.request(ClientEvent.MessageSend, {
      roomId,
      clientId: randomUUID(),
      text,
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('4000 characters is the longest message', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice');
    const message = await send(clients[0]!, roomId, '😀'.repeat(4000));
    expect(Array.from(message.text)).toHaveLength(4000);
  });

  it('someone who is not a member cannot send to the room', async () => {
    const { roomId } = await roomWith(harness, 'Alice');
    const stranger = await harness.connect();
    const reply = await stranger.request(ClientEvent.MessageSend, {
      roomId,
      clientId: randomUUID(),
      text: 'let me in',
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
  });
});

describe('history', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(() => harness.close());

  it('a newcomer receives the newest 50 messages, oldest first, and whether older exist', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice');
    for (let n = 1; n <= 60; n++) await send(clients[0]!, roomId, `message ${n}`);
    const bob = await harness.connect();
    const joined = expectOk(await bob.request(ClientEvent.RoomJoin, { roomId, nickname: 'Bob' }));
    expect(joined.hasMore).toBe(true);
    expect(joined.messages).toHaveLength(50);
    expect(joined.messages.at(-1)).toMatchObject({ kind: 'system', text: 'Bob joined' });
    expect(joined.messages[0]!.text).toBe('message 12');
    const seqs = joined.messages.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('message:history pages further back, oldest first, until there is no more', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice');
    for (let n = 1; n <= 30; n++) await send(clients[0]!, roomId, `message ${n}`);
    const collected: Message[] = [];
    let beforeSeq: number | undefined;
    for (;;) {
      const page = expectOk(
        await clients[0]!.request(ClientEvent.MessageHistory, { roomId, beforeSeq, limit: 7 }),
      );
      collected.unshift(...page.messages);
      if (!page.hasMore) break;
      beforeSeq = page.messages[0]!.seq;
    }
    expect(collected.map((m) => m.seq)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
  });

  it('message:history with afterSeq returns what came after, so a returning client can catch up', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice');
    for (let n = 1; n <= 8; n++) await send(clients[0]!, roomId, `message ${n}`);
    const page = expectOk(
      await clients[0]!.request(ClientEvent.MessageHistory, { roomId, afterSeq: 4, limit: 3 }),
    );
    expect(page.messages.map((m) => m.seq)).toEqual([5, 6, 7]);
    expect(page.hasMore).toBe(true);
    const both = await clients[0]!.request(ClientEvent.MessageHistory, {
      roomId,
      afterSeq: 1,
      beforeSeq: 5,
    });
    expect(both).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('message:history with aroundSeq returns the page around a message, saying what lies on each side', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice');
    // Seq 1 is the join notice; messages take 2 to 11.
    for (let n = 1; n <= 10; n++) await send(clients[0]!, roomId, `message ${n}`);
    const middle = expectOk(
      await clients[0]!.request(ClientEvent.MessageHistory, { roomId, aroundSeq: 6, limit: 4 }),
    );
    expect(middle.messages.map((m) => m.seq)).toEqual([5, 6, 7, 8]);
    expect(middle).toMatchObject({ hasMore: true, hasNewer: true });
    const newest = expectOk(
      await clients[0]!.request(ClientEvent.MessageHistory, { roomId, aroundSeq: 11, limit: 6 }),
    );
    expect(newest.messages.map((m) => m.seq)).toEqual([9, 10, 11]);
    expect(newest).toMatchObject({ hasMore: true, hasNewer: false });
    const stranger = await harness.connect();
    const refused = await stranger.request(ClientEvent.MessageHistory, { roomId, aroundSeq: 6 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
  });

  it.each([0, 101, 1.5, '10'])('a history limit of %s is INVALID_INPUT', async (limit) => {
    const { roomId, clients } = await roomWith(harness, 'Alice');
    const reply = await clients[0]!.request(ClientEvent.MessageHistory, { roomId, limit });
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('only members may read a room history', async () => {
    const { roomId } = await roomWith(harness, 'Alice');
    const stranger = await harness.connect();
    const reply = await stranger.request(ClientEvent.MessageHistory, { roomId, limit: 10 });
    expect(reply).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
  });
});
