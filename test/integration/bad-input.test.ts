import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientEvent } from '../../lib/protocol/events';
import { expectOk, roomWith, startHarness, type Harness } from '../helpers/chat-harness';

const everyRequest = Object.values(ClientEvent);

describe('bad input gets an error, never a crash', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(() => harness.close());

  it.each(everyRequest)(
    '%s with a wrong payload is INVALID_INPUT with a readable message',
    async (event) => {
      const { roomId, clients } = await roomWith(harness, 'Alice');
      const client = clients[0]!;
      const payloads: unknown[] = [
        null,
        42,
        'text',
        [roomId],
        { roomId: 42, nickname: 'A', clientId: randomUUID(), text: 't' },
        { roomId, nickname: 'A', clientId: randomUUID(), text: 't', limit: 5, extra: true },
        JSON.parse('{"__proto__": {"ok": true}, "roomId": "x"}'),
        { constructor: { prototype: {} } },
      ];
      for (const payload of payloads) {
        const reply = await client.request(event, payload);
        expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
        if (!reply.ok) expect(reply.error.message.length).toBeGreaterThan(5);
      }
    },
  );

  it('a request sent with only a callback is answered INVALID_INPUT', async () => {
    const client = await harness.connect();
    const reply = await client.request(ClientEvent.RoomJoin);
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('requests without a callback, or with a non-function one, are ignored safely', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice');
    const client = clients[0]!;
    const emitRaw = client.socket.emit.bind(client.socket) as (...args: unknown[]) => void;
    emitRaw(ClientEvent.MessageSend, { roomId, clientId: randomUUID(), text: 'no ack' });
    emitRaw(ClientEvent.RoomCreate, {}, 'not a function');
    emitRaw('no:such-event', { roomId });
    const reply = await client.request(ClientEvent.MessageHistory, { roomId, limit: 10 });
    // Every request needs its acknowledgement callback; one without is not carried out.
    expect(expectOk(reply).messages.map((m) => m.text)).toEqual(['Alice joined']);
  });

  it('an oversized payload disconnects only its sender; the others carry on', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Bob');
    const [mallory, bob] = clients as [(typeof clients)[0], (typeof clients)[0]];
    const disconnected = new Promise((resolve) => mallory.socket.once('disconnect', resolve));
    (mallory.socket.emit as (...args: unknown[]) => void)(ClientEvent.MessageSend, {
      roomId,
      clientId: randomUUID(),
      text: 'x'.repeat(10 * 1024 * 1024),
    });
    await disconnected;
    const reply = await bob.request(ClientEvent.MessageSend, {
      roomId,
      clientId: randomUUID(),
      text: 'still fine',
    });
    expect(reply).toMatchObject({ ok: true, message: { text: 'still fine' } });
  });

  it('a string just under the packet limit but over the field limit is INVALID_INPUT', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice');
    const reply = await clients[0]!.request(ClientEvent.MessageSend, {
      roomId,
      clientId: randomUUID(),
      text: 'x'.repeat(40_000),
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
