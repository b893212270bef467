import { describe, expect, it } from 'vitest';
import { RateLimits, type RateLimitSettings } from './rate-limits';

const SETTINGS: RateLimitSettings = {
  enabled: true,
  messagesPerSecond: 5,
  joinsPerMinute: 10,
  renamesPerMinute: 5,
  perIpMultiplier: 3,
};

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

  it('allows each session its sustained rate plus a burst of the same size', async () => {
    const allowed = (await pattern(new RateLimits(SETTINGS), 40)).filter(Boolean);
    expect(allowed).toHaveLength(20);
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
