import type { Message } from '../../protocol/definitions';
import type { Failure } from '../../protocol/errors';
import { ClientEvent, type ClientToServerEvents, type RoomJoinResult } from '../../protocol/events';
import { DEFAULT_HISTORY_PAGE } from '../../protocol/limits';
import { createChatStore } from '../chat-store';
import type { OutboxStorage } from '../outbox';
import type { ChatTransport, RequestPayload, RequestResult } from '../transport';

// Shared by the store's slice tests: a fake transport, sample messages and joined stores.

export const ROOM = 'abcd-efgh-jkmn';
export const OTHER_ROOM = 'zzzz-zzzz-zzzz';
export const NOW = '2025-01-01T12:00:00.000Z';

export const CLIENT_ID_1 = '00000000-0000-4000-8000-000000000001';
export const CLIENT_ID_2 = '00000000-0000-4000-8000-000000000002';

type EventName = keyof ClientToServerEvents;
/** What the fake server may answer to `E`: its acknowledgement, or a failure. */
export type Reply<E extends EventName> = RequestResult<E> | Failure;
type Handler<E extends EventName> = (payload: RequestPayload<E>) => Reply<E> | Promise<Reply<E>>;

/** A user message in ROOM by Bob, numbered `seq`. */
export function message(seq: number, overrides: Partial<Message> = {}): Message {
  return {
    id: `m${seq}`,
    roomId: ROOM,
    seq,
    kind: 'user',
    author: 'Bob',
    text: `message ${seq}`,
    createdAt: new Date(Date.UTC(2025, 0, 1, 11, 0, seq)).toISOString(),
    ...overrides,
  };
}

/** The whole numbers from `from` to `to`, both included. */
export const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => from + index);

/** The sequence numbers of `messages`, in order. */
export const seqs = (messages: readonly Message[]) => messages.map((item) => item.seq);

/** A promise and the function that resolves it, to answer a request when the test says. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/** A transport that records every request and answers with the handler set for its event. */
export function fakeTransport() {
  const calls: { event: EventName; payload: unknown }[] = [];
  // A rejoin catches up on changes: by default there were none.
  const noChanges: Handler<typeof ClientEvent.MessageChanges> = ({ afterChange }) => ({
    ok: true,
    messages: [],
    changeSeq: afterChange,
    hasMore: false,
  });
  const handlers: Partial<Record<EventName, unknown>> = {
    [ClientEvent.MessageChanges]: noChanges,
  };
  const link = { connected: true };
  const transport: ChatTransport = {
    isConnected: () => link.connected,
    async request(event, payload) {
      calls.push({ event, payload });
      const handler = handlers[event] as Handler<typeof event> | undefined;
      if (!handler) throw new Error(`unexpected request ${event}`);
      return handler(payload);
    },
  };
  return {
    transport,
    calls,
    link,
    on<E extends EventName>(event: E, handler: Handler<E>) {
      handlers[event] = handler;
    },
    payloadsOf<E extends EventName>(event: E): RequestPayload<E>[] {
      return calls
        .filter((call) => call.event === event)
        .map((call) => call.payload as RequestPayload<E>);
    },
  };
}

/** The fake server answers `message:history` from `serverLog`, by afterSeq pages. */
export function serveHistoryAfterSeq(
  fake: ReturnType<typeof fakeTransport>,
  serverLog: readonly Message[],
): void {
  fake.on(ClientEvent.MessageHistory, ({ afterSeq = 0, limit = DEFAULT_HISTORY_PAGE }) => {
    const newer = serverLog.filter((item) => item.seq > afterSeq);
    return {
      ok: true,
      messages: newer.slice(0, limit),
      hasMore: newer.length > limit,
      changeSeq: 0,
    };
  });
}

/** A successful join of ROOM as Alice, with Bob there and messages 1–2. */
export function joinReply(
  overrides: Partial<RoomJoinResult> = {},
): Reply<typeof ClientEvent.RoomJoin> {
  return {
    ok: true,
    roomId: ROOM,
    self: { nickname: 'Alice', authorKey: 'key-alice' },
    members: [
      { nickname: 'Alice', authorKey: 'key-alice', presence: 'active' },
      { nickname: 'Bob', authorKey: 'key-bob', presence: 'active' },
    ],
    messages: [message(1), message(2)],
    hasMore: false,
    changeSeq: 0,
    room: { title: '', topic: '', locked: false, slowModeSeconds: 0 },
    ...overrides,
  };
}

/** A new store on a fake transport, with numbered client IDs and a fixed clock. */
export function setup(
  extra: { outbox?: OutboxStorage; monotonic?: () => number; clock?: () => Date } = {},
) {
  const fake = fakeTransport();
  let issued = 0;
  const store = createChatStore({
    transport: fake.transport,
    newClientId: () => `00000000-0000-4000-8000-${String(++issued).padStart(12, '0')}`,
    clock: () => new Date(NOW),
    ...extra,
  });
  return { store, fake, actions: () => store.getState() };
}

/** A store that has joined ROOM with the given join acknowledgement. */
export async function joinedRoom(
  overrides: Partial<RoomJoinResult> = {},
  extra: Parameters<typeof setup>[0] = {},
) {
  const context = setup(extra);
  context.fake.on(ClientEvent.RoomJoin, () => joinReply(overrides));
  await context.actions().joinRoom(ROOM, 'Alice');
  context.fake.calls.length = 0;
  return context;
}
