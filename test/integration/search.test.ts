import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../lib/protocol/errors';
import { ClientEvent } from '../../lib/protocol/events';
import {
  DEFAULT_TEST_LIMITS,
  expectOk,
  roomWith,
  startHarness,
  type Harness,
  type TestClient,
} from '../helpers/chat-harness';

async function say(client: TestClient, roomId: string, text: string): Promise<number> {
  const sent = expectOk(
    await client.request(ClientEvent.MessageSend, { roomId, clientId: randomUUID(), text }),
  );
  return sent.message.seq;
}

async function found(client: TestClient, roomId: string, query: string, beforeSeq?: number) {
  const answer = expectOk(
    await client.request(ClientEvent.MessageSearch, {
      roomId,
      query,
      limit: 2,
      ...(beforeSeq !== undefined && { beforeSeq }),
    }),
  );
  return { texts: answer.messages.map((message) => message.text), answer };
}

describe('message:search', () => {
  let harness: Harness;
  let roomId: string;
  let alice: TestClient;
  let bob: TestClient;

  beforeEach(async () => {
    harness = await startHarness();
    const room = await roomWith(harness, 'Alice', 'Bob');
    roomId = room.roomId;
    [alice, bob] = room.clients as [TestClient, TestClient];
  });
  afterEach(() => harness.close());

  it('finds a member’s words and word starts, newest first, a page at a time', async () => {
    await say(alice, roomId, 'The deployment starts at noon');
    await say(bob, roomId, 'Żółw wins the race');
    await say(bob, roomId, 'Deploy again? The ação is done');
    await say(alice, roomId, 'lunch');

    const first = await found(bob, roomId, 'deplo');
    expect(first.texts).toEqual([
      'Deploy again? The ação is done',
      'The deployment starts at noon',
    ]);
    expect((await found(alice, roomId, 'zolw')).texts).toEqual(['Żółw wins the race']);
    expect((await found(alice, roomId, 'ACAO')).texts).toEqual(['Deploy again? The ação is done']);
    expect((await found(alice, roomId, 'the from:bob')).texts).toEqual([
      'Deploy again? The ação is done',
      'Żółw wins the race',
    ]);
    const paged = await found(alice, roomId, 'the');
    expect(paged.answer.hasMore).toBe(true);
    const next = await found(alice, roomId, 'the', paged.answer.messages.at(-1)!.seq);
    expect(next.texts).toEqual(['The deployment starts at noon']);
    expect(next.answer.hasMore).toBe(false);
    // Announcements are not searched.
    expect((await found(alice, roomId, 'joined')).texts).toEqual([]);
  });

  it('finds an edited message by its new words only, and a deleted one never', async () => {
    const seq = await say(alice, roomId, 'meet at the old bridge');
    const gone = await say(alice, roomId, 'bridge password is swordfish');
    expectOk(
      await alice.request(ClientEvent.MessageEdit, { roomId, seq, text: 'meet at the pier' }),
    );
    expectOk(await alice.request(ClientEvent.MessageDelete, { roomId, seq: gone }));
    expect((await found(bob, roomId, 'bridge')).texts).toEqual([]);
    expect((await found(bob, roomId, 'swordfish')).texts).toEqual([]);
    expect((await found(bob, roomId, 'pier')).texts).toEqual(['meet at the pier']);
  });

  it('is for members only', async () => {
    await say(alice, roomId, 'secret plans');
    const stranger = await harness.connect();
    const reply = await stranger.request(ClientEvent.MessageSearch, { roomId, query: 'secret' });
    expect(reply).toMatchObject({ ok: false, error: { code: ErrorCode.NotInRoom } });
  });

  it('searches index syntax literally or refuses it in words, never failing inside', async () => {
    await say(alice, roomId, 'a OR b NEAR(x y) -z * "quoted" \\ it\'s');
    const hostile = [
      '"',
      '*',
      'NEAR(a b)',
      'a OR b',
      '-x',
      '^x',
      "'",
      '\\',
      ':',
      '"unbalanced',
      '()',
      'x'.repeat(201),
    ];
    for (const query of hostile) {
      const reply = await bob.request(ClientEvent.MessageSearch, { roomId, query });
      if (!reply.ok) {
        expect(reply.error.code, query).toBe(ErrorCode.InvalidInput);
        expect(reply.error.message.length, query).toBeGreaterThan(10);
      }
    }
    expect((await found(bob, roomId, 'NEAR(x y)')).texts).toHaveLength(1);
    expect((await found(bob, roomId, '"b near"')).texts).toHaveLength(1);
  });
});

describe('message:search budget', () => {
  it('has its own: a flood of searches is slowed, while sends go through', async () => {
    const harness = await startHarness({ rateLimits: DEFAULT_TEST_LIMITS });
    try {
      const { roomId, clients } = await roomWith(harness, 'Alice');
      const alice = clients[0]!;
      const replies = await Promise.all(
        Array.from({ length: 12 }, () =>
          alice.request(ClientEvent.MessageSearch, { roomId, query: 'anything' }),
        ),
      );
      expect(replies.map((reply) => (reply.ok ? 'ok' : reply.error.code))).toContain(
        ErrorCode.RateLimited,
      );
      await say(alice, roomId, 'still talking');
    } finally {
      await harness.close();
    }
  });
});
