import type { ClientToServerEvents } from '../protocol/events';
import { ErrorCode, type Failure, failure, type Result } from '../protocol/errors';
import type { ChatClientSocket } from './socket';

/** The payload a request event takes. */
export type RequestPayload<E extends keyof ClientToServerEvents> = Parameters<
  ClientToServerEvents[E]
>[0];

/** The acknowledgement a request event gets from the server. */
export type RequestResult<E extends keyof ClientToServerEvents> =
  Parameters<Parameters<ClientToServerEvents[E]>[1]>[0] extends Result<infer T> ? Result<T> : never;

/** Sends a request and resolves with its acknowledgement; never rejects. */
export interface ChatTransport {
  request<E extends keyof ClientToServerEvents>(
    event: E,
    payload: RequestPayload<E>,
  ): Promise<RequestResult<E> | Failure>;
  /** Whether requests can go out now. */
  isConnected(): boolean;
}

const REQUEST_TIMEOUT_MS = 10_000;

const timeoutFailure = failure(
  ErrorCode.Timeout,
  'The server did not answer. Check your connection and try again.',
);

/**
 * The transport over a Socket.IO client socket. A request fails with TIMEOUT when the server
 * does not answer in time, or at once when the connection drops while it waits: its answer
 * can no longer arrive, and the caller may retry on the next connection.
 */
export function socketTransport(socket: ChatClientSocket): ChatTransport {
  // emitWithAck cannot infer a generic event's types; the contract types the public method.
  const emitWithAck = (event: string, payload: unknown) =>
    (socket.timeout(REQUEST_TIMEOUT_MS).emitWithAck as (e: string, p: unknown) => Promise<never>)(
      event,
      payload,
    );
  const waiting = new Set<() => void>();
  socket.on('disconnect', () => {
    for (const abandon of waiting) abandon();
    waiting.clear();
  });
  return {
    isConnected: () => socket.connected,
    async request(event, payload) {
      let abandon!: () => void;
      const dropped = new Promise<Failure>((resolve) => {
        abandon = () => resolve(timeoutFailure);
      });
      waiting.add(abandon);
      try {
        return await Promise.race([emitWithAck(event, payload), dropped]);
      } catch {
        return timeoutFailure;
      } finally {
        waiting.delete(abandon);
      }
    },
  };
}
