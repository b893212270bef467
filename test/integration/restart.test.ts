import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../lib/protocol/definitions';
import { ClientEvent, ServerEvent } from '../../lib/protocol/events';
import { SqliteStore } from '../../lib/store/sqlite-store';
import { expectOk, roomWith, startHarness, type Harness } from '../helpers/chat-harness';

/** A store whose next message write waits until released. */
function storeHoldingOneWrite() {
  const store = SqliteStore.open(':memory:');
  const append = store.appendUserMessage.bind(store);
  let hold: Promise<void> | undefined;
  let release = () => {};
  let reached = () => {};
  const writing = new Promise<void>((resolve) => (reached = resolve));
  store.appendUserMessage = async (draft) => {
    if (hold) {
      const held = hold;
      hold = undefined;
      reached();
      await held;
    }
    return append(draft);
  };
  return {
    store,
    /** Makes the next write wait; resolves the returned promise once a write is waiting. */
    holdNext() {
      hold = new Promise<void>((resolve) => (release = resolve));
      return writing;
    },
    release: () => release(),
  };
}

describe('a server that is stopping', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('answers a request that arrives after the restart notice with RESTARTING at once, and finishes the one it was handling', async () => {
    const held = storeHoldingOneWrite();
    harness = await startHarness({ store: held.store });
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Bob');
    const [alice, bob] = clients as [(typeof clients)[0], (typeof clients)[0]];

    const writing = held.holdNext();
    const first = alice.request(ClientEvent.MessageSend, {
      roomId,
      clientId: randomUUID(),
      text: 'being handled',
    });
    await writing;
    const told = bob.next(ServerEvent.Restarting);
    const drained = harness.chat.drain(5_000);
    await told;

    const late = await bob.request(ClientEvent.MessageSend, {
      roomId,
      clientId: randomUUID(),
      text: 'after the notice',
    });
    expect(late).toEqual({
      ok: false,
      error: { code: 'RESTARTING', message: expect.any(String), retryAfterMs: 1_000 },
    });
    // Every request is refused, not only messages: nothing new starts on a stopping server.
    expect(await bob.request(ClientEvent.Ping, {})).toMatchObject({
      ok: false,
      error: { code: 'RESTARTING' },
    });

    held.release();
    const answer = expectOk(await first);
    await drained;
    const history = await held.store.listMessages(roomId, { limit: 50 });
    const texts = history.messages.filter((m: Message) => m.kind === 'user').map((m) => m.text);
    expect(answer.message.text).toBe('being handled');
    expect(texts).toEqual(['being handled']);
  });
});
