import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../protocol/errors';
import { ClientEvent } from '../../protocol/events';
import { DEFAULT_HISTORY_PAGE, JOIN_HISTORY_LIMIT } from '../../protocol/limits';
import { HOLE_WAIT_MS } from './history-slice';
import {
  deferred,
  joinedRoom,
  joinReply,
  message,
  OTHER_ROOM,
  range,
  type Reply,
  ROOM,
  seqs,
  serveHistoryAfterSeq,
  setup,
} from './test-helpers';

describe('history slice', () => {
  describe('messageReceived', () => {
    it('ignores a message for another room', async () => {
      const { store, actions } = await joinedRoom();
      const before = store.getState().room;
      actions().messageReceived(message(3, { roomId: OTHER_ROOM }));
      expect(store.getState().room).toBe(before);
    });

    it('ignores a message while outside any room', () => {
      const { store, actions } = setup();
      actions().messageReceived(message(1));
      expect(store.getState().room).toBeNull();
    });

    it('merges messages for this room, once each and in seq order', async () => {
      const { store, actions } = await joinedRoom();
      actions().messageReceived(message(4));
      actions().messageReceived(message(3));
      actions().messageReceived(message(3));
      actions().messageReceived(message(2));
      expect(seqs(store.getState().room!.messages)).toEqual([1, 2, 3, 4]);
    });
  });

  describe('revealMessage', () => {
    it('loads older pages until the message is held, then says so', async () => {
      const { store, fake, actions } = await joinedRoom({
        messages: [message(201), message(202)],
        hasMore: true,
      });
      fake.on(ClientEvent.MessageHistory, ({ beforeSeq = 0 }) => ({
        ok: true,
        messages: range(Math.max(1, beforeSeq - 50), beforeSeq - 1).map((seq) => message(seq)),
        hasMore: beforeSeq - 50 > 1,
      }));
      expect(await actions().revealMessage(120)).toBe(true);
      expect(fake.payloadsOf(ClientEvent.MessageHistory).map((p) => p.beforeSeq)).toEqual([
        201, 151,
      ]);
      expect(store.getState().room!.messages[0]?.seq).toBe(101);
      expect(await actions().revealMessage(202)).toBe(true);
      expect(fake.payloadsOf(ClientEvent.MessageHistory)).toHaveLength(2);
    });

    it('shows a window around a message far back; newer pages lead back into the live log', async () => {
      const { store, fake, actions } = await joinedRoom({
        messages: [message(1000), message(1001)],
        hasMore: true,
      });
      fake.on(ClientEvent.MessageHistory, ({ aroundSeq, afterSeq }) => {
        if (aroundSeq !== undefined) {
          const seqsAround = range(aroundSeq - 25, aroundSeq + 24);
          return {
            ok: true,
            messages: seqsAround.map((seq) => message(seq)),
            hasMore: true,
            hasNewer: true,
          };
        }
        const last = Math.min(afterSeq! + 400, 1001);
        return {
          ok: true,
          messages: range(afterSeq! + 1, last).map((seq) => message(seq)),
          hasMore: last < 1001,
        };
      });
      expect(await actions().revealMessage(100)).toBe(true);
      expect(fake.payloadsOf(ClientEvent.MessageHistory)).toEqual([
        { roomId: ROOM, aroundSeq: 100, limit: DEFAULT_HISTORY_PAGE },
      ]);
      const room = () => store.getState().room!;
      expect(seqs(room().jump!.messages)).toEqual(range(75, 124));
      // Live messages keep arriving in the log behind the window.
      actions().messageReceived(message(1002));
      expect(seqs(room().messages)).toEqual([1000, 1001, 1002]);
      expect(room().jump?.messages).toHaveLength(50);

      await actions().loadNewer();
      expect(room().jump?.messages.at(-1)?.seq).toBe(524);
      await actions().loadNewer();
      await actions().loadNewer();
      expect(room().jump).toBeUndefined();
      expect(seqs(room().messages)).toEqual(range(75, 1002));
      expect(room().hasMore).toBe(true);
    });

    it('leaves the window for the live log on request, or to show a message the log holds', async () => {
      const { store, fake, actions } = await joinedRoom({
        messages: [message(1000), message(1001)],
        hasMore: true,
      });
      fake.on(ClientEvent.MessageHistory, () => ({
        ok: true,
        messages: [message(10)],
        hasMore: false,
        hasNewer: true,
      }));
      expect(await actions().revealMessage(10)).toBe(true);
      expect(store.getState().room!.jump).toBeDefined();
      expect(await actions().revealMessage(1001)).toBe(true);
      expect(store.getState().room!.jump).toBeUndefined();
      expect(await actions().revealMessage(10)).toBe(true);
      actions().returnToLatest();
      expect(store.getState().room!.jump).toBeUndefined();
    });

    it('says no for a message that is not there, without paging past the start', async () => {
      const { fake, actions } = await joinedRoom({ messages: [message(3), message(5)] });
      fake.on(ClientEvent.MessageHistory, () => {
        throw new Error('nothing older to load');
      });
      expect(await actions().revealMessage(4)).toBe(false);
      expect(await actions().revealMessage(1)).toBe(false);
    });
  });

  describe('loadOlder', () => {
    it('asks for the page before the first held message and puts it in front', async () => {
      const { store, fake, actions } = await joinedRoom({
        messages: [message(51), message(52)],
        hasMore: true,
      });
      const page = deferred<Reply<typeof ClientEvent.MessageHistory>>();
      fake.on(ClientEvent.MessageHistory, () => page.promise);

      const loading = actions().loadOlder();

      expect(store.getState().room?.loadingOlder).toBe(true);
      expect(fake.payloadsOf(ClientEvent.MessageHistory)).toEqual([
        { roomId: ROOM, beforeSeq: 51, limit: DEFAULT_HISTORY_PAGE },
      ]);

      page.resolve({ ok: true, messages: [message(49), message(50)], hasMore: false });
      await loading;

      expect(store.getState().room).toMatchObject({ hasMore: false, loadingOlder: false });
      expect(seqs(store.getState().room!.messages)).toEqual([49, 50, 51, 52]);
    });

    it('keeps hasMore true when the server says more remain', async () => {
      const { store, fake, actions } = await joinedRoom({ messages: [message(51)], hasMore: true });
      fake.on(ClientEvent.MessageHistory, () => ({
        ok: true,
        messages: [message(50)],
        hasMore: true,
      }));
      await actions().loadOlder();
      expect(store.getState().room?.hasMore).toBe(true);
    });

    it('does nothing when there is nothing older', async () => {
      const { store, fake, actions } = await joinedRoom({ hasMore: false });
      await actions().loadOlder();
      expect(fake.calls).toEqual([]);
      expect(store.getState().room?.loadingOlder).toBe(false);
    });

    it('sends one request while a page is already loading', async () => {
      const { fake, actions } = await joinedRoom({ messages: [message(51)], hasMore: true });
      const page = deferred<Reply<typeof ClientEvent.MessageHistory>>();
      fake.on(ClientEvent.MessageHistory, () => page.promise);

      const first = actions().loadOlder();
      await actions().loadOlder();
      page.resolve({ ok: true, messages: [message(50)], hasMore: false });
      await first;

      expect(fake.payloadsOf(ClientEvent.MessageHistory)).toHaveLength(1);
    });

    it('keeps the log and allows another try when the page fails', async () => {
      const { store, fake, actions } = await joinedRoom({ messages: [message(51)], hasMore: true });
      fake.on(ClientEvent.MessageHistory, () => ({
        ok: false,
        error: { code: ErrorCode.Timeout, message: 'The server did not answer.' },
      }));
      await actions().loadOlder();
      expect(store.getState().room).toMatchObject({ hasMore: true, loadingOlder: false });
      expect(seqs(store.getState().room!.messages)).toEqual([51]);
    });
  });

  describe('catching up after a reconnect', () => {
    it('leaves no hole in the log when more than one page was missed', async () => {
      const { store, fake, actions } = await joinedRoom({
        messages: [message(1), message(2)],
        hasMore: false,
      });
      // While this client was away, 60 more messages were posted: the server holds 1–62.
      const serverLog = range(1, 62).map((seq) => message(seq));
      fake.on(ClientEvent.RoomJoin, () =>
        joinReply({ messages: serverLog.slice(-JOIN_HISTORY_LIMIT), hasMore: true }),
      );
      fake.on(ClientEvent.MessageHistory, ({ beforeSeq, limit = DEFAULT_HISTORY_PAGE }) => {
        const older = serverLog.filter((item) => beforeSeq === undefined || item.seq < beforeSeq);
        const page = older.slice(-limit);
        return { ok: true, messages: page, hasMore: older.length > page.length };
      });

      await actions().rejoin();

      // Either the missed messages are fetched, or the held ones are dropped and the missed
      // ones stay reachable through loadOlder; the log itself never skips a seq.
      const room = store.getState().room!;
      const held = seqs(room.messages);
      expect(held).toEqual(range(held[0]!, held[held.length - 1]!));
      expect(held[held.length - 1]).toBe(62);
      expect(room.hasMore).toBe(held[0]! > 1);
    });

    it('a live message arriving ahead of the rejoin answer does not hide the hole before it', async () => {
      const { store, fake, actions } = await joinedRoom({ messages: [message(1), message(2)] });
      const serverLog = range(1, 60).map((seq) => message(seq));
      fake.on(ClientEvent.RoomJoin, () => {
        // The server subscribed us before answering: message 60 comes first, live.
        actions().messageReceived(message(60));
        return joinReply({ messages: serverLog.slice(-JOIN_HISTORY_LIMIT), hasMore: true });
      });
      serveHistoryAfterSeq(fake, serverLog);

      await actions().rejoin();

      expect(seqs(store.getState().room!.messages)).toEqual(range(1, 60));
    });

    it('fetches exactly what was missed with afterSeq and merges it without gaps', async () => {
      const { store, fake, actions } = await joinedRoom({ messages: [message(1), message(2)] });
      const serverLog = range(1, 260).map((seq) => message(seq));
      fake.on(ClientEvent.RoomJoin, () =>
        joinReply({ messages: serverLog.slice(-JOIN_HISTORY_LIMIT), hasMore: true }),
      );
      serveHistoryAfterSeq(fake, serverLog);

      await actions().rejoin();

      expect(seqs(store.getState().room!.messages)).toEqual(range(1, 260));
      expect(store.getState().room!.hasMore).toBe(false);
      // Missed: 3–210 (the fresh page starts at 211); only that range is asked for.
      const asked = fake.payloadsOf(ClientEvent.MessageHistory);
      expect(asked.map((p) => [p.afterSeq, p.limit])).toEqual([
        [2, 100],
        [102, 100],
        [202, 8],
      ]);
    });
  });

  describe('holes in the live log', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    /** A joined store whose server holds messages 1–`upTo`, served by afterSeq pages. */
    async function roomWithServerLog(upTo: number) {
      vi.useFakeTimers();
      const context = await joinedRoom({ messages: [message(1), message(2)] });
      const serverLog = range(1, upTo).map((seq) => message(seq));
      serveHistoryAfterSeq(context.fake, serverLog);
      return context;
    }

    it('waits for a message that arrives out of order instead of fetching it', async () => {
      const { store, fake, actions } = await roomWithServerLog(4);
      actions().messageReceived(message(4));
      await vi.advanceTimersByTimeAsync(HOLE_WAIT_MS / 2);
      actions().messageReceived(message(3));
      await vi.advanceTimersByTimeAsync(HOLE_WAIT_MS);

      expect(seqs(store.getState().room!.messages)).toEqual([1, 2, 3, 4]);
      expect(fake.payloadsOf(ClientEvent.MessageHistory)).toEqual([]);
    });

    it('fetches what never arrived once the hole has stayed open a while', async () => {
      const { store, fake, actions } = await roomWithServerLog(9);
      actions().messageReceived(message(5));
      actions().messageReceived(message(9));
      await vi.advanceTimersByTimeAsync(HOLE_WAIT_MS - 1);
      expect(fake.payloadsOf(ClientEvent.MessageHistory)).toEqual([]);

      await vi.advanceTimersByTimeAsync(1);

      expect(seqs(store.getState().room!.messages)).toEqual(range(1, 9));
      expect(fake.payloadsOf(ClientEvent.MessageHistory)).toEqual([
        { roomId: ROOM, afterSeq: 2, limit: 2 },
        { roomId: ROOM, afterSeq: 5, limit: 3 },
      ]);
    });

    it('leaves a hole to the next rejoin while disconnected', async () => {
      const { store, fake, actions } = await roomWithServerLog(4);
      fake.link.connected = false;
      actions().messageReceived(message(4));
      await vi.advanceTimersByTimeAsync(HOLE_WAIT_MS);

      expect(fake.payloadsOf(ClientEvent.MessageHistory)).toEqual([]);
      expect(seqs(store.getState().room!.messages)).toEqual([1, 2, 4]);
    });
  });
});
