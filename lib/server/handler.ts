import { ChatError, ErrorCode, failure, type Ok, type Result } from '../protocol/errors';
import type { ClientToServerEvents } from '../protocol/events';
import { describeInvalidInput } from '../protocol/input-errors';
import { type CheckedPayload, requestSchemas } from '../protocol/schemas';
import type { InFlightRequests } from './in-flight';
import { errorFields, type Logger } from './logger';
import type { ChatMetrics } from './metrics';
import { type LimitedAction, type RateLimits, spendOrRefuse } from './rate-limits';
import type { ChatSocket } from './socket-types';

/** About how long a client of a stopping server takes to reconnect, to it or another one. */
export const RESTART_RETRY_MS = 1_000;
const RESTARTING_MESSAGE = 'The server is restarting. This will be sent again once reconnected.';

/** Every request a client may send. */
export type RequestEvent = keyof ClientToServerEvents;

/** The fields a successful answer to `E` carries, as the event contract declares them. */
export type AnswerOf<E extends RequestEvent> =
  Parameters<Parameters<ClientToServerEvents[E]>[1]>[0] extends Result<infer T> ? T : never;

/**
 * Leaves work until the request has been answered: telling the rest of a room, which the
 * requester need not wait for. Tasks run one after another, in the order they were left,
 * whatever the answer was; a task that fails is logged and the next one still runs.
 */
export type AfterReply = (task: () => Promise<void>) => void;

/** How the server handles one request event. */
export interface RequestHandler<E extends RequestEvent> {
  /**
   * The budget a request spends before it runs (refused ones too), or `null` for a request
   * that is free; a free entry says why next to it.
   */
  rateLimit: LimitedAction | null;
  /** Does the work; a `ChatError` becomes the failed answer, anything else `INTERNAL`. */
  run(
    socket: ChatSocket,
    input: CheckedPayload<E>,
    afterReply: AfterReply,
  ): Promise<Ok<AnswerOf<E>>>;
}

/** One handler for every request event: a missing one, or a wrong answer, does not compile. */
export type HandlerTable = { [E in RequestEvent]: RequestHandler<E> };

/** What the edge checks need: where to log, what to count, which budgets to spend. */
export interface HandlerDeps {
  logger: Logger;
  rateLimits: RateLimits;
  metrics?: ChatMetrics;
  inFlight?: InFlightRequests;
}

/** A request handler shared by every socket; the socket it serves comes with each request. */
export type SocketHandler = (socket: ChatSocket, payload: unknown, ack: unknown) => Promise<void>;

/** The socket handler of every event in the table, for dispatch by event name. */
export function socketHandlers(deps: HandlerDeps, table: HandlerTable): Map<string, SocketHandler> {
  const events = Object.keys(table) as RequestEvent[];
  return new Map(events.map((event) => [event, socketHandler(deps, event, table[event])]));
}

/**
 * Wraps a request handler with the edge checks every event gets: the acknowledgement must be
 * a function, the payload must match its schema, the rate limit is spent, and any failure
 * becomes a typed answer. The returned handler never throws and never rejects; it resolves,
 * and the request stops counting as in flight, once the work left for after the answer is
 * done too. It is built once per server, not per socket, so that an idle connection costs no
 * closures of its own.
 */
export function socketHandler<E extends RequestEvent>(
  deps: HandlerDeps,
  event: E,
  handler: RequestHandler<E>,
): SocketHandler {
  const schema = requestSchemas[event];
  const latency = deps.metrics?.ackLatencyOf(event);
  const { rateLimit } = handler;
  return async (socket, payload, ack) => {
    // A client that emits only a callback still deserves an answer.
    if (typeof payload === 'function' && ack === undefined) [payload, ack] = [undefined, payload];
    if (typeof ack !== 'function') return;
    const finished = deps.inFlight ? deps.inFlight.start() : () => {};
    const startedAt = performance.now();
    const reply = (result: Result) => {
      (ack as (result: Result) => void)(result);
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
      if (rateLimit) await spendOrRefuse(deps, rateLimit, socket.data);
      const input = parsed.data as CheckedPayload<E>;
      reply(await handler.run(socket, input, (task) => (later ??= []).push(task)));
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
