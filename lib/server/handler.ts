import type { z } from 'zod';
import { ChatError, ErrorCode, failure, type Ok, type Result } from '../protocol/errors';
import type { InFlightRequests } from './in-flight';
import { errorFields, type Logger } from './logger';
import type { ChatMetrics } from './metrics';

/** What the edge checks need: where to log, what to count. */
export interface HandlerDeps {
  logger: Logger;
  metrics?: ChatMetrics;
  inFlight?: InFlightRequests;
}

/**
 * Wraps a request handler with the edge checks every event gets: the acknowledgement must be
 * a function, the payload must match its schema, and any failure becomes a typed answer.
 * The returned listener never throws and never rejects.
 */
export function defineHandler<Schema extends z.ZodType, T extends object>(
  deps: HandlerDeps,
  event: string,
  schema: Schema,
  run: (input: z.output<Schema>) => Promise<Ok<T>>,
): (payload: unknown, ack: unknown) => Promise<void> {
  const latency = deps.metrics?.ackLatency.labels(event);
  return async (payload, ack) => {
    // A client that emits only a callback still deserves an answer.
    if (typeof payload === 'function' && ack === undefined) [payload, ack] = [undefined, payload];
    if (typeof ack !== 'function') return;
    const finished = deps.inFlight?.start();
    const stopTimer = latency?.startTimer();
    const reply = (result: Result<T>) => {
      (ack as (result: Result<T>) => void)(result);
      stopTimer?.();
      finished?.();
      if (!result.ok) deps.metrics?.rejected.inc({ event, code: result.error.code });
    };
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      reply(failure(ErrorCode.InvalidInput, describeIssue(parsed.error.issues[0])));
      return;
    }
    try {
      reply(await run(parsed.data));
    } catch (error) {
      if (error instanceof ChatError) {
        reply(error.toFailure());
        return;
      }
      deps.logger.error({ event, ...errorFields(error) }, 'handler failed');
      reply(failure(ErrorCode.Internal, 'Something went wrong on the server. Please try again.'));
    }
  };
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'The request is not valid.';
  const field = issue.path.length > 0 ? issue.path.join('.') : 'request';
  return `Invalid ${field}: ${issue.message}`;
}
