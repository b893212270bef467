import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientEvent } from '../../lib/protocol/events';
import { expectOk, roomWith, startHarness, type Harness } from '../helpers/chat-harness';

describe('rooms', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(() => harness.close());

  it('room:create returns a fresh, readable, URL-safe room ID', async () => {
    const client = await harness.connect();
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const created = await client.request(ClientEvent.RoomCreate, {});
      expect(created.ok).toBe(true);
      if (created.ok) ids.add(created.roomId);
    }
    expect(ids.size).toBe(20);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/);
  });

  it('the creator joins the new room as its first member', async () => {
    const client = await harness.connect();
    const { roomId } = expectOk(await client.request(ClientEvent.RoomCreate, {}));
    const joined = await client.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' });
    expect(joined).toMatchObject({
      ok: true,
      roomId,
      self: { nickname: 'Alice' },
      members: [{ nickname: 'Alice' }],
      hasMore: false,
    });
  });

  it('joining an unknown room gets ROOM_NOT_FOUND', async () => {
    const client = await harness.connect();
    const reply = await client.request(ClientEvent.RoomJoin, {
      roomId: 'abcd-efgh-jkmn',
      nickname: 'Alice',
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
  });

  it('a room ID is case-insensitive and may be typed without dashes', async () => {
    const { roomId } = await roomWith(harness, 'Alice');
    const bob = await harness.connect();
    const reply = await bob.request(ClientEvent.RoomJoin, {
      roomId: roomId.toUpperCase().replace(/-/g, ''),
      nickname: 'Bob',
    });
    expect(reply).toMatchObject({ ok: true, roomId });
  });

  it('something that is not a room ID is INVALID_INPUT with a readable reason', async () => {
    const client = await harness.connect();
    const reply = await client.request(ClientEvent.RoomJoin, { roomId: '../etc', nickname: 'A' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!reply.ok) expect(reply.error.message).toMatch(/room ID/);
  });
});

describe('unique nicknames', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(() => harness.close());

  it.each([
    ['Alice', 'alice'],
    ['Alice', ' ALICE '],
    ['Alice', 'Ａｌｉｃｅ'],
    ['Straße', 'STRASSE'],
  ])('after %s, %s gets NICKNAME_TAKEN', async (first, second) => {
    const { roomId } = await roomWith(harness, first);
    const other = await harness.connect();
    const reply = await other.request(ClientEvent.RoomJoin, { roomId, nickname: second });
    expect(reply).toMatchObject({ ok: false, error: { code: 'NICKNAME_TAKEN' } });
    if (!reply.ok) expect(reply.error.message).toContain('already');
  });

  it('the same nickname may be used in another room', async () => {
    await roomWith(harness, 'Alice');
    const other = await roomWith(harness, 'Alice');
    expect(other.roomId).toBeTruthy();
  });

  it('is trimmed and NFC-normalised; emoji with joiners are fine', async () => {
    const { roomId } = await roomWith(harness, 'Alice');
    const zoe = await harness.connect();
    const joined = await zoe.request(ClientEvent.RoomJoin, { roomId, nickname: '  Zoe\u0301 👩‍💻 ' });
    expect(joined).toMatchObject({ ok: true, self: { nickname: 'Zoé 👩‍💻' } });
  });

  it.each([
    ['empty', '   '],
    ['too long', 'x'.repeat(33)],
    ['zero-width space', 'Ali\u200Bce'],
    ['bidi override', '\u202Eecila'],
    ['newline', 'Ali\nce'],
    ['lone surrogate', 'Ali\uD800ce'],
  ])('a nickname that is %s is INVALID_INPUT', async (_label, nickname) => {
    const { roomId } = await roomWith(harness, 'Alice');
    const other = await harness.connect();
    const reply = await other.request(ClientEvent.RoomJoin, { roomId, nickname });
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('nobody else can take a nickname while its disconnected holder is within the grace period', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Bob');
    clients[0]!.close();
    const mallory = await harness.connect();
    const reply = await mallory.request(ClientEvent.RoomJoin, { roomId, nickname: 'alice' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'NICKNAME_TAKEN' } });
  });
});
