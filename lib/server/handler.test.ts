import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ChatError, ErrorCode, type Result } from '../protocol/errors';
import { type AfterReply, defineHandler } from './handler';
import { InFlightRequests } from './in-flight';
import type { Logger } from './logger';
import type { ChatSocket } from './socket-types';

const socket = {} as ChatSocket;
const payload = z.object({ n: z.number() });

/** A handler whose body is `body`, with what it logs and when it stops counting as in flight. */
function harness(body: (afterReply: AfterReply, events: string[]) => Promise<void>) {
  const events: string[] = [];
  const logger: Logger = {
    info() {},
    warn() {},
    error: (fields, message) =>
      events.push(`logged: ${message} (${(fields.err as { message: string }).message})`),
  };
  const inFlight = new InFlightRequests();
  const handle = defineHandler(
    { logger, inFlight },
    'test:event',
    payload,
    async (_, input, later) => {
      await body(later, events);
      return { ok: true as const, n: input.n };
    },
  );
  const ack = (result: Result) =>
    events.push(`answered ok=${result.ok}${result.ok ? '' : ` ${result.error.code}`}`);
  const settled = () => inFlight.settled(0);
  return { events, inFlight, handle: (input: unknown) => handle(socket, input, ack), settled };
}

describe('defineHandler, work left for after the answer', () => {
  it('runs it after the acknowledgement, in the order it was left, before the request ends', async () => {
    const { events, handle, settled } = harness(async (afterReply, events) => {
      afterReply(async () => void events.push('first task'));
      events.push('handler body');
      afterReply(async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        events.push('second task');
      });
    });
    const handled = handle({ n: 1 });
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
    await expect(handle({ n: 2 })).resolves.toBeUndefined();
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
    await handle({ n: 3 });
    expect(events).toEqual(['answered ok=false NOT_IN_ROOM', 'announced']);
  });

  it('ends a request refused at the schema at once', async () => {
    const { events, handle, settled } = harness(async () => {});
    await handle({ n: 'not a number' });
    expect(events).toEqual(['answered ok=false INVALID_INPUT']);
    expect(await settled()).toBe(true);
  });
});

describe('defineHandler, while the server stops', () => {
  it('answers a request that arrives after requests are refused with RESTARTING, without running it', async () => {
    let ran = false;
    const { events, inFlight, handle, settled } = harness(async () => {
      ran = true;
    });
    inFlight.refuseNew();
    await handle({ n: 1 });
    expect(ran).toBe(false);
    expect(events).toEqual(['answered ok=false RESTARTING']);
    expect(await settled()).toBe(true);
  });

  it('lets a request already being handled finish and waits for it', async () => {
    let release!: () => void;
    const { events, inFlight, handle } = harness(
      () => new Promise<void>((resolve) => (release = resolve)),
    );
    const handled = handle({ n: 1 });
    await Promise.resolve();
    inFlight.refuseNew();
    const drained = inFlight.settled(1_000);
    release();
    expect(await drained).toBe(true);
    await handled;
    expect(events).toEqual(['answered ok=true']);
  });
});
