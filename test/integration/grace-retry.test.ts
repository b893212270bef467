import { describe, expect, it } from 'vitest';
import type { Message } from '../../lib/protocol/definitions';
import { ServerEvent } from '../../lib/protocol/events';
import { SqliteStore } from '../../lib/store/sqlite-store';
import type { Store } from '../../lib/store/store';
import { roomWith, startHarness } from '../helpers/chat-harness';

const GRACE_MS = 200;

/** The embedded store, except that removing a member fails the first `failures` times. */
function flakyStore(failures: number): Store {
  const store = SqliteStore.open(':memory:');
  let left = failures;
  const removeMember = store.removeMember.bind(store);
  store.removeMember = async (roomId, sessionId) => {
    if (left-- > 0) throw new Error('disk I/O error');
    return removeMember(roomId, sessionId);
  };
  return store;
}

describe('grace periods under failure', () => {
  it('an expiry that fails in the store is tried again, so nobody is held forever', async () => {
    const harness = await startHarness({ memberGraceMs: GRACE_MS, store: flakyStore(1) });
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Bob');
    const left = clients[0]!.next<Message>(ServerEvent.MessageNew, (m) => m.text === 'Bob left');
    clients[1]!.close();
    expect(await left).toMatchObject({ roomId, kind: 'system' });
    expect((await harness.store.listMembers(roomId)).map((m) => m.nickname)).toEqual(['Alice']);
    await harness.close();
  });
});
