import { describe, expect, it } from 'vitest';
import { ChatError, ErrorCode, type Result } from '../protocol/errors';
import { ClientEvent } from '../protocol/events';
import { type AfterReply, type HandlerTable, socketHandler } from './handler';
import { InFlightRequests } from './in-flight';
import type { Logger } from './logger';
import type { LimitedAction } from './rate-limits';
import { RateLimits } from './rate-limits';
import type { ChatSocket } from './socket-types';

const socket = { data: { sessionId: 's1', address: '192.0.2.1' } } as ChatSocket;

/**
 * The ping handler with `body` as its work, and what it logs and answers, and when it stops
 * counting as in flight.
 */
function harness(
  body: (afterReply: AfterReply, events: string[]) => Promise<void>,
  rateLimit: LimitedAction | null = null,
) {
  const events: string[] = [];
  const logger: Logger = {
    debug() {},
    info() {},
    warn() {},
    error: (fields, message) =>
      events.push(`logged: ${message} (${(fields.err as { message: string }).message})`),
  };
  const inFlight = new InFlightRequests();
  const rateLimits = new RateLimits({
    enabled: true,
    messagesPerSecond: 1,
    changesPerSecond: 1,
    historyPagesPerSecond: 1,
    joinsPerMinute: 1,
    renamesPerMinute: 1,
    uploadsPerMinute: 20,
    perIpMultiplier: 1,
  });
  const handle = socketHandler({ logger, inFlight, rateLimits }, ClientEvent.Ping, {
    rateLimit,
    async run(_, _input, later) {
      await body(later, events);
      return { ok: true, serverTime: 'now' };
    },
  });
  const ack = (result: Result) =>
    events.push(`answered ok=${result.ok}${result.ok ? '' : ` ${result.error.code}`}`);
  const settled = () => inFlight.settled(0);
  return { events, inFlight, handle: (input: unknown) => handle(socket, input, ack), settled };
}

describe('socketHandler, work left for after the answer', () => {
  it('runs it after the acknowledgement, in the order it was left, before the request ends', async () => {
    const { events, handle, settled } = harness(async (afterReply, events) => {
      afterReply(async () => void events.push('first task'));
      events.push('handler body');
      afterReply(async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        events.push('second task');
      });
    });
    const handled = handle({});
    await Promise.resolve();
    expect(await settled()).toBe(false);
    await handled;
    expect(events).toEqual(['handler body', 'answered ok=true', 'first task', 'second task']);
    expect(await settled()).toBe(true);
  });

  it('logs a failing task and still runs the next, without touching the answer', async () => {
    const { events, handle } = harness(async (afterReply, events) => {
      afterReply(async () => {
        throw new Error('fan-out broke');
      });
      afterReply(async () => void events.push('next task'));
    });
    await expect(handle({})).resolves.toBeUndefined();
    expect(events).toEqual([
      'answered ok=true',
      'logged: work after the answer failed (fan-out broke)',
      'next task',
    ]);
  });

  it('runs what was left even when the handler then fails', async () => {
    const { events, handle } = harness(async (afterReply) => {
      afterReply(async () => void events.push('announced'));
      throw new ChatError(ErrorCode.NotInRoom, 'gone');
    });
    await handle({});
    expect(events).toEqual(['answered ok=false NOT_IN_ROOM', 'announced']);
  });

  it('ends a request refused at the schema at once', async () => {
    const { events, handle, settled } = harness(async () => {});
    await handle({ n: 'not a field of a ping' });
    expect(events).toEqual(['answered ok=false INVALID_INPUT']);
    expect(await settled()).toBe(true);
  });
});

describe('socketHandler, while the server stops', () => {
  it('answers a request that arrives after requests are refused with RESTARTING, without running it', async () => {
    let ran = false;
    const { events, inFlight, handle, settled } = harness(async () => {
      ran = true;
    });
    inFlight.refuseNew();
    await handle({});
    expect(ran).toBe(false);
    expect(events).toEqual(['answered ok=false RESTARTING']);
    expect(await settled()).toBe(true);
  });

  it('lets a request already being handled finish and waits for it', async () => {
    let release!: () => void;
    const { events, inFlight, handle } = harness(
      () => new Promise<void>((resolve) => (release = resolve)),
    );
    const handled = handle({});
    await Promise.resolve();
    inFlight.refuseNew();
    const drained = inFlight.settled(1_000);
    release();
    expect(await drained).toBe(true);
    await handled;
    expect(events).toEqual(['answered ok=true']);
  });
});

describe('socketHandler, rate limits', () => {
  it('spends the entry’s budget before the work, and refuses without running it when spent', async () => {
    let runs = 0;
    const { events, handle } = harness(async () => void runs++, 'history');
    // One a second, and a burst of one more.
    for (let i = 0; i < 3; i++) await handle({});
    expect(events).toEqual([
      'answered ok=true',
      'answered ok=true',
      'answered ok=false RATE_LIMITED',
    ]);
    expect(runs).toBe(2);
  });

  it('spends nothing for a free entry', async () => {
    const { events, handle } = harness(async () => {});
    for (let i = 0; i < 5; i++) await handle({});
    expect(events).toEqual(Array(5).fill('answered ok=true'));
  });
});

describe('HandlerTable', () => {
  it('does not compile without a handler for every request, or with a wrong answer', () => {
    const ping = async () => ({ ok: true as const, serverTime: 'now' });
    // @ts-expect-error -- every request event needs a handler
    const partial: HandlerTable = { [ClientEvent.Ping]: { rateLimit: null, run: ping } };
    const wrong: Pick<HandlerTable, typeof ClientEvent.MessageSend> = {
      // @ts-expect-error -- message:send answers with the stored message, not a server time
      [ClientEvent.MessageSend]: { rateLimit: 'message', run: ping },
    };
    expect([partial, wrong]).toHaveLength(2);
  });
});
