import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemberListThrottle, memberListWindowMs } from './member-list-throttle';

describe('MemberListThrottle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the first change at once and the ones within its window once, as the list is then', async () => {
    const sent: string[] = [];
    const throttle = new MemberListThrottle(
      async (roomId) => {
        sent.push(`current ${roomId}`);
        return 100;
      },
      () => {},
    );
    /** A send that records `label` and reports a list of `size` members. */
    const send = (label: string, size: number) => async () => {
      sent.push(label);
      return size;
    };
    await throttle.changed('r', send('first', 100));
    await throttle.changed('r', send('second', 100));
    await throttle.changed('r', send('third', 100));
    await throttle.changed('other', send('other room', 1));
    expect(sent).toEqual(['first', 'other room']);
    await vi.advanceTimersByTimeAsync(memberListWindowMs(100) - 1);
    expect(sent).toEqual(['first', 'other room']);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual(['first', 'other room', 'current r']);
    // The trailing list opened a window of its own, with nothing left to send after it.
    await vi.advanceTimersByTimeAsync(2 * memberListWindowMs(100));
    expect(sent).toHaveLength(3);
  });

  it('waits longer in bigger rooms, a second at most', () => {
    expect(memberListWindowMs(10)).toBe(10);
    expect(memberListWindowMs(500)).toBeGreaterThan(memberListWindowMs(50));
    expect(memberListWindowMs(100_000)).toBe(1000);
  });

  it('lets the next change through at once after a failed send, and reports a failed trailing one', async () => {
    const errors: unknown[] = [];
    const throttle = new MemberListThrottle(
      async () => {
        throw new Error('store down');
      },
      (error) => errors.push(error),
    );
    await expect(
      throttle.changed('r', async () => {
        throw new Error('store down');
      }),
    ).rejects.toThrow('store down');
    let sentAgain = false;
    await throttle.changed('r', async () => {
      sentAgain = true;
      return 50;
    });
    expect(sentAgain).toBe(true);
    await throttle.changed('r', async () => 50);
    await vi.advanceTimersByTimeAsync(memberListWindowMs(50));
    expect(errors).toHaveLength(1);
  });
});
