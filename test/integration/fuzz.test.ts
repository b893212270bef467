import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renamedText } from '../../lib/chat/announcements';
import { parseRoomId } from '../../lib/chat/room-id';
import type { Message } from '../../lib/protocol/definitions';
import { ErrorCode, type Result } from '../../lib/protocol/errors';
import { ClientEvent } from '../../lib/protocol/events';
import { MAX_PACKET_BYTES } from '../../lib/protocol/limits';
import {
  pingPayload,
  presenceSetPayload,
  roomCreatePayload,
  roomLeavePayload,
} from '../../lib/protocol/schemas';
import type { StoredMember } from '../../lib/store/store';
import {
  expectOk,
  roomWith,
  startHarness,
  type Harness,
  type TestClient,
} from '../helpers/chat-harness';
import { notPlainSentence } from '../helpers/plain-sentence';

const RUNS = 10_000;
const events = Object.values(ClientEvent);
/** Codes the server may send; TIMEOUT is decided by a client alone. */
const SERVER_CODES = Object.values(ErrorCode).filter((code) => code !== ErrorCode.Timeout);

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
        expect(SERVER_CODES).toContain(reply.error.code);
        expect(notPlainSentence(reply.error.message), reply.error.message).toBeUndefined();
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

const MEMBER_RUNS = 3_000;
/** The requests that change a stored message, each answered with the message as it is now. */
const CHANGES = new Set<string>([
  ClientEvent.MessageEdit,
  ClientEvent.MessageDelete,
  ClientEvent.ReactionSet,
]);
const SEEDED_CLIENT_ID = '6f1c7a1e-0b7a-4c1e-9a55-0d5d1f0a6b10';

/** The fields each event takes; the member fuzzer mostly sends these, right or wrong. */
const EVENT_FIELDS: Record<(typeof events)[number], string[]> = {
  [ClientEvent.RoomCreate]: ['public'],
  [ClientEvent.RoomJoin]: ['roomId', 'nickname'],
  [ClientEvent.RoomLeave]: ['roomId'],
  [ClientEvent.RoomPreview]: ['roomIds'],
  [ClientEvent.MessageSend]: ['roomId', 'clientId', 'text', 'replyTo'],
  [ClientEvent.MessageHistory]: ['roomId', 'beforeSeq', 'afterSeq', 'aroundSeq', 'limit'],
  [ClientEvent.MessageSearch]: ['roomId', 'query', 'beforeSeq', 'limit'],
  [ClientEvent.MessageEdit]: ['roomId', 'seq', 'text'],
  [ClientEvent.MessageDelete]: ['roomId', 'seq'],
  [ClientEvent.ReactionSet]: ['roomId', 'seq', 'emoji', 'on'],
  [ClientEvent.MessageChanges]: ['roomId', 'afterChange', 'limit'],
  [ClientEvent.RoomUpdate]: ['roomId', 'title', 'topic', 'locked', 'slowModeSeconds'],
  [ClientEvent.MemberRole]: ['roomId', 'nickname', 'moderator'],
  [ClientEvent.MemberRemove]: ['roomId', 'nickname', 'ban'],
  [ClientEvent.BanList]: ['roomId'],
  [ClientEvent.BanLift]: ['roomId', 'banId'],
  [ClientEvent.NicknameChange]: ['roomId', 'nickname'],
  [ClientEvent.TypingSet]: ['roomId', 'typing'],
  [ClientEvent.PresenceSet]: ['idle'],
  [ClientEvent.Ping]: [],
};

/** Requests from a member of `roomId`: the right fields, often with good values, often not. */
function memberRequests(roomId: string) {
  const realRoomId = fc.oneof(
    { weight: 6, arbitrary: fc.constant(roomId) },
    // The same room written the ways parseRoomId forgives.
    fc.constantFrom(roomId.toUpperCase(), roomId.replace(/-/g, ''), ` ${roomId} `),
  );
  const smallNumber = fc.oneof(fc.integer({ min: -2, max: 120 }), nastyNumber);
  const fields: Record<string, fc.Arbitrary<unknown>> = {
    roomId: fc.oneof({ weight: 4, arbitrary: realRoomId }, nastyString, nastyNumber),
    roomIds: fc.oneof(
      { weight: 3, arbitrary: fc.array(fc.oneof(realRoomId, nastyString), { maxLength: 25 }) },
      nastyString,
      nastyNumber,
    ),
    nickname: fc.oneof(
      nastyString,
      nastyNumber,
      // Taken by others (in any case), the fuzzer's own, and fresh ones.
      fc.constantFrom('Alice', 'bob', 'ALICE ', 'Fuzzer', 'Fuzzer 2', 'Zoë'),
    ),
    text: fc.oneof(
      { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) },
      { weight: 3, arbitrary: nastyString },
      nastyNumber,
      fc.constant(null),
    ),
    clientId: fc.oneof(
      { weight: 3, arbitrary: fc.uuid() },
      // Reused keys: the seeded message's (another session's) and one of the fuzzer's own.
      fc.constantFrom(SEEDED_CLIENT_ID, '0f0e0d0c-0b0a-4908-8706-050403020100'),
      nastyString,
    ),
    beforeSeq: smallNumber,
    afterSeq: smallNumber,
    aroundSeq: smallNumber,
    query: fc.oneof(
      {
        weight: 3,
        arbitrary: fc.constantFrom('message', 'mess', '"hello world"', 'from:alice hi'),
      },
      { weight: 2, arbitrary: fc.constantFrom('"', '*', 'NEAR(a b)', 'a OR b', '-x', "'", '\\') },
      nastyString,
      fc.string({ maxLength: 250 }),
    ),
    // Mostly messages that exist (the seeded ones, then the first sends).
    seq: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 12 }) }, smallNumber),
    replyTo: fc.oneof({ weight: 2, arbitrary: fc.integer({ min: 1, max: 12 }) }, smallNumber),
    afterChange: smallNumber,
    emoji: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom('👍', '❤', '🇵🇱', '👨‍👩‍👧', '1️⃣') },
      nastyString,
      fc.string({ maxLength: 3 }),
    ),
    on: fc.oneof({ weight: 3, arbitrary: fc.boolean() }, nastyNumber),
    title: fc.oneof(fc.string({ maxLength: 70 }), nastyString),
    topic: fc.oneof(fc.string({ maxLength: 40 }), nastyString),
    locked: fc.oneof({ weight: 3, arbitrary: fc.boolean() }, nastyNumber),
    slowModeSeconds: smallNumber,
    moderator: fc.oneof({ weight: 3, arbitrary: fc.boolean() }, nastyNumber),
    ban: fc.oneof(fc.constantFrom('10m', '1h', '24h', 'permanent'), nastyString),
    banId: fc.oneof(fc.uuid(), nastyString),
    limit: smallNumber,
    public: fc.oneof({ weight: 3, arbitrary: fc.boolean() }, nastyString),
    typing: fc.oneof({ weight: 3, arbitrary: fc.boolean() }, nastyNumber, nastyString),
    idle: fc.oneof({ weight: 3, arbitrary: fc.boolean() }, nastyNumber),
  };
  const extra = fc.tuple(
    fc.constantFrom('sessionId', 'ok', 'roomId', 'author', 'seq', 'kind'),
    fc.anything({ maxDepth: 1 }),
  );
  // Sends weigh more, so the writes the property accounts for happen however many events exist.
  const event = fc.oneof(
    { weight: 1, arbitrary: fc.constant(ClientEvent.MessageSend) },
    { weight: 4, arbitrary: fc.constantFrom(...events) },
  );
  return event.chain((event) => {
    const own = fc.record(
      Object.fromEntries(EVENT_FIELDS[event].map((field) => [field, fields[field]!])),
      { requiredKeys: [] },
    );
    return fc.tuple(
      fc.constant(event),
      fc.oneof(
        { weight: 6, arbitrary: own },
        {
          weight: 1,
          arbitrary: fc.tuple(own, extra).map(([body, [k, v]]) => ({ ...body, [k]: v })),
        },
        { weight: 1, arbitrary: payload },
      ),
    );
  });
}

/** Every message of a room, oldest first, paging past the store's page size. */
async function allMessages(harness: Harness, roomId: string): Promise<Message[]> {
  const messages: Message[] = [];
  for (;;) {
    const page = await harness.store.listMessages(roomId, {
      afterSeq: messages.at(-1)?.seq ?? 0,
      limit: 100,
    });
    messages.push(...page.messages);
    if (!page.hasMore || page.messages.length === 0) return messages;
  }
}

describe('fuzzing every event as a member of the room, with its real ID', () => {
  let harness: Harness;
  let roomId: string;
  let alice: TestClient;
  let fuzzer: TestClient;

  beforeAll(async () => {
    harness = await startHarness();
    const seeded = await roomWith(harness, 'Alice', 'Bob', 'Fuzzer');
    roomId = seeded.roomId;
    [alice, , fuzzer] = seeded.clients as [TestClient, TestClient, TestClient];
    expectOk(
      await alice.request(ClientEvent.MessageSend, {
        roomId,
        clientId: SEEDED_CLIENT_ID,
        text: 'kept as it is',
      }),
    );
    // Messages of the fuzzer's own and of others, to edit, delete, react and reply to.
    for (const [n, author] of [alice, fuzzer, alice, fuzzer, fuzzer].entries()) {
      expectOk(
        await author.request(ClientEvent.MessageSend, {
          roomId,
          clientId: randomUUID(),
          text: `seeded ${n}`,
        }),
      );
    }
  });
  afterAll(() => harness.close());

  it(`answers ${MEMBER_RUNS} requests with ok or a typed error, and changes only what the ok ones explain`, async () => {
    const membersBefore = await harness.store.listMembers(roomId);
    const messagesBefore = await allMessages(harness, roomId);
    const fuzzerSession = membersBefore.find((member) => member.nickname === 'Fuzzer')!.sessionId;
    const roomsBefore = (await harness.store.listRooms()).map((room) => room.roomId);
    expect(roomsBefore).toEqual([roomId]);

    const sentIds = new Set<string>();
    const createdRooms = new Set<string>();
    const renames: string[] = [];
    /** Each message an acknowledged edit, deletion or reaction was for, as its answer left it. */
    const changed = new Map<number, Message>();
    let nickname = 'Fuzzer';
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(memberRequests(roomId), async ([event, body]) => {
        // Leaving for real would end the fuzzer's membership; everything else goes.
        fc.pre(!leavesTheRoom(event, body, roomId));
        const reply = (await fuzzer.request(event, body)) as Result<Record<string, unknown>>;
        const outcome = reply.ok ? `${event} ok` : reply.error?.code;
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        if (!reply.ok) {
          expect(Object.keys(reply).sort()).toEqual(['error', 'ok']);
          expect(SERVER_CODES).toContain(reply.error.code);
          // One sentence for people: no stack frame, file position or type name.
          expect(notPlainSentence(reply.error.message), reply.error.message).toBeUndefined();
          return;
        }
        expect(reply.ok).toBe(true);
        if (event === ClientEvent.MessageSend) {
          const message = reply.message as Message;
          expect(message).toMatchObject({ roomId, kind: 'user' });
          sentIds.add(message.id);
        } else if (CHANGES.has(event)) {
          const message = reply.message as Message;
          expect(message).toMatchObject({ roomId, kind: 'user' });
          changed.set(message.seq, message);
        } else if (event === ClientEvent.NicknameChange) {
          const next = reply.nickname as string;
          if (next !== nickname) renames.push(renamedText(nickname, next));
          nickname = next;
        } else if (event === ClientEvent.RoomCreate) {
          createdRooms.add(reply.roomId as string);
        } else if (event === ClientEvent.RoomJoin) {
          // Already a member: the same membership comes back, under the current nickname.
          expect(reply).toMatchObject({ roomId, self: { nickname } });
        }
      }),
      { numRuns: MEMBER_RUNS },
    );
    console.log(
      'member fuzzing:',
      [...outcomes].map(([outcome, count]) => `${outcome} ${count}`).join(', '),
    );
    // The property exercised the writes it accounts for, not only refusals.
    expect(sentIds.size).toBeGreaterThan(5);
    expect(renames.length).toBeGreaterThan(2);
    expect(changed.size).toBeGreaterThan(2);

    // The server is still up, for the fuzzer and for the others.
    expectOk(await fuzzer.request(ClientEvent.Ping, {}));
    expectOk(await alice.request(ClientEvent.MessageHistory, { roomId, limit: 1 }));

    // Members: the same, except the fuzzer's own nickname.
    const expectedMembers = membersBefore.map((member): StoredMember =>
      member.sessionId === fuzzerSession ? { ...member, nickname } : member,
    );
    const membersAfter = await harness.store.listMembers(roomId);
    // The nickname key is the server's own normal form of the nickname: compare the rest.
    const shown = ({ roomId, sessionId, nickname, joinedAt }: StoredMember) => ({
      roomId,
      sessionId,
      nickname,
      joinedAt,
    });
    expect(membersAfter.map(shown)).toEqual(expectedMembers.map(shown));
    for (const member of membersAfter.filter((m) => m.sessionId !== fuzzerSession)) {
      expect(member).toEqual(membersBefore.find((m) => m.sessionId === member.sessionId));
    }

    // Messages: the old ones untouched but for acknowledged changes, then exactly the
    // acknowledged sends (each once) and the announcements of the acknowledged nickname
    // changes, in the order they happened. A changed message is as its last answer said
    // (nobody else changed anything); a reply's quote shows its original as it is now.
    const messagesAfter = await allMessages(harness, roomId);
    const withoutQuote = ({ replyTo, ...message }: Message) => ({
      ...message,
      replyTo: replyTo?.seq,
    });
    for (const message of messagesAfter) {
      const expected = changed.get(message.seq) ?? messagesBefore[message.seq - 1];
      if (expected) expect(withoutQuote(message)).toEqual(withoutQuote(expected));
    }
    const added = messagesAfter.slice(messagesBefore.length);
    const addedUser = added.filter((message) => message.kind === 'user');
    expect(addedUser.map((message) => message.id).sort()).toEqual([...sentIds].sort());
    expect(added.filter((message) => message.kind === 'system').map((m) => m.text)).toEqual(
      renames,
    );
    expect(added.map((message) => message.seq)).toEqual(
      added.map((_, index) => messagesBefore.length + 1 + index),
    );

    // Rooms: the seeded one, plus only rooms the fuzzer was told it created, still empty.
    for (const room of await harness.store.listRooms()) {
      if (room.roomId === roomId) continue;
      expect(createdRooms).toContain(room.roomId);
      expect(room.memberCount).toBe(0);
      expect(await allMessages(harness, room.roomId)).toEqual([]);
    }
  }, 120_000);
});

/** Whether a request is a valid `room:leave` of `roomId` (in any spelling the server forgives). */
function leavesTheRoom(event: string, value: unknown, roomId: string): boolean {
  if (event !== ClientEvent.RoomLeave) return false;
  const sent: unknown = JSON.parse(JSON.stringify(value) ?? 'null');
  const parsed = roomLeavePayload.safeParse(sent);
  if (!parsed.success) return false;
  const canonical = parseRoomId(parsed.data.roomId);
  return canonical.ok && canonical.value === roomId;
}

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
