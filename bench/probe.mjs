/**
 * Loaded into each server under test with `node --import ./bench/probe.mjs` (and
 * `--expose-gc`), so that the harness can read what /proc cannot show, without touching the
 * server's code: V8 heap, event-loop delay (perf_hooks.monitorEventLoopDelay), and a CPU
 * profile of a chosen window (the V8 profiler through node:inspector, the same data as
 * `--cpu-prof`). It talks only over the IPC channel the harness opens, and does nothing when
 * there is none. Its own cost: one timer every 10 ms.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const RESOLUTION_MS = 10;

if (typeof process.send === 'function') {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  let session;

  const post = (method, params) =>
    new Promise((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );

  const handlers = {
    memory({ gc }) {
      if (gc && typeof globalThis.gc === 'function') {
        globalThis.gc();
        globalThis.gc();
      }
      return process.memoryUsage();
    },
    resetDelay() {
      delay.reset();
      return {};
    },
    /** Event-loop delay in ms: the timer's lateness beyond its own period. */
    delay() {
      const ms = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
      return {
        p50: ms(delay.percentile(50)),
        p99: ms(delay.percentile(99)),
        max: ms(delay.max),
        mean: ms(delay.mean),
        samples: delay.count,
      };
    },
    async profileStart({ intervalUs = 250 }) {
      session = new Session();
      session.connect();
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: intervalUs });
      await post('Profiler.start');
      return {};
    },
    async profileStop({ file }) {
      const { profile } = await post('Profiler.stop');
      session.disconnect();
      writeFileSync(file, JSON.stringify(profile));
      return { file };
    },
  };

  process.on('message', (message) => {
    if (!message || message.probe === undefined) return;
    const handler = handlers[message.cmd];
    Promise.resolve()
      .then(() => (handler ? handler(message.args ?? {}) : Promise.reject(new Error('unknown'))))
      .then(
        (result) => process.send({ probe: message.probe, result }),
        (error) => process.send({ probe: message.probe, error: String(error) }),
      );
  });
  // The channel must not keep a server alive that wants to exit.
  process.channel?.unref();
}
