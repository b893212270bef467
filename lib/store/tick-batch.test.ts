import { describe, expect, it } from 'vitest';
import { TickBatch } from './tick-batch';

describe('TickBatch', () => {
  it('runs the requests of one tick together, in order, and later ones separately', async () => {
    const calls: number[][] = [];
    const batch = new TickBatch<number, number>((inputs) => {
      calls.push(inputs);
      return inputs.map((input) => input * 10);
    });
    const first = await Promise.all([batch.add(1), batch.add(2), batch.add(3)]);
    const second = await batch.add(4);
    expect(first).toEqual([10, 20, 30]);
    expect(second).toBe(40);
    expect(calls).toEqual([[1, 2, 3], [4]]);
  });

  it('settles nothing before the batch ran', async () => {
    let ran = false;
    const batch = new TickBatch<number, boolean>((inputs) => {
      ran = true;
      return inputs.map(() => ran);
    });
    expect(await batch.add(1)).toBe(true);
  });

  it('rejects every request of a batch that throws, and carries on afterwards', async () => {
    let fail = true;
    const batch = new TickBatch<number, number>((inputs) => {
      if (fail) throw new Error('store down');
      return inputs;
    });
    const results = await Promise.allSettled([batch.add(1), batch.add(2)]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await batch.add(3)).toBe(3);
  });

  it('runs what is queued at once on flush', async () => {
    const calls: number[][] = [];
    const batch = new TickBatch<number, number>((inputs) => {
      calls.push(inputs);
      return inputs;
    });
    const pending = batch.add(1);
    batch.flush();
    expect(calls).toEqual([[1]]);
    expect(await pending).toBe(1);
    batch.flush();
    expect(calls).toEqual([[1]]);
  });

  it('keeps requests waiting while held, runs them on release, and still on an explicit flush', async () => {
    const calls: number[][] = [];
    const batch = new TickBatch<number, number>((inputs) => {
      calls.push(inputs);
      return inputs;
    });
    batch.hold();
    const held = batch.add(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toEqual([]);
    batch.release();
    expect(await held).toBe(1);

    batch.hold();
    const flushed = batch.add(2);
    batch.flush();
    expect(await flushed).toBe(2);
    batch.release();
    expect(calls).toEqual([[1], [2]]);
  });
});
