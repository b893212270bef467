import { describe, expect, it } from 'vitest';
import { ErrorCode, failure } from '../../protocol/errors';
import { ClientEvent } from '../../protocol/events';
import { joinedRoom, OTHER_ROOM, ROOM } from './test-helpers';

const SETTINGS = { title: 'Lunch', topic: '', locked: true, slowModeSeconds: 0 };

describe('keeper slice', () => {
  it('holds the room’s settings from the join, and as the server pushes them', async () => {
    const { store, actions } = await joinedRoom();
    expect(store.getState().room!.info).toEqual({
      title: '',
      topic: '',
      locked: false,
      slowModeSeconds: 0,
    });
    actions().roomUpdated(OTHER_ROOM, SETTINGS);
    expect(store.getState().room!.info.title).toBe('');
    actions().roomUpdated(ROOM, SETTINGS);
    expect(store.getState().room!.info).toEqual(SETTINGS);
  });

  it('sends a keeper’s requests for the current room and applies the answer', async () => {
    const { store, actions, fake } = await joinedRoom();
    fake.on(ClientEvent.RoomUpdate, () => ({ ok: true, room: SETTINGS }));
    fake.on(ClientEvent.MemberRemove, () => failure(ErrorCode.NotAllowed, 'Not you.'));
    expect(await actions().updateRoom({ title: 'Lunch', locked: true })).toEqual({
      ok: true,
      value: SETTINGS,
    });
    expect(fake.payloadsOf(ClientEvent.RoomUpdate)).toEqual([
      { roomId: ROOM, title: 'Lunch', locked: true },
    ]);
    expect(store.getState().room!.info).toEqual(SETTINGS);
    expect(await actions().removeMember('Bob', '1h')).toEqual(
      failure(ErrorCode.NotAllowed, 'Not you.'),
    );
    expect(fake.payloadsOf(ClientEvent.MemberRemove)).toEqual([
      { roomId: ROOM, nickname: 'Bob', ban: '1h' },
    ]);
  });

  it('when removed by the keepers, leaves the room and keeps why until dismissed', async () => {
    const { store, actions } = await joinedRoom();
    actions().removedFrom({ roomId: ROOM, by: 'Olga', bannedUntil: null });
    expect(store.getState().room).toBeNull();
    expect(store.getState().removal).toEqual({ roomId: ROOM, by: 'Olga', bannedUntil: null });
    actions().dismissRemoval();
    expect(store.getState().removal).toBeNull();
  });
});
