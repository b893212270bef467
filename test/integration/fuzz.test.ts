import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../lib/protocol/errors';
import { ClientEvent } from '../../lib/protocol/events';
import { MAX_PACKET_BYTES } from '../../lib/protocol/limits';
import { pingPayload, presenceSetPayload, roomCreatePayload } from '../../lib/protocol/schemas';
import { roomWith, startHarness, type Harness, type TestClient } from '../helpers/chat-harness';

const RUNS = 10_000;
const events = Object.values(ClientEvent);

/**
 * Strings a hostile client would try: controls, bidi, broken surrogates, markup, look-alikes.
 * Each stays small enough that a whole payload fits in a packet (bigger ones are tested apart:
 * they close the connection instead of getting an answer).
 */
const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.string({ unit: 'grapheme', maxLength: 64 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\u202Eadmin',
    '\u200B',
    '\uD800',
    '\uDFFFx\uD800',
    '<script>alert(1)</script>',
    '__proto__',
    'constructor',
    'ROOM:abcd',
    'abcd-efgh-jkmn',
    '0000-0000-0000',
    '../../etc/passwd',
    '%00',
    'x'.repeat(5_000),
    'é'.repeat(6_000),
  ),
);

const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1.5, 2 ** 53, -(2 ** 53), 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2),
);

/** A value nested `depth` levels deep in arrays or objects. */
const deep = (depth: number, leaf: unknown, asObject: boolean): unknown => {
  let value = leaf;
  for (let level = 0; level < depth; level++) value = asObject ? { a: value } : [value];
  return value;
};

const payload = fc.oneof(
  fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true }),
  // The right field names with wrong or hostile values, some missing, some extra.
  fc.record(
    {
      roomId: fc.oneof(nastyString, nastyNumber, fc.anything({ maxDepth: 1 })),
      nickname: fc.oneof(nastyString, nastyNumber),
      text: fc.oneof(nastyString, nastyNumber, fc.constant(null)),
      clientId: fc.oneof(fc.uuid(), nastyString),
      beforeSeq: nastyNumber,
      afterSeq: nastyNumber,
      limit: nastyNumber,
      public: fc.oneof(fc.boolean(), nastyString),
      typing: fc.oneof(fc.boolean(), nastyNumber, nastyString),
      idle: fc.oneof(fc.boolean(), nastyNumber),
      sessionId: nastyString,
    },
    { requiredKeys: [] },
  ),
  fc.constantFrom(
    JSON.parse('{"__proto__": {"ok": true}, "roomId": "abcd-efgh-jkmn"}'),
    JSON.parse('{"constructor": {"prototype": {"polluted": 1}}}'),
    { toString: 'x', valueOf: 1 },
    deep(400, 'x', true),
    deep(400, 1, false),
  ),
);

/** Everything the server stores, to show that hostile requests changed none of it. */
async function snapshot(harness: Harness) {
  const rooms = await harness.store.listRooms();
  return Promise.all(
    rooms.map(async ({ roomId }) => ({
      roomId,
      members: await harness.store.listMembers(roomId),
      messages: await harness.store.listMessages(roomId, { limit: 100 }),
    })),
  );
}

describe('fuzzing every event with hostile payloads', () => {
  let harness: Harness;
  let stranger: TestClient;

  beforeAll(async () => {
    harness = await startHarness();
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Bob');
    await clients[0]!.request(ClientEvent.MessageSend, {
      roomId,
      clientId: '6f1c7a1e-0b7a-4c1e-9a55-0d5d1f0a6b10',
      text: 'kept as it is',
    });
    // The fuzzer is a session that belongs to no room: nothing it sends may change anything.
    stranger = await harness.connect();
  });
  afterAll(() => harness.close());

  it(`answers ${RUNS} random and adversarial requests with typed errors and changes nothing`, async () => {
    const before = JSON.stringify(await snapshot(harness));
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...events), payload, async (event, body) => {
        // A stranger may validly create a room, say it is idle, or ping; everything else the
        // fuzzer makes is refused.
        fc.pre(!validForAnyone(event, body));
        const reply = await stranger.request(event, body);
        answered++;
        expect(reply.ok).toBe(false);
        if (reply.ok) return;
        expect(ERROR_CODES).toContain(reply.error.code);
        expect(typeof reply.error.message).toBe('string');
        expect(reply.error.message).not.toMatch(/\n\s+at |node_modules|Error:/);
      }),
      { numRuns: RUNS },
    );
    expect(answered).toBeGreaterThanOrEqual(RUNS * 0.95);
    expect(JSON.stringify(await snapshot(harness))).toBe(before);
  }, 120_000);

  it('survives unknown events, missing and non-function callbacks', async () => {
    const emitRaw = stranger.socket.emit.bind(stranger.socket) as (...args: unknown[]) => void;
    fc.assert(
      fc.property(fc.string(), fc.anything({ maxDepth: 2 }), (event, body) => {
        emitRaw(event, body);
        emitRaw(ClientEvent.MessageSend, body);
        emitRaw(ClientEvent.RoomJoin, body, 'not a callback');
      }),
      { numRuns: 500 },
    );
    const reply = await stranger.request(ClientEvent.MessageHistory, { roomId: 'abcd-efgh-jkmn' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
  });

  it('disconnects a client sending a 1 MB string, and stays up for everyone else', async () => {
    const before = JSON.stringify(await snapshot(harness));
    for (const event of events) {
      const hostile = await harness.connect();
      const closed = new Promise((resolve) => hostile.socket.once('disconnect', resolve));
      (hostile.socket.emit as (...args: unknown[]) => void)(event, {
        roomId: 'abcd-efgh-jkmn',
        text: 'z'.repeat(1024 * 1024),
      });
      await closed;
    }
    expect(1024 * 1024).toBeGreaterThan(MAX_PACKET_BYTES);
    const reply = await stranger.request(ClientEvent.RoomCreate, { unexpected: true });
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(JSON.stringify(await snapshot(harness))).toBe(before);
  });
});

/**
 * Whether a request is one the server rightly accepts from a session in no room, judged on
 * the payload as it arrives (sent as JSON, undefined fields vanish).
 */
function validForAnyone(event: string, value: unknown): boolean {
  const sent: unknown = JSON.parse(JSON.stringify(value) ?? 'null');
  if (event === ClientEvent.RoomCreate) return roomCreatePayload.safeParse(sent).success;
  if (event === ClientEvent.PresenceSet) return presenceSetPayload.safeParse(sent).success;
  if (event === ClientEvent.Ping) return pingPayload.safeParse(sent).success;
  return false;
}
