import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../lib/protocol/errors';
import { ClientEvent } from '../../lib/protocol/events';
import { MAX_PREVIEW_ROOMS } from '../../lib/protocol/limits';
import {
  eventually,
  expectOk,
  roomWith,
  startHarness,
  type Harness,
} from '../helpers/chat-harness';

describe('room:preview', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness({ memberGraceMs: 100 });
  });
  afterEach(() => harness.close());

  it('says whether each room is open, how full, its title, and whether the asker is in it', async () => {
    const { roomId, clients } = await roomWith(harness, 'Olga', 'Bob');
    const [olga] = clients;
    expectOk(await olga!.request(ClientEvent.RoomUpdate, { roomId, title: 'Book club' }));
    const visitor = await harness.connect();
    const publicRoom = expectOk(await visitor.request(ClientEvent.RoomCreate, { public: true }));

    const asked = [roomId.toUpperCase(), publicRoom.roomId, 'zzzz-zzzz-zzzz'];
    const seenByVisitor = expectOk(
      await visitor.request(ClientEvent.RoomPreview, { roomIds: asked }),
    );
    expect(seenByVisitor.rooms).toEqual([
      { roomId, open: true, title: 'Book club', public: false, memberCount: 2, member: false },
      {
        roomId: publicRoom.roomId,
        open: true,
        title: '',
        public: true,
        memberCount: 0,
        member: false,
      },
      { roomId: 'zzzz-zzzz-zzzz', open: false },
    ]);
    const seenByOlga = expectOk(
      await olga!.request(ClientEvent.RoomPreview, { roomIds: [roomId] }),
    );
    expect(seenByOlga.rooms[0]).toMatchObject({ open: true, member: true });
  });

  it('says a room closed once its last member has gone', async () => {
    const { roomId, clients } = await roomWith(harness, 'Olga');
    expectOk(await clients[0]!.request(ClientEvent.RoomLeave, { roomId }));
    const visitor = await harness.connect();
    await eventually(async () => {
      const answer = expectOk(
        await visitor.request(ClientEvent.RoomPreview, { roomIds: [roomId] }),
      );
      return !answer.rooms[0]!.open;
    });
  });

  it('refuses a malformed list in words', async () => {
    const visitor = await harness.connect();
    const tooMany = Array.from({ length: MAX_PREVIEW_ROOMS + 1 }, () => 'abcd-efgh-jkmn');
    for (const roomIds of [[], tooMany, ['not a room'], 'abcd-efgh-jkmn']) {
      const reply = await visitor.request(ClientEvent.RoomPreview, { roomIds } as never);
      expect(reply.ok).toBe(false);
      if (!reply.ok) {
        expect(reply.error.code).toBe(ErrorCode.InvalidInput);
        expect(reply.error.message).toMatch(/room/i);
      }
    }
  });
});
