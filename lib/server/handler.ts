import type { z } from 'zod';
import { ChatError, ErrorCode, failure, type Ok, type Result } from '../protocol/errors';
import { describeInvalidInput } from '../protocol/input-errors';
import type { InFlightRequests } from './in-flight';
import { errorFields, type Logger } from './logger';
import type { ChatMetrics } from './metrics';
import type { ChatSocket } from './socket-types';

/** About how long a client of a stopping server takes to reconnect, to it or another one. */
export const RESTART_RETRY_MS = 1_000;
const RESTARTING_MESSAGE = 'The server is restarting. This will be sent again once reconnected.';

/** What the edge checks need: where to log, what to count. */
export interface HandlerDeps {
  logger: Logger;
  metrics?: ChatMetrics;
  inFlight?: InFlightRequests;
}

/** A request handler shared by every socket; the socket it serves comes with each request. */
export type SocketHandler = (socket: ChatSocket, payload: unknown, ack: unknown) => Promise<void>;

/**
 * Leaves work until the request has been answered: telling the rest of a room, which the
 * requester need not wait for. Tasks run one after another, in the order they were left,
 * whatever the answer was; a task that fails is logged and the next one still runs.
 */
export type AfterReply = (task: () => Promise<void>) => void;

/**
 * Wraps a request handler with the edge checks every event gets: the acknowledgement must be
 * a function, the payload must match its schema, and any failure becomes a typed answer.
 * The returned handler never throws and never rejects; it resolves, and the request stops
 * counting as in flight, once the work left for after the answer is done too. It is built
 * once per server, not per socket, so that an idle connection costs no closures of its own.
 */
export function defineHandler<Schema extends z.ZodType, T extends object>(
  deps: HandlerDeps,
  event: string,
  schema: Schema,
  run: (socket: ChatSocket, input: z.output<Schema>, afterReply: AfterReply) => Promise<Ok<T>>,
): SocketHandler {
  const latency = deps.metrics?.ackLatencyOf(event);
  return async (socket, payload, ack) => {
    // A client that emits only a callback still deserves an answer.
    if (typeof payload === 'function' && ack === undefined) [payload, ack] = [undefined, payload];
    if (typeof ack !== 'function') return;
    const finished = deps.inFlight ? deps.inFlight.start() : () => {};
    const startedAt = performance.now();
    const reply = (result: Result<T>) => {
      (ack as (result: Result<T>) => void)(result);
      latency?.observe((performance.now() - startedAt) / 1000);
      if (!result.ok) deps.metrics?.rejected.inc({ event, code: result.error.code });
    };
    // A stopping server takes no new work: the client sends it again to the next server.
    if (!finished) {
      reply(failure(ErrorCode.Restarting, RESTARTING_MESSAGE, RESTART_RETRY_MS));
      return;
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      reply(failure(ErrorCode.InvalidInput, describeInvalidInput(parsed.error.issues[0], payload)));
      finished();
      return;
    }
    let later: Array<() => Promise<void>> | undefined;
    try {
      reply(await run(socket, parsed.data, (task) => (later ??= []).push(task)));
    } catch (error) {
      if (error instanceof ChatError) {
        reply(error.toFailure());
      } else {
        deps.logger.error({ event, ...errorFields(error) }, 'handler failed');
        reply(failure(ErrorCode.Internal, 'Something went wrong on the server. Please try again.'));
      }
    }
    if (later) {
      for (const task of later) {
        try {
          await task();
        } catch (error) {
          deps.logger.error({ event, ...errorFields(error) }, 'work after the answer failed');
        }
      }
    }
    finished();
  };
}
