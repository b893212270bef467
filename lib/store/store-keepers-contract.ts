import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lookKeys } from '../chat/nickname';
import type { StoreFixture } from './store-contract';
import type { Store } from './store';

const NOW = '2026-01-01T00:00:00.000Z';
const LATER = '2026-01-01T00:00:05.000Z';

/**
 * What every backend does for the keepers of a room: ownership and its succession, roles,
 * settings, removals and bans, locks and slow mode. Run with `describeStoreContract`.
 */
export function describeKeepersContract(backend: string, makeFixture: () => Promise<StoreFixture>) {
  describe(`${backend} store: running a room`, () => {
    let fixture: StoreFixture;
    let store: Store;
    let roomId: string;

    const claim = (sessionId: string, nickname: string, addressKey = `addr-${sessionId}`) =>
      store.claimMember({
        roomId,
        sessionId,
        nickname,
        nicknameKey: nickname.toLowerCase(),
        lookKeys: lookKeys(nickname),
        joinedAt: NOW,
        addressKey,
      });
    const roles = async () =>
      (await store.listMembers(roomId)).map((member) => `${member.nickname}:${member.role}`);

    beforeEach(async () => {
      fixture = await makeFixture();
      store = await fixture.open();
      roomId = `room-${randomUUID().slice(0, 8)}`;
      await store.createRoom(roomId, NOW, { ownerSessionId: 'own' });
      await claim('own', 'Olga');
      await claim('m1', 'Max');
      await claim('m2', 'Mia');
    });
    afterEach(async () => {
      await store.close();
      await fixture.destroy();
    });

    it('the creator owns the room; the owner names moderators', async () => {
      expect(await roles()).toEqual(['Olga:owner', 'Max:member', 'Mia:member']);
      const named = await store.setRole({
        roomId,
        sessionId: 'own',
        targetKey: 'max',
        moderator: true,
      });
      expect(named).toMatchObject({ status: 'done', changed: true, by: 'Olga' });
      expect(
        await store.setRole({ roomId, sessionId: 'm1', targetKey: 'mia', moderator: true }),
      ).toEqual({ status: 'not-allowed' });
      expect(await roles()).toEqual(['Olga:owner', 'Max:moderator', 'Mia:member']);
    });

    it('hands the room to the first moderator when the owner leaves, else to the longest there', async () => {
      await store.setRole({ roomId, sessionId: 'own', targetKey: 'mia', moderator: true });
      expect(await store.removeMember(roomId, 'own')).toMatchObject({
        newOwner: { nickname: 'Mia', role: 'owner' },
      });
      expect(await roles()).toEqual(['Max:member', 'Mia:owner']);
      expect(await store.removeMember(roomId, 'm2')).toMatchObject({
        newOwner: { nickname: 'Max' },
      });
      expect(await store.removeMember(roomId, 'm1')).toEqual({
        member: expect.objectContaining({ nickname: 'Max' }),
        remaining: 0,
      });
    });

    it('settings change for keepers only, and a lock keeps newcomers out', async () => {
      expect(await store.updateRoom({ roomId, sessionId: 'm1', locked: true })).toEqual({
        status: 'not-allowed',
      });
      expect(
        await store.updateRoom({ roomId, sessionId: 'own', title: 'Lunch', locked: true }),
      ).toMatchObject({
        status: 'done',
        room: { title: 'Lunch', topic: '', locked: true, slowModeSeconds: 0 },
        before: { title: '', locked: false },
      });
      expect(await claim('new', 'Ned')).toEqual({ status: 'locked' });
      expect(await claim('m1', 'Max')).toMatchObject({ status: 'already-member' });
      expect(await store.roomInfo(roomId)).toMatchObject({ locked: true, ownerSessionId: 'own' });
    });

    it('a ban removes the member and keeps its session and address out until lifted', async () => {
      const ban = { banId: 'b1', bannedAt: NOW, until: '2026-01-01T01:00:00.000Z' };
      const removed = await store.removeByKeeper({
        roomId,
        sessionId: 'own',
        targetKey: 'mia',
        ban,
      });
      expect(removed).toMatchObject({
        status: 'done',
        member: { nickname: 'Mia' },
        remaining: 2,
        ban: { banId: 'b1', nickname: 'Mia', bannedBy: 'Olga', until: ban.until },
      });
      expect(await claim('m2', 'Mia')).toEqual({ status: 'banned', until: ban.until });
      expect(await claim('fresh', 'Fay', 'addr-m2')).toEqual({
        status: 'banned',
        until: ban.until,
      });
      expect(await claim('far', 'Fred', 'addr-far')).toMatchObject({ status: 'joined' });
      expect(await store.listBans(roomId, 'own', NOW)).toMatchObject({
        status: 'done',
        bans: [{ banId: 'b1', nickname: 'Mia' }],
      });
      expect(await store.listBans(roomId, 'own', ban.until)).toEqual({ status: 'done', bans: [] });
      expect(await store.liftBan(roomId, 'far', 'b1')).toEqual({ status: 'not-allowed' });
      expect(await store.liftBan(roomId, 'own', 'b1')).toEqual({
        status: 'done',
        nickname: 'Mia',
        by: 'Olga',
      });
      expect(await store.liftBan(roomId, 'own', 'b1')).toEqual({ status: 'no-target' });
      expect(await claim('m2', 'Mia')).toMatchObject({ status: 'joined' });
    });

    it('moderators remove members only, never the owner or each other', async () => {
      await store.setRole({ roomId, sessionId: 'own', targetKey: 'max', moderator: true });
      await store.setRole({ roomId, sessionId: 'own', targetKey: 'mia', moderator: true });
      const by = (sessionId: string, targetKey: string) =>
        store.removeByKeeper({ roomId, sessionId, targetKey });
      expect(await by('m1', 'olga')).toEqual({ status: 'not-allowed' });
      expect(await by('m1', 'mia')).toEqual({ status: 'not-allowed' });
      expect(await by('own', 'own')).toEqual({ status: 'no-target' });
      expect(await by('own', 'olga')).toEqual({ status: 'not-allowed' });
      expect(await by('own', 'nobody')).toEqual({ status: 'no-target' });
      expect(await by('own', 'mia')).toMatchObject({ status: 'done' });
    });

    it('slow mode holds members to one message per period; keepers write freely', async () => {
      await store.updateRoom({ roomId, sessionId: 'own', slowModeSeconds: 10 });
      const say = (sessionId: string, createdAt: string) =>
        store.appendUserMessage({
          id: randomUUID(),
          roomId,
          sessionId,
          clientId: randomUUID(),
          text: 'hi',
          createdAt,
        });
      expect(await say('m1', NOW)).toMatchObject({ status: 'stored' });
      expect(await say('m1', LATER)).toEqual({ status: 'slow', retryAfterMs: 5_000 });
      expect(await say('m2', LATER)).toMatchObject({ status: 'stored' });
      expect(await say('own', NOW)).toMatchObject({ status: 'stored' });
      expect(await say('own', LATER)).toMatchObject({ status: 'stored' });
    });
  });
}
