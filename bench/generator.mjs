/**
 * A load-generator process. The harness (run.mjs) forks several, pinned to the generator core,
 * and drives them over IPC with request/response commands:
 *
 *   init     {target, host, port}                 → {nowUs}        (also checks the shared clock)
 *   clock    {}                                    → {nowUs}
 *   connect  {indices, ratePerSec?, maxInFlight?, concurrency?} → {connected, failed, firstError, connectUs}
 *   join     {assignments: [[index, roomId]], concurrency} → {joined, failed, firstError}
 *   seed     {senders: [{index, roomId}]}         → {seeded, failed, firstError}
 *   run      {t0, warmUs, measureUs, periodUs, senders, drainMs, action?} → counts + histograms
 *   status   {}                                    → {open, closed}
 *   close    {}                                    → exits
 *
 * Sending is open-loop: sender k of S sends at t0 + phase_k + n·period whatever happened to
 * earlier messages, and latency is measured from that scheduled time, so a stalled server
 * cannot hide its stall by slowing the generator down (no coordinated omission).
 */
import {
  clientClasses,
  messageText,
  onDelivery,
  onTimedAck,
  onUnmarkedDelivery,
} from './lib/clients.mjs';
import { nowUs, sleep, sleepUntil } from './lib/clock.mjs';
import { Samples } from './lib/histogram.mjs';
import * as rawWs from './lib/raw-ws.mjs';

rawWs.setChunkClock(nowUs);

let target;
let host;
let port;
/** Global client index → client. */
const clients = new Map();
/** Client index → the seq of the message it sent to change in scenario 6 (`seed`). */
const ownMessage = new Map();

// Measurement window of the current run (µs); deliveries scheduled outside it are not counted.
let windowStart = Infinity;
let windowEnd = -Infinity;
let received = 0;
let latency = new Samples();
let service = new Samples();
let ackLatency = new Samples();
/**
 * Whether broadcasts count by their arrival inside the window rather than by the time in
 * their text: a reaction's broadcast repeats the text its message had, with a time long past.
 */
let countByArrival = false;

onDelivery((scheduled, sent) => {
  if (countByArrival) {
    countArrival();
    return;
  }
  if (scheduled < windowStart || scheduled >= windowEnd) return;
  received++;
  const arrived = rawWs.chunkArrivalUs;
  latency.push(arrived - scheduled);
  service.push(arrived - sent);
});

function countArrival() {
  const arrived = rawWs.chunkArrivalUs;
  if (countByArrival && arrived >= windowStart && arrived < windowEnd) received++;
}
onUnmarkedDelivery(countArrival);

onTimedAck((scheduled) => {
  if (scheduled >= windowStart && scheduled < windowEnd) {
    ackLatency.push(rawWs.chunkArrivalUs - scheduled);
  }
});

/**
 * What a sender does in a run. `send` is scenario 2's hot path; the others time each
 * acknowledgement from the scheduled time, and `react` and `edit` change the sender's seeded
 * message: a reaction put on and taken off in turn (each one a change), or an edit to the
 * benchmark text.
 */
const ACTIONS = {
  send: (sender, text) => sender.client.sendMessage(sender.roomId, text),
  timedSend: (sender, text, at) => sender.client.sendMessage(sender.roomId, text, at),
  react: (sender, _text, at, round) =>
    sender.client.setReaction(sender.roomId, sender.seq, round % 2 === 0, at),
  edit: (sender, text, at) => sender.client.editMessage(sender.roomId, sender.seq, text, at),
};

const commands = {
  init(args) {
    ({ target, host, port } = args);
    return { nowUs: nowUs() };
  },

  clock() {
    return { nowUs: nowUs() };
  },

  async connect({ indices, ratePerSec, maxInFlight = 50, concurrency = 64 }) {
    const Client = clientClasses[target];
    const times = new Samples();
    let connected = 0;
    let failed = 0;
    let firstError;
    const one = async (index, scheduled) => {
      try {
        const client = await Client.connect(host, port, { timeoutMs: 30_000 });
        clients.set(index, client);
        times.push(nowUs() - scheduled);
        connected++;
      } catch (error) {
        failed++;
        firstError ??= String(error.message ?? error);
      }
    };
    if (ratePerSec) {
      // Paced ramp: connection k starts at start + k/rate, or later when `maxInFlight`
      // handshakes are already under way (a ramp measures memory, not how fast a server can
      // accept; without the cap a slow server would see its handshakes time out).
      const start = nowUs();
      const gapUs = 1e6 / ratePerSec;
      const inFlight = [];
      let active = 0;
      let wake = () => {};
      for (let k = 0; k < indices.length; k++) {
        const at = start + k * gapUs;
        if (at > nowUs() + 1000) await sleepUntil(at);
        while (active >= maxInFlight) await new Promise((resolve) => (wake = resolve));
        active++;
        inFlight.push(
          one(indices[k], nowUs()).finally(() => {
            active--;
            wake();
          }),
        );
      }
      await Promise.all(inFlight);
    } else {
      let next = 0;
      const worker = async () => {
        while (next < indices.length) {
          const index = indices[next++];
          await one(index, nowUs());
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
    }
    return { connected, failed, firstError, connectUs: times.encode() };
  },

  async join({ assignments, concurrency = 32 }) {
    let joined = 0;
    let failed = 0;
    let firstError;
    let next = 0;
    const worker = async () => {
      while (next < assignments.length) {
        const [index, roomId] = assignments[next++];
        try {
          const result = await clients.get(index).join(roomId, `u${index}`);
          if (!result.ok) throw new Error(JSON.stringify(result.error));
          joined++;
        } catch (error) {
          failed++;
          firstError ??= String(error.message ?? error);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return { joined, failed, firstError };
  },

  /** Each sender sends one message and keeps its seq, for a run to change it. */
  async seed({ senders }) {
    let seeded = 0;
    let failed = 0;
    let firstError;
    await Promise.all(
      senders.map(async ({ index, roomId }) => {
        try {
          const result = await clients.get(index).sendAndWait(roomId, `S${index}`);
          if (!result.ok) throw new Error(JSON.stringify(result.error));
          ownMessage.set(index, result.message.seq);
          seeded++;
        } catch (error) {
          failed++;
          firstError ??= String(error.message ?? error);
        }
      }),
    );
    return { seeded, failed, firstError };
  },

  /**
   * One measured run. `senders`: [{index, roomId, phaseUs, roomSize}]; each sends every
   * `periodUs` from t0 + phaseUs until the window closes. Counts what was sent inside the
   * window (and how many deliveries that owes), and what arrived inside it by the end of the
   * drain period. `action` (see ACTIONS) is what each sender does every period.
   */
  async run({ t0, warmUs, measureUs, periodUs, senders, drainMs, action = 'send' }) {
    // Whole microseconds throughout: the text carries rounded times, and a message must fall
    // on the same side of the window's edges for its sender and its receivers.
    windowStart = Math.round(t0 + warmUs);
    windowEnd = Math.round(t0 + warmUs + measureUs);
    received = 0;
    latency = new Samples();
    service = new Samples();
    ackLatency = new Samples();
    countByArrival = action === 'react';
    const act = ACTIONS[action];
    const lag = new Samples();
    const acksBefore = ackTotals();
    let sent = 0;
    let expected = 0;
    let skipped = 0;

    const order = senders
      .map((sender) => ({
        ...sender,
        client: clients.get(sender.index),
        seq: ownMessage.get(sender.index),
      }))
      .sort((a, b) => a.phaseUs - b.phaseUs);

    await new Promise((resolve) => {
      if (order.length === 0) {
        resolve();
        return;
      }
      let round = 0;
      let next = 0;
      const tick = () => {
        let now = nowUs();
        for (;;) {
          const sender = order[next];
          const at = Math.round(t0 + sender.phaseUs + round * periodUs);
          if (at >= windowEnd) {
            resolve();
            return;
          }
          if (at > now) {
            setTimeout(tick, Math.max(1, Math.round((at - now) / 1000)));
            return;
          }
          if (sender.client.closed) {
            skipped++;
          } else {
            act(sender, messageText(sender.index, at, now), at, round);
          }
          if (at >= windowStart) {
            sent++;
            expected += sender.roomSize;
            lag.push(now - at);
          }
          if (++next === order.length) {
            next = 0;
            round++;
          }
          now = nowUs();
        }
      };
      tick();
    });
    await sleepUntil(windowEnd);
    await sleep(drainMs);
    const stopped = received;
    countByArrival = false;
    windowStart = Infinity;
    windowEnd = -Infinity;
    const acksAfter = ackTotals();
    return {
      sent,
      expected,
      received: stopped,
      skipped,
      ackOk: acksAfter.ok - acksBefore.ok,
      ackErr: acksAfter.err - acksBefore.err,
      lastError: acksAfter.lastError,
      latency: latency.encode(),
      service: service.encode(),
      ack: ackLatency.encode(),
      lag: lag.encode(),
      closed: [...clients.values()].filter((client) => client.closed).length,
    };
  },

  status() {
    const closed = [...clients.values()].filter((client) => client.closed).length;
    return { open: clients.size - closed, closed };
  },

  close() {
    for (const client of clients.values()) client.close();
    setImmediate(() => process.exit(0));
    return {};
  },
};

function ackTotals() {
  let ok = 0;
  let err = 0;
  let lastError;
  for (const client of clients.values()) {
    ok += client.ackOk;
    err += client.ackErr;
    lastError = client.lastError ?? lastError;
  }
  return { ok, err, lastError };
}

process.on('message', (message) => {
  const command = commands[message.cmd];
  Promise.resolve()
    .then(() => (command ? command(message.args ?? {}) : Promise.reject(new Error('unknown'))))
    .then(
      (result) => process.send({ id: message.id, result }),
      (error) => process.send({ id: message.id, error: String(error?.stack ?? error) }),
    );
});
process.on('disconnect', () => process.exit(0));
