import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../lib/protocol/definitions';
import { ClientEvent, ServerEvent } from '../../lib/protocol/events';
import type { RequestEvent } from '../../lib/server/handler';
import { EDIT_WINDOW_MS, JOIN_HISTORY_LIMIT } from '../../lib/protocol/limits';
import {
  DEFAULT_TEST_LIMITS,
  expectOk,
  roomWith,
  startHarness,
  type Harness,
  type TestClient,
} from '../helpers/chat-harness';

async function send(client: TestClient, roomId: string, text: string, replyTo?: number) {
  const payload = { roomId, clientId: randomUUID(), text, ...(replyTo ? { replyTo } : {}) };
  return expectOk(await client.request(ClientEvent.MessageSend, payload)).message;
}

/** The next `message:changed` a client hears about message `seq`. */
const nextChange = (client: TestClient, seq: number) =>
  client.next<Message>(ServerEvent.MessageChanged, (message) => message.seq === seq);

/** Waits for a round trip, so anything the server sent before it has arrived. */
const settle = (client: TestClient) => client.request(ClientEvent.Ping, {});

describe('changing messages over the socket', () => {
  let harness: Harness;
  let roomId: string;
  let alice: TestClient;
  let bob: TestClient;
  let now = Date.now();

  beforeEach(async () => {
    now = Date.now();
    harness = await startHarness({ clock: () => new Date(now) });
    const room = await roomWith(harness, 'Alice', 'Bob');
    roomId = room.roomId;
    [alice, bob] = room.clients as [TestClient, TestClient];
  });
  afterEach(() => harness.close());

  it('an edit reaches everyone live; a retry answers the same and is not sent again', async () => {
    const sent = await send(alice, roomId, 'helo');
    const seen = [nextChange(alice, sent.seq), nextChange(bob, sent.seq)];
    const edit = { roomId, seq: sent.seq, text: ' hello ' };
    const { message } = expectOk(await alice.request(ClientEvent.MessageEdit, edit));
    expect(message).toMatchObject({ seq: sent.seq, text: 'hello', changeSeq: 1 });
    expect(message.editedAt).toBe(new Date(now).toISOString());
    for (const heard of await Promise.all(seen)) expect(heard).toEqual(message);
    expect(expectOk(await alice.request(ClientEvent.MessageEdit, edit)).message).toEqual(message);
    await settle(bob);
    expect(bob.received(ServerEvent.MessageChanged)).toHaveLength(1);
  });

  it('refuses edits and deletions by others, of notices, of missing messages, and late edits', async () => {
    const sent = await send(alice, roomId, 'mine');
    const refusal = async (client: TestClient, event: RequestEvent, payload: object) => {
      const reply = await client.request(event, { roomId, ...payload });
      return reply.ok ? 'ok' : reply.error.code;
    };
    expect(await refusal(bob, ClientEvent.MessageEdit, { seq: sent.seq, text: 'x' })).toBe(
      'NOT_YOUR_MESSAGE',
    );
    expect(await refusal(bob, ClientEvent.MessageDelete, { seq: sent.seq })).toBe(
      'NOT_YOUR_MESSAGE',
    );
    expect(await refusal(alice, ClientEvent.MessageDelete, { seq: 1 })).toBe('MESSAGE_NOT_FOUND');
    expect(await refusal(alice, ClientEvent.MessageEdit, { seq: 999, text: 'x' })).toBe(
      'MESSAGE_NOT_FOUND',
    );
    expect(await refusal(alice, ClientEvent.MessageEdit, { seq: sent.seq, text: '  ' })).toBe(
      'INVALID_INPUT',
    );
    now += EDIT_WINDOW_MS + 1_000;
    const late = await alice.request(ClientEvent.MessageEdit, {
      roomId,
      seq: sent.seq,
      text: 'too late',
    });
    expect(late).toMatchObject({
      ok: false,
      error: { code: 'EDIT_WINDOW_CLOSED', message: expect.stringContaining('24 hours') },
    });
    // Deleting has no window.
    expectOk(await alice.request(ClientEvent.MessageDelete, { roomId, seq: sent.seq }));
    const stranger = await harness.connect();
    expect(
      await refusal(stranger, ClientEvent.ReactionSet, { seq: 2, emoji: '👍', on: true }),
    ).toBe('NOT_IN_ROOM');
    expect(await refusal(stranger, ClientEvent.MessageChanges, { afterChange: 0 })).toBe(
      'NOT_IN_ROOM',
    );
  });

  it('a deletion empties the message for everyone, and replies say it was deleted', async () => {
    const original = await send(alice, roomId, 'oops, wrong room');
    const reply = await send(bob, roomId, 'what?', original.seq);
    expect(reply.replyTo).toEqual({
      seq: original.seq,
      author: 'Alice',
      excerpt: 'oops, wrong room',
    });
    const seen = nextChange(bob, original.seq);
    expectOk(await alice.request(ClientEvent.MessageDelete, { roomId, seq: original.seq }));
    expect(await seen).toMatchObject({ text: '', deletedAt: expect.any(String) });
    const page = expectOk(await bob.request(ClientEvent.MessageHistory, { roomId }));
    const [deleted, answer] = page.messages.slice(-2);
    expect(deleted).toMatchObject({ seq: original.seq, text: '' });
    expect(answer?.replyTo).toEqual({
      seq: original.seq,
      author: 'Alice',
      excerpt: '',
      deleted: true,
    });
    const again = await bob.request(ClientEvent.MessageSend, {
      roomId,
      clientId: randomUUID(),
      text: 'still?',
      replyTo: original.seq,
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'MESSAGE_DELETED' } });
  });

  it('replies are delivered with a quote of their original', async () => {
    const original = await send(alice, roomId, 'Shall we ship on Friday?\nOr Monday?');
    const heard = bob.next<Message>(ServerEvent.MessageNew, (m) => m.replyTo !== undefined);
    const reply = await send(bob, roomId, 'Monday', original.seq);
    expect(await heard).toEqual(reply);
    expect(reply.replyTo).toEqual({
      seq: original.seq,
      author: 'Alice',
      excerpt: 'Shall we ship on Friday?…',
    });
    const missing = await bob.request(ClientEvent.MessageSend, {
      roomId,
      clientId: randomUUID(),
      text: 'to what?',
      replyTo: 500,
    });
    expect(missing).toMatchObject({ ok: false, error: { code: 'MESSAGE_NOT_FOUND' } });
  });

  it('reactions count once per member and emoji, live, whatever is retried', async () => {
    const sent = await send(alice, roomId, 'pizza?');
    const on = { roomId, seq: sent.seq, emoji: '❤', on: true };
    const seen = nextChange(alice, sent.seq);
    const first = expectOk(await bob.request(ClientEvent.ReactionSet, on)).message;
    expect(first.reactions).toEqual([{ emoji: '❤️', nicknames: ['Bob'] }]);
    expect(await seen).toEqual(first);
    expect(expectOk(await bob.request(ClientEvent.ReactionSet, on)).message).toEqual(first);
    const both = expectOk(await alice.request(ClientEvent.ReactionSet, { ...on, emoji: '❤️' }));
    expect(both.message.reactions).toEqual([{ emoji: '❤️', nicknames: ['Bob', 'Alice'] }]);
    const off = expectOk(await bob.request(ClientEvent.ReactionSet, { ...on, on: false }));
    expect(off.message.reactions).toEqual([{ emoji: '❤️', nicknames: ['Alice'] }]);
    const bad = await bob.request(ClientEvent.ReactionSet, { ...on, emoji: 'lol' });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'A reaction is one emoji, such as 👍.' },
    });
    await settle(alice);
    expect(alice.received(ServerEvent.MessageChanged)).toHaveLength(3);
  });

  it('a member who was away catches up on changes to messages older than its first page', async () => {
    const first = await send(alice, roomId, 'the very first');
    for (let n = 0; n < JOIN_HISTORY_LIMIT; n++) await send(alice, roomId, `filler ${n}`);
    const carol = await harness.connect();
    const joined = expectOk(
      await carol.request(ClientEvent.RoomJoin, { roomId, nickname: 'Carol' }),
    );
    expect(joined.messages.some((m) => m.seq === first.seq)).toBe(false);
    carol.close();
    expectOk(await alice.request(ClientEvent.MessageEdit, { roomId, seq: first.seq, text: 'v2' }));
    const last = joined.messages.filter((m) => m.kind === 'user').at(-1)!;
    expectOk(
      await bob.request(ClientEvent.ReactionSet, { roomId, seq: last.seq, emoji: '👍', on: true }),
    );
    expectOk(await alice.request(ClientEvent.MessageEdit, { roomId, seq: first.seq, text: 'v3' }));

    const back = await harness.connect({ token: carol.token });
    const caught = expectOk(
      await back.request(ClientEvent.MessageChanges, { roomId, afterChange: joined.changeSeq }),
    );
    expect(caught.messages.map((m) => [m.seq, m.text])).toEqual([
      [last.seq, last.text],
      [first.seq, 'v3'],
    ]);
    expect(caught.messages[0]?.reactions).toEqual([{ emoji: '👍', nicknames: ['Bob'] }]);
    expect(caught).toMatchObject({ changeSeq: joined.changeSeq + 3, hasMore: false });
  });
});

describe('rate limits on changes', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness({ rateLimits: DEFAULT_TEST_LIMITS });
  });
  afterEach(() => harness.close());

  it('a reaction flood runs out its own budget and leaves sending alone', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Bob');
    const [alice, bob] = clients as [TestClient, TestClient];
    const target = await send(alice, roomId, 'flood me');
    const codes: string[] = [];
    for (let n = 0; n < 4 * DEFAULT_TEST_LIMITS.changesPerSecond; n++) {
      const reply = await bob.request(ClientEvent.ReactionSet, {
        roomId,
        seq: target.seq,
        emoji: '👍',
        on: n % 2 === 0,
      });
      codes.push(reply.ok ? 'ok' : reply.error.code);
    }
    expect(codes).toContain('RATE_LIMITED');
    expect(codes.filter((code) => code === 'ok').length).toBeLessThanOrEqual(
      2 * DEFAULT_TEST_LIMITS.changesPerSecond,
    );
    expect(await send(bob, roomId, 'but I can still talk')).toMatchObject({ author: 'Bob' });
  });
});
