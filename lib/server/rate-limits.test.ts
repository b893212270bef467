import { RateLimiterMemory } from 'rate-limiter-flexible';
import { describe, expect, it } from 'vitest';
import { MemoryBudget } from './memory-budget';
import { RateLimits, type RateLimitSettings } from './rate-limits';

const SETTINGS: RateLimitSettings = {
  enabled: true,
  messagesPerSecond: 5,
  changesPerSecond: 5,
  historyPagesPerSecond: 10,
  joinsPerMinute: 10,
  renamesPerMinute: 5,
  uploadsPerMinute: 20,
  perIpMultiplier: 3,
};

describe('MemoryBudget', () => {
  it('allows the sustained rate plus a burst of the same size, then says how long to wait', () => {
    let now = 1_000_000;
    const budget = new MemoryBudget(5, 1000, 10_000, () => now);
    const first = Array.from({ length: 11 }, () => budget.spend('s'));
    expect(first.slice(0, 10)).toEqual(Array(10).fill(undefined));
    expect(first[10]).toBe(1000);
    now += 400;
    expect(budget.spend('s')).toBe(600);
    // A new sustained window; the burst allowance stays spent for its longer window.
    now += 600;
    expect(Array.from({ length: 5 }, () => budget.spend('s'))).toEqual(Array(5).fill(undefined));
    expect(budget.spend('s')).toBe(1000);
    expect(budget.spend('other')).toBeUndefined();
  });

  it('forgets windows that ended', () => {
    let now = 0;
    const budget = new MemoryBudget(1, 1000, 10_000, () => now);
    budget.spend('a');
    budget.spend('a');
    budget.spend('b');
    expect(budget.keysHeld).toBe(3); // a: sustained and burst; b: sustained
    now = 120_000;
    expect(budget.spend('a')).toBeUndefined();
    expect(budget.keysHeld).toBe(1); // b's and a's old windows swept out
    expect(budget.spend('a')).toBeUndefined();
    expect(budget.spend('a')).toBe(1000);
  });
});

describe('RateLimits', () => {
  const pattern = async (limits: RateLimits, count: number) => {
    const waits: boolean[] = [];
    for (let i = 0; i < count; i++) {
      // Two sessions behind one address, taking turns.
      const who = { sessionId: `s${i % 2}`, address: '10.0.0.1' };
      waits.push((await limits.consume('message', who)) === undefined);
    }
    return waits;
  };

  it('refuses in memory exactly where rate-limiter-flexible does', async () => {
    const ours = await pattern(new RateLimits(SETTINGS), 40);
    const library = await pattern(
      new RateLimits(SETTINGS, (options) => new RateLimiterMemory(options)),
      40,
    );
    expect(ours).toEqual(library);
    // Each session: its sustained rate plus a burst of the same size.
    expect(ours.filter(Boolean)).toHaveLength(20);
  });

  it('limits an address to its multiple of a session budget', async () => {
    const limits = new RateLimits(SETTINGS);
    let allowed = 0;
    for (let i = 0; i < 100; i++) {
      const who = { sessionId: `s${i}`, address: '10.0.0.2' };
      if ((await limits.consume('message', who)) === undefined) allowed++;
    }
    // 5/s × 3 sustained, and a burst of as many again.
    expect(allowed).toBe(30);
  });

  it('allows everything when turned off', async () => {
    const limits = new RateLimits({ ...SETTINGS, enabled: false });
    expect(await pattern(limits, 50)).toEqual(Array(50).fill(true));
  });
});
