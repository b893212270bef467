import { BurstyRateLimiter, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ChatError, ErrorCode } from '../protocol/errors';
import { MemoryBudget } from './memory-budget';
import type { ChatMetrics } from './metrics';

/** The request kinds that are rate limited, each with its own budget. */
export type LimitedAction =
  | 'message'
  | 'change'
  | 'history'
  | 'search'
  | 'join'
  | 'rename'
  | 'moderate'
  | 'typing'
  | 'presence'
  | 'upload';

/** Keepers' requests (settings, roles, removals, bans): people click these, so not tunable. */
const MODERATION_PER_MINUTE = 30;

/** Searches: a person types, the page asks as they pause; not tunable. */
const SEARCHES_PER_SECOND = 2;

/** Typing and presence signals: clients send a few a second at most, so this is not tunable. */
const SIGNALS_PER_SECOND = 2;

/** Sustained rates per session; a burst of the same size again is allowed on top. */
export interface RateLimitSettings {
  enabled: boolean;
  messagesPerSecond: number;
  /** Edits, deletions and reactions: their own budget, so a reaction flood leaves sends be. */
  changesPerSecond: number;
  /** Pages of earlier messages (`message:history`); a catch-up reads up to ten at once. */
  historyPagesPerSecond: number;
  joinsPerMinute: number;
  renamesPerMinute: number;
  /** Pictures uploaded (`POST /uploads`), refused ones included. */
  uploadsPerMinute: number;
  /** An address may spend this many times a session's budget (people behind one NAT). */
  perIpMultiplier: number;
}

/** Makes one fixed-window limiter in a store that processes share (Redis). */
export type LimiterFactory = (options: {
  keyPrefix: string;
  points: number;
  duration: number;
}) => RateLimiterAbstract;

/** One budget per action and kind of key: undefined when allowed, else milliseconds to wait. */
interface Budget {
  spend(key: string): number | undefined | Promise<number | undefined>;
}

/** How much a window of the burst allowance is longer than the sustained window. */
const BURST_WINDOW_FACTOR = 10;

/**
 * Per-session and per-address budgets for messages, changes to them, pages of history, joins (and room
 * creations), nickname changes, and typing and presence signals. Each budget is a sustained rate plus a burst
 * allowance of the same size, refilled over a ten times longer window: with 5 messages/s a
 * client may send 10 at once, then about 5 a second. Counters live in this process's memory,
 * or with `makeLimiter` in a shared store through rate-limiter-flexible.
 */
export class RateLimits {
  /** Both budgets of each action, looked up once per request. */
  private readonly budgets = {} as Record<LimitedAction, { session: Budget; ip: Budget }>;

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly makeLimiter?: LimiterFactory,
  ) {
    const perAction: Record<LimitedAction, { points: number; duration: number }> = {
      message: { points: settings.messagesPerSecond, duration: 1 },
      change: { points: settings.changesPerSecond, duration: 1 },
      history: { points: settings.historyPagesPerSecond, duration: 1 },
      search: { points: SEARCHES_PER_SECOND, duration: 1 },
      join: { points: settings.joinsPerMinute, duration: 60 },
      rename: { points: settings.renamesPerMinute, duration: 60 },
      moderate: { points: MODERATION_PER_MINUTE, duration: 60 },
      typing: { points: SIGNALS_PER_SECOND, duration: 1 },
      presence: { points: SIGNALS_PER_SECOND, duration: 1 },
      upload: { points: settings.uploadsPerMinute, duration: 60 },
    };
    for (const [action, budget] of Object.entries(perAction) as Array<
      [LimitedAction, { points: number; duration: number }]
    >) {
      this.budgets[action] = {
        session: this.bursty(`session:${action}`, budget, 1),
        ip: this.bursty(`ip:${action}`, budget, settings.perIpMultiplier),
      };
    }
  }

  /**
   * Spends one unit of `action` for a session and its address. Resolves to undefined when
   * allowed, or to the whole milliseconds to wait when either budget is spent.
   */
  async consume(
    action: LimitedAction,
    who: { sessionId: string; address: string },
  ): Promise<number | undefined> {
    if (!this.settings.enabled) return undefined;
    const { session, ip } = this.budgets[action];
    const wait = (await session.spend(who.sessionId)) ?? (await ip.spend(who.address));
    return wait === undefined ? undefined : Math.max(1, Math.ceil(wait));
  }

  private bursty(
    prefix: string,
    budget: { points: number; duration: number },
    scale: number,
  ): Budget {
    const points = Math.max(1, Math.round(budget.points * scale));
    const burstDuration = budget.duration * BURST_WINDOW_FACTOR;
    if (!this.makeLimiter) {
      return new MemoryBudget(points, budget.duration * 1000, burstDuration * 1000);
    }
    const limiter = new BurstyRateLimiter(
      this.makeLimiter({ keyPrefix: prefix, points, duration: budget.duration }),
      this.makeLimiter({ keyPrefix: `${prefix}:burst`, points, duration: burstDuration }),
    );
    return {
      spend: (key) =>
        limiter.consume(key).then(
          () => undefined,
          (rejection: unknown) =>
            // A limiter rejects with RateLimiterRes when over budget, or an Error when its
            // store fails; a failing store must not lock everyone out.
            rejection instanceof RateLimiterRes ? rejection.msBeforeNext : undefined,
        ),
    };
  }
}

const TOO_FAST: Record<LimitedAction, string> = {
  message: 'You are sending messages too quickly.',
  change: 'You are editing, deleting or reacting too quickly.',
  history: 'Earlier messages are being asked for too quickly.',
  search: 'You are searching too quickly. Wait a moment.',
  join: 'Too many attempts to join or create rooms.',
  rename: 'You are changing your nickname too often.',
  moderate: 'Too many changes to the room in a short time.',
  typing: 'Typing updates are coming too quickly.',
  presence: 'Presence updates are coming too quickly.',
  upload: 'You are sharing pictures too quickly.',
};

/**
 * Spends one unit of `action`, or fails with RATE_LIMITED saying when to try again. The
 * handler table spends it before a handler runs, so refused requests (a failed join, say)
 * cost a unit too.
 */
export async function spendOrRefuse(
  ctx: { rateLimits: RateLimits; metrics?: ChatMetrics },
  action: LimitedAction,
  who: { sessionId: string; address: string },
): Promise<void> {
  const retryAfterMs = await ctx.rateLimits.consume(action, who);
  if (retryAfterMs === undefined) return;
  ctx.metrics?.rateLimited.inc({ action });
  const seconds = Math.ceil(retryAfterMs / 1000);
  throw new ChatError(
    ErrorCode.RateLimited,
    `${TOO_FAST[action]} Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
    retryAfterMs,
  );
}
