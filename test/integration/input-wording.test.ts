import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent } from '../../lib/protocol/events';
import { MAX_RAW_STRING_LENGTH } from '../../lib/protocol/limits';
import { startHarness, type Harness, type TestClient } from '../helpers/chat-harness';
import { notPlainSentence } from '../helpers/plain-sentence';

const ROOM = 'k3vq-8m2x-d7tp';
const CLIENT_ID = '6f1c1f0e-8c1d-4f5e-9a2b-1c2d3e4f5a6b';

/** A well-formed payload of every request, to break one field at a time. */
const VALID: Record<(typeof ClientEvent)[keyof typeof ClientEvent], Record<string, unknown>> = {
  [ClientEvent.RoomCreate]: { public: true },
  [ClientEvent.RoomJoin]: { roomId: ROOM, nickname: 'Alice' },
  [ClientEvent.RoomLeave]: { roomId: ROOM },
  [ClientEvent.RoomPreview]: { roomIds: [ROOM] },
  [ClientEvent.MessageSend]: { roomId: ROOM, clientId: CLIENT_ID, text: 'hello' },
  [ClientEvent.MessageHistory]: { roomId: ROOM, beforeSeq: 10, limit: 20 },
  [ClientEvent.MessageSearch]: { roomId: ROOM, query: 'lunch', limit: 20 },
  [ClientEvent.MessageEdit]: { roomId: ROOM, seq: 1, text: 'hello' },
  [ClientEvent.MessageDelete]: { roomId: ROOM, seq: 1 },
  [ClientEvent.ReactionSet]: { roomId: ROOM, seq: 1, emoji: '👍', on: true },
  [ClientEvent.MessageChanges]: { roomId: ROOM, afterChange: 0, limit: 20 },
  [ClientEvent.RoomUpdate]: { roomId: ROOM, title: 'Lunch', locked: true, slowModeSeconds: 10 },
  [ClientEvent.MemberRole]: { roomId: ROOM, nickname: 'Bob', moderator: true },
  [ClientEvent.MemberRemove]: { roomId: ROOM, nickname: 'Bob', ban: '1h' },
  [ClientEvent.BanList]: { roomId: ROOM },
  [ClientEvent.BanLift]: { roomId: ROOM, banId: 'b1' },
  [ClientEvent.NicknameChange]: { roomId: ROOM, nickname: 'Alice' },
  [ClientEvent.TypingSet]: { roomId: ROOM, typing: true },
  [ClientEvent.PresenceSet]: { idle: true },
  [ClientEvent.Ping]: {},
};

/** Values of the wrong kind for any field. */
const WRONG_KINDS: unknown[] = [null, 42, -1.5, 'text', '', true, [], ['a'], { a: 1 }];

/** Out-of-range values: too long, too big, negative, fractional, unsafe. */
const OUT_OF_RANGE: unknown[] = [
  'x'.repeat(MAX_RAW_STRING_LENGTH + 1),
  'é'.repeat(5_000),
  ' ',
  -1,
  0.5,
  0,
  1e9,
  2 ** 60,
];

/** Every broken variant of a request's payload, each with a label saying what was broken. */
function brokenPayloads(valid: Record<string, unknown>): Array<[string, unknown]> {
  const cases: Array<[string, unknown]> = [
    ['no payload', undefined],
    ['null payload', null],
    ['a number for a payload', 7],
    ['text for a payload', 'hello'],
    ['a list for a payload', [valid]],
    ['an unknown field', { ...valid, admin: true }],
  ];
  for (const field of Object.keys(valid)) {
    const rest = { ...valid };
    delete rest[field];
    cases.push([`${field} missing`, rest]);
    for (const value of [...WRONG_KINDS, ...OUT_OF_RANGE]) {
      cases.push([
        `${field} = ${JSON.stringify(value)?.slice(0, 20)}`,
        { ...valid, [field]: value },
      ]);
    }
  }
  return cases;
}

describe('what a refused request says', () => {
  let harness: Harness;
  let client: TestClient;
  beforeAll(async () => {
    harness = await startHarness();
    client = await harness.connect();
  });
  afterAll(async () => {
    await harness.close();
  });

  it('every INVALID_INPUT, and every other refusal, is a plain sentence for a person', async () => {
    const offences: string[] = [];
    let refused = 0;
    for (const [event, valid] of Object.entries(VALID)) {
      for (const [label, payload] of brokenPayloads(valid)) {
        const reply = await (payload === undefined
          ? client.request(event as keyof typeof VALID)
          : client.request(event as keyof typeof VALID, payload));
        if (reply.ok) continue;
        refused++;
        const problem = notPlainSentence(reply.error.message);
        if (problem) offences.push(`${event}, ${label}: ${problem}: “${reply.error.message}”`);
      }
    }
    expect(offences).toEqual([]);
    expect(refused).toBeGreaterThan(300);
  });

  it.each([
    [ClientEvent.RoomJoin, { roomId: ROOM }, 'Please choose a nickname.'],
    [
      ClientEvent.RoomJoin,
      { roomId: ROOM, nickname: 5 },
      'A nickname must be written in letters, digits or symbols.',
    ],
    [ClientEvent.RoomJoin, { nickname: 'Alice' }, 'Say which room this is for.'],
    [ClientEvent.MessageSend, { roomId: ROOM, clientId: CLIENT_ID }, 'A message cannot be empty.'],
    [
      ClientEvent.MessageSend,
      { roomId: ROOM, clientId: CLIENT_ID, text: 'x'.repeat(MAX_RAW_STRING_LENGTH + 1) },
      'A message can be at most 4,000 characters long.',
    ],
    [
      ClientEvent.MessageHistory,
      { roomId: ROOM, beforeSeq: 5, afterSeq: 1 },
      'Ask for messages before a point, after it or around it: one of them.',
    ],
    [
      ClientEvent.MessageHistory,
      { roomId: ROOM, aroundSeq: 5, afterSeq: 1 },
      'Ask for messages before a point, after it or around it: one of them.',
    ],
    [
      ClientEvent.MessageHistory,
      { roomId: ROOM, limit: 500 },
      'A page of history holds 1 to 100 messages.',
    ],
    [ClientEvent.Ping, { extra: 1 }, 'This request has fields the server does not know.'],
  ])('%s: case %#', async (event, payload, sentence) => {
    expect(await client.request(event, payload)).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: sentence },
    });
  });
});
