import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '../../protocol/definitions';
import { ErrorCode, failure } from '../../protocol/errors';
import { ClientEvent } from '../../protocol/events';
import { HOLE_WAIT_MS } from './history-slice';
import { deferred, joinedRoom, joinReply, message, range, ROOM } from './test-helpers';

/** Message `seq` as change number `changeSeq` left it. */
const changed = (seq: number, changeSeq: number, overrides: Partial<Message> = {}) =>
  message(seq, { text: `edit ${changeSeq}`, editedAt: 'later', changeSeq, ...overrides });

describe('changes slice', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('applies a change in place and moves the room’s change number on', async () => {
    const { store, actions } = await joinedRoom({ changeSeq: 4 });
    actions().messageChanged(changed(2, 5));
    const room = store.getState().room!;
    expect(room.messages.map((m) => m.text)).toEqual(['message 1', 'edit 5']);
    expect(room.changeSeq).toBe(5);
  });

  it('keeps the later of two copies, whichever arrives last', async () => {
    const { store, actions } = await joinedRoom({ changeSeq: 4 });
    actions().messageChanged(changed(2, 6));
    actions().messageChanged(changed(2, 5));
    expect(store.getState().room!.messages[1]?.text).toBe('edit 6');
    // A page read before the change does not undo it either.
    actions().messageReceived(message(3));
    expect(store.getState().room!.messages[1]?.text).toBe('edit 6');
  });

  it('brings the quotes of replies up to date, deletions included', async () => {
    const reply = message(3, { replyTo: { seq: 1, author: 'Bob', excerpt: 'message 1' } });
    const { store, actions } = await joinedRoom({
      messages: [message(1), message(2), reply],
    });
    actions().messageChanged(message(1, { text: '', deletedAt: 'now', changeSeq: 1 }));
    expect(store.getState().room!.messages[2]?.replyTo).toEqual({
      seq: 1,
      author: 'Bob',
      excerpt: '',
      deleted: true,
    });
  });

  it('fetches a change that was skipped, if it does not arrive by itself', async () => {
    vi.useFakeTimers();
    const { store, actions, fake } = await joinedRoom({ changeSeq: 4 });
    fake.on(ClientEvent.MessageChanges, () => ({
      ok: true,
      messages: [changed(1, 5), changed(2, 6)],
      changeSeq: 6,
      hasMore: false,
    }));
    actions().messageChanged(changed(2, 6));
    expect(store.getState().room!.changeSeq).toBe(4);
    await vi.advanceTimersByTimeAsync(HOLE_WAIT_MS);
    expect(fake.payloadsOf(ClientEvent.MessageChanges)).toEqual([
      { roomId: ROOM, afterChange: 4, limit: 100 },
    ]);
    expect(store.getState().room!.messages.map((m) => m.text)).toEqual(['edit 5', 'edit 6']);
    expect(store.getState().room!.changeSeq).toBe(6);
  });

  it('does not fetch when the skipped change arrives in time', async () => {
    vi.useFakeTimers();
    const { store, actions, fake } = await joinedRoom({ changeSeq: 4 });
    actions().messageChanged(changed(2, 6));
    actions().messageChanged(changed(1, 5));
    expect(store.getState().room!.changeSeq).toBe(6);
    await vi.advanceTimersByTimeAsync(HOLE_WAIT_MS);
    expect(fake.payloadsOf(ClientEvent.MessageChanges)).toEqual([]);
  });

  it('after a rejoin, catches up from the number it held, page by page', async () => {
    const { store, actions, fake } = await joinedRoom({ changeSeq: 3 });
    fake.on(ClientEvent.RoomJoin, () => joinReply({ changeSeq: 250 }));
    const pages = [
      { messages: [changed(1, 120)], changeSeq: 103, hasMore: true },
      { messages: [changed(2, 250)], changeSeq: 250, hasMore: false },
    ];
    fake.on(ClientEvent.MessageChanges, () => ({ ok: true, ...pages.shift()! }));
    await actions().rejoin();
    await vi.waitFor(() => expect(store.getState().room!.changeSeq).toBe(250));
    expect(fake.payloadsOf(ClientEvent.MessageChanges).map((p) => p.afterChange)).toEqual([3, 103]);
    expect(store.getState().room!.messages.map((m) => m.text)).toEqual(['edit 120', 'edit 250']);
  });

  it('keeps a change to a message it does not hold yet, even when an older copy arrives after it', async () => {
    const { store, actions } = await joinedRoom({ changeSeq: 4 });
    // Through another server process, a reaction to message 3 overtakes message 3 itself.
    actions().messageChanged(changed(3, 5));
    actions().messageReceived(message(3));
    expect(store.getState().room!.messages.map((m) => m.text)).toEqual([
      'message 1',
      'message 2',
      'edit 5',
    ]);
    expect(store.getState().room!.changeSeq).toBe(5);
  });

  it('keeps a change that arrives during a rejoin while the missed messages are on their way', async () => {
    const { store, actions, fake } = await joinedRoom({ changeSeq: 4 });
    fake.on(ClientEvent.RoomJoin, () =>
      joinReply({ messages: [message(5), message(6)], changeSeq: 4 }),
    );
    // The page of missed messages was read before message 3 was edited; the edit's broadcast
    // arrives while the page is on its way.
    const page = deferred<{ ok: true; messages: Message[]; hasMore: boolean }>();
    fake.on(ClientEvent.MessageHistory, () => page.promise);
    const rejoined = actions().rejoin();
    await vi.waitFor(() => expect(fake.payloadsOf(ClientEvent.MessageHistory)).toHaveLength(1));
    actions().messageChanged(changed(3, 5));
    page.resolve({ ok: true, messages: [message(3), message(4)], hasMore: false });
    await rejoined;
    const room = store.getState().room!;
    expect(room.messages.map((m) => m.seq)).toEqual(range(1, 6));
    expect(room.messages[2]?.text).toBe('edit 5');
    expect(room.changeSeq).toBe(5);
  });

  it('keeps a change to a message in a hole while the hole is being filled', async () => {
    vi.useFakeTimers();
    const { store, actions, fake } = await joinedRoom({ changeSeq: 4 });
    const page = deferred<{ ok: true; messages: Message[]; hasMore: boolean }>();
    fake.on(ClientEvent.MessageHistory, () => page.promise);
    actions().messageReceived(message(5));
    await vi.advanceTimersByTimeAsync(HOLE_WAIT_MS);
    expect(fake.payloadsOf(ClientEvent.MessageHistory)).toHaveLength(1);
    actions().messageChanged(changed(4, 5));
    page.resolve({ ok: true, messages: [message(3), message(4)], hasMore: false });
    await vi.waitFor(() => expect(store.getState().room!.messages).toHaveLength(5));
    expect(store.getState().room!.messages.map((m) => m.text)).toEqual([
      'message 1',
      'message 2',
      'message 3',
      'edit 5',
      'message 5',
    ]);
  });

  it('leaves a change to a message older than its log to the page that brings it', async () => {
    const { store, actions } = await joinedRoom({
      messages: [message(10), message(11)],
      hasMore: true,
      changeSeq: 4,
    });
    actions().messageChanged(changed(3, 5));
    expect(store.getState().room!.messages.map((m) => m.seq)).toEqual([10, 11]);
    expect(store.getState().room!.changeSeq).toBe(5);
  });

  it('edits, deletes and reacts through the server, applying its answer', async () => {
    const { store, actions, fake } = await joinedRoom();
    fake.on(ClientEvent.MessageEdit, () => ({ ok: true, message: changed(2, 1) }));
    fake.on(ClientEvent.ReactionSet, () => ({
      ok: true,
      message: changed(2, 2, { reactions: [{ emoji: '👍', nicknames: ['Alice'] }] }),
    }));
    fake.on(ClientEvent.MessageDelete, () => failure(ErrorCode.NotYourMessage, 'Not yours.'));
    expect(await actions().editMessage(2, 'fixed')).toMatchObject({ ok: true });
    await actions().setReaction(2, '👍', true);
    expect(await actions().deleteMessage(2)).toEqual(
      failure(ErrorCode.NotYourMessage, 'Not yours.'),
    );
    expect(fake.payloadsOf(ClientEvent.MessageEdit)).toEqual([
      { roomId: ROOM, seq: 2, text: 'fixed' },
    ]);
    expect(fake.payloadsOf(ClientEvent.ReactionSet)).toEqual([
      { roomId: ROOM, seq: 2, emoji: '👍', on: true },
    ]);
    expect(store.getState().room!.messages[1]?.reactions).toEqual([
      { emoji: '👍', nicknames: ['Alice'] },
    ]);
    expect(store.getState().room!.changeSeq).toBe(2);
  });
});
