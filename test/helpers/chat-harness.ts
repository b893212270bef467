import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connectClient, type Socket } from 'socket.io-client';
import {
  ClientEvent,
  ServerEvent,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../../lib/protocol/events';
import type { Member } from '../../lib/protocol/definitions';
import type { Ok, Result } from '../../lib/protocol/errors';
import type { RequestResult } from '../../lib/client/transport';
import type { ConnectionCapSettings } from '../../lib/server/connection-cap';
import { createChatServer, type ChatApp } from '../../lib/server/create-chat-server';
import { type Logger, silentLogger } from '../../lib/server/logger';
import { RateLimits, type RateLimitSettings } from '../../lib/server/rate-limits';
import { uploadRoutes } from '../../lib/server/upload-routes';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../../lib/protocol/limits';
import { SqliteStore } from '../../lib/store/sqlite-store';
import type { Store } from '../../lib/store/store';

/** A test client: a typed socket plus helpers to make requests and await events. */
export interface TestClient {
  socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  /** The session token this client authenticates with. */
  token: string;
  /**
   * Emits a request and resolves with its acknowledgement (rejects after a timeout). The
   * payload is `unknown` so tests can send anything; without one, only the callback is sent.
   */
  request<E extends keyof ClientToServerEvents>(
    event: E,
    ...payload: [] | [unknown]
  ): Promise<RequestResult<E>>;
  /** Resolves with the next `event` payload matching `predicate`. */
  next<T = unknown>(event: string, predicate?: (payload: T) => boolean): Promise<T>;
  /** Every payload of `event` received since the client connected. */
  received<T = unknown>(event: string): T[];
  close(): void;
}

export interface Harness {
  url: string;
  store: Store;
  chat: ChatApp;
  httpServer: HttpServer;
  /**
   * Connects a client; with a token it resumes that session, without one it gets a new one.
   * `localAddress` (another loopback address, say 127.0.0.2) makes it a different client
   * address for the server.
   */
  connect(options?: {
    token?: string;
    extraHeaders?: Record<string, string>;
    localAddress?: string;
  }): Promise<TestClient>;
  close(): Promise<void>;
}

const EVENT_TIMEOUT_MS = 5_000;

/** The production defaults; harnesses turn limits off unless a test is about them. */
export const DEFAULT_TEST_LIMITS: RateLimitSettings = {
  enabled: true,
  messagesPerSecond: 5,
  changesPerSecond: 5,
  historyPagesPerSecond: 10,
  joinsPerMinute: 10,
  renamesPerMinute: 5,
  uploadsPerMinute: 20,
  perIpMultiplier: 10,
};

/**
 * Starts the real chat server on a free port with the default backend (SQLite, here in memory)
 * or the store given, and hands out socket.io-client connections to it.
 */
export async function startHarness(
  options: {
    memberGraceMs?: number;
    store?: Store;
    rateLimits?: RateLimitSettings;
    allowedOrigins?: string[];
    lobbyStatsIntervalMs?: number;
    connectionCap?: ConnectionCapSettings;
    trustProxy?: boolean;
    logger?: Logger;
    clock?: () => Date;
    maxUploadBytes?: number;
  } = {},
) {
  const httpServer = createServer();
  const store = options.store ?? SqliteStore.open(':memory:');
  const rateLimits = new RateLimits(
    options.rateLimits ?? { ...DEFAULT_TEST_LIMITS, enabled: false },
  );
  const chat = createChatServer(httpServer, {
    store,
    logger: options.logger ?? silentLogger,
    memberGraceMs: options.memberGraceMs ?? 300,
    clock: options.clock ?? (() => new Date()),
    randomBytes,
    newMessageId: randomUUID,
    rateLimits,
    allowedOrigins: options.allowedOrigins ?? [],
    trustProxy: options.trustProxy ?? false,
    lobbyStatsIntervalMs: options.lobbyStatsIntervalMs,
    connectionCap: options.connectionCap,
  });
  // Pictures go over plain HTTP, as in server.ts; anything else here is not found.
  const uploads = uploadRoutes({
    store,
    sessions: chat.sessions,
    rateLimits,
    logger: options.logger ?? silentLogger,
    maxUploadBytes: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    allowedOrigins: options.allowedOrigins ?? [],
    trustProxy: options.trustProxy ?? false,
    clock: options.clock ?? (() => new Date()),
  });
  httpServer.on('request', (req, res) => {
    if (req.url?.startsWith('/socket.io/') || uploads.handle(req, res)) return;
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const clients: TestClient[] = [];

  const harness: Harness = {
    url,
    store,
    chat,
    httpServer,
    async connect(connectOptions = {}) {
      const client = await connectTestClient(url, connectOptions);
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.close();
      await chat.close();
      await uploads.close();
      await store.close();
    },
  };
  return harness;
}

/** Connects one socket.io-client to `url` and waits until it is identified. */
export async function connectTestClient(
  url: string,
  options: {
    token?: string;
    extraHeaders?: Record<string, string>;
    transports?: Array<'websocket' | 'polling'>;
    localAddress?: string;
  } = {},
): Promise<TestClient> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connectClient(url, {
    transports: options.transports ?? ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: options.token ? { token: options.token } : {},
    extraHeaders: options.extraHeaders,
    // Passed through to the WebSocket (ws) in Node, though socket.io-client does not type it.
    ...(options.localAddress ? ({ localAddress: options.localAddress } as object) : {}),
  });
  const log = new Map<string, unknown[]>();
  const waiters = new Set<{
    event: string;
    test: (payload: unknown) => boolean;
    resolve: (payload: unknown) => void;
  }>();
  socket.onAny((event: string, payload: unknown) => {
    log.set(event, [...(log.get(event) ?? []), payload]);
    for (const waiter of waiters) {
      if (waiter.event === event && waiter.test(payload)) {
        waiters.delete(waiter);
        waiter.resolve(payload);
      }
    }
  });

  const next = <T>(event: string, predicate: (payload: T) => boolean = () => true) =>
    new Promise<T>((resolve, reject) => {
      const waiter = {
        event,
        test: predicate as (payload: unknown) => boolean,
        resolve: resolve as (payload: unknown) => void,
      };
      waiters.add(waiter);
      setTimeout(() => {
        if (waiters.delete(waiter)) reject(new Error(`timed out waiting for ${event}`));
      }, EVENT_TIMEOUT_MS).unref();
    });

  const issued = options.token ? undefined : next<{ token: string }>(ServerEvent.Session);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const token = options.token ?? (await issued!).token;

  return {
    socket,
    token,
    request: (event, ...payload) =>
      (socket.timeout(EVENT_TIMEOUT_MS).emitWithAck as (...a: unknown[]) => Promise<never>)(
        event,
        ...payload,
      ),
    next,
    received: <T>(event: string) => (log.get(event) ?? []) as T[],
    close: () => socket.disconnect(),
  };
}

/** Resolves when `condition` holds, polling; for states with no event to wait on. */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Creates a room and joins one new client per nickname, in order. */
export async function roomWith(harness: Harness, ...nicknames: string[]) {
  const clients: TestClient[] = [];
  let roomId = '';
  for (const nickname of nicknames) {
    const client = await harness.connect();
    if (!roomId) {
      roomId = expectOk(await client.request(ClientEvent.RoomCreate, {})).roomId;
    }
    // The room hears of a join after the newcomer's answer: wait until it has, so that a
    // test's next expectation is not met by this join's own member list.
    const told = clients.map((member) =>
      member.next<{ members: Member[] }>(ServerEvent.MembersUpdate, (update) =>
        update.members.some((listed) => listed.nickname === nickname),
      ),
    );
    expectOk(await client.request(ClientEvent.RoomJoin, { roomId, nickname }));
    await Promise.all(told);
    clients.push(client);
  }
  return { roomId, clients };
}

/** Asserts that an acknowledgement succeeded and narrows it to its success fields. */
export function expectOk<T extends object>(reply: Result<T>): Ok<T> {
  if (!reply.ok) throw new Error(`expected ok, got ${reply.error.code}: ${reply.error.message}`);
  return reply;
}
