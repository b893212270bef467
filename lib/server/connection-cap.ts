import type { ExtendedError } from 'socket.io';
import { ErrorCode, type ErrorBody } from '../protocol/errors';
import { connectionFacts } from './handshake-facts';
import { errorFields, type Logger } from './logger';
import type { RedisClient } from './redis';
import type { ChatServer, ChatSocket } from './socket-types';
import { roomIdOf } from './socket-rooms';

/**
 * How many connections one address may hold open at once. Every transport connection counts,
 * whether or not it ever joins a room, from the moment it opens until it closes.
 */
export interface ConnectionCounts {
  /** Counts a connection from `address`; false, and not counted, when the address is full. */
  open(address: string): Promise<boolean>;
  /** Forgets a connection `open` counted. */
  close(address: string): void;
  /** Stops background work (the Redis heartbeat). */
  stop(): void;
}

/** What a refused client reads in its `connect_error` (`error.message`, `error.data`). */
export function tooManyConnections(cap: number, retryAfterMs = 10_000): ErrorBody {
  return {
    code: ErrorCode.TooManyConnections,
    message:
      `Too many connections from your address (at most ${cap.toLocaleString('en-US')} at ` +
      'once). Close some tabs or try again later.',
    retryAfterMs,
  };
}

/** The counts of this process alone (no Redis). */
export class LocalConnectionCounts implements ConnectionCounts {
  private readonly counts = new Map<string, number>();

  constructor(private readonly cap: number) {}

  async open(address: string): Promise<boolean> {
    const count = this.counts.get(address) ?? 0;
    if (count >= this.cap) return false;
    this.counts.set(address, count + 1);
    return true;
  }

  close(address: string): void {
    const count = (this.counts.get(address) ?? 0) - 1;
    if (count > 0) this.counts.set(address, count);
    else this.counts.delete(address);
  }

  stop(): void {}
}

/** A process that has not beaten its heart for this long is dead; its counts no longer count. */
const PROCESS_TTL_MS = 30_000;
const HEARTBEAT_MS = 10_000;
/** An address's counts are dropped this long after they last changed (a safety net). */
const ADDRESS_TTL_SECONDS = 24 * 60 * 60;

/** Redis time in milliseconds, inside a script. */
const NOW_MS = `local t = redis.call('TIME'); local now = t[1] * 1000 + math.floor(t[2] / 1000)`;

/**
 * KEYS: the address's hash (process → count), the live processes (sorted by last heartbeat).
 * ARGV: this process, the cap. Sums the counts of live processes (dropping dead ones) and
 * adds one for this process unless the sum is at the cap. Returns 1 when counted, else 0.
 */
const OPEN_SCRIPT = `
${NOW_MS}
local counts = redis.call('HGETALL', KEYS[1])
local total = 0
for i = 1, #counts, 2 do
  local beat = redis.call('ZSCORE', KEYS[2], counts[i])
  if beat and tonumber(beat) >= now - ${PROCESS_TTL_MS} then
    total = total + tonumber(counts[i + 1])
  else
    redis.call('HDEL', KEYS[1], counts[i])
  end
end
if total >= tonumber(ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('EXPIRE', KEYS[1], ${ADDRESS_TTL_SECONDS})
return 1`;

/** KEYS: the address's hash. ARGV: this process. Takes one off this process's count. */
const CLOSE_SCRIPT = `
if redis.call('HINCRBY', KEYS[1], ARGV[1], -1) <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return 1`;

/** KEYS: the live processes. ARGV: this process. Marks it alive and forgets long-dead ones. */
const HEARTBEAT_SCRIPT = `
${NOW_MS}
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 10 * ${PROCESS_TTL_MS})
return 1`;

/**
 * Counts shared by every process through Redis: each process keeps its own count per address
 * in one hash, and a process that stops beating its heart (it died) stops counting. When
 * Redis cannot be reached a connection is let in (and logged): the cap is a guard, not a gate.
 */
export class RedisConnectionCounts implements ConnectionCounts {
  private readonly heartbeat: NodeJS.Timeout;
  private readonly processes: string;

  private constructor(
    private readonly client: RedisClient,
    private readonly keyPrefix: string,
    private readonly processId: string,
    private readonly cap: number,
    private readonly logger: Logger,
  ) {
    this.processes = `${keyPrefix}:connection-processes`;
    this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Starts counting for this process; resolves once it is known to be alive. */
  static async start(options: {
    client: RedisClient;
    keyPrefix: string;
    processId: string;
    cap: number;
    logger: Logger;
  }): Promise<RedisConnectionCounts> {
    const { client, keyPrefix, processId, cap, logger } = options;
    const counts = new RedisConnectionCounts(client, keyPrefix, processId, cap, logger);
    await counts.beat();
    return counts;
  }

  async open(address: string): Promise<boolean> {
    try {
      const counted = await this.client.eval(OPEN_SCRIPT, {
        keys: [this.addressKey(address), this.processes],
        arguments: [this.processId, String(this.cap)],
      });
      return counted === 1;
    } catch (error) {
      this.logger.warn({ address, ...errorFields(error) }, 'connection count unavailable');
      return true;
    }
  }

  close(address: string): void {
    this.client
      .eval(CLOSE_SCRIPT, { keys: [this.addressKey(address)], arguments: [this.processId] })
      .catch((error: unknown) =>
        this.logger.warn({ address, ...errorFields(error) }, 'connection count unavailable'),
      );
  }

  stop(): void {
    clearInterval(this.heartbeat);
  }

  private addressKey(address: string): string {
    return `${this.keyPrefix}:connections:${address}`;
  }

  private async beat(): Promise<void> {
    try {
      await this.client.eval(HEARTBEAT_SCRIPT, {
        keys: [this.processes],
        arguments: [this.processId],
      });
    } catch (error) {
      this.logger.warn(errorFields(error), 'connection count heartbeat failed');
    }
  }
}

/** What the cap needs to know: the counts, the cap, and how long a silent newcomer may stay. */
export interface ConnectionCapSettings {
  counts: ConnectionCounts;
  cap: number;
  /** A socket that joins no room and sends no request for this long is closed. */
  unjoinedTimeoutMs: number;
  /** When a refused client should try again (10 s unless set). */
  retryAfterMs?: number;
}

const admitted = new WeakMap<object, Promise<boolean>>();

/**
 * Counts every transport connection by address from the moment it opens (a connection that
 * never speaks Socket.IO counts too, until Socket.IO's own connect timeout closes it), and
 * returns the handshake middleware that refuses one over the cap with a clear `connect_error`
 * and closes it. Call before `keepHandshakeFacts`' listener has dropped the request (it keeps
 * the address), i.e. right after it.
 */
export function capConnections(io: ChatServer, settings: ConnectionCapSettings) {
  io.engine.on('connection', (connection: { once(event: 'close', listener: () => void): void }) => {
    const { address } = connectionFacts(connection);
    const counted = settings.counts.open(address);
    admitted.set(connection, counted);
    connection.once('close', () => {
      void counted.then((wasCounted) => wasCounted && settings.counts.close(address));
    });
  });
  return async (
    socket: Pick<ChatSocket, 'conn'>,
    next: (error?: ExtendedError) => void,
  ): Promise<void> => {
    if ((await admitted.get(socket.conn)) !== false) return next();
    const body = tooManyConnections(settings.cap, settings.retryAfterMs);
    next(Object.assign(new Error(body.message), { data: body }));
    // The refusal goes out first: closing waits for the queued packet to be written.
    setImmediate(() => socket.conn.close());
  };
}

/**
 * Closes the transport of a socket that is in no chat room and sent no request for a whole
 * `timeoutMs`: a held-open idle connection costs memory and a place under the cap. A tab that
 * is still open reconnects by itself and is counted anew; a member in a room is never closed.
 * Returns the function to call whenever the socket sends a request.
 */
export function closeWhenSilent(socket: ChatSocket, timeoutMs: number): () => void {
  let spoke = false;
  const timer = setInterval(() => {
    const inRoom = [...socket.rooms].some((room) => roomIdOf(room) !== undefined);
    if (!spoke && !inRoom) socket.conn.close();
    spoke = false;
  }, timeoutMs);
  timer.unref();
  socket.once('disconnect', () => clearInterval(timer));
  return () => {
    spoke = true;
  };
}
