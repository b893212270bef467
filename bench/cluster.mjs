// Cross-process delivery latency: `npm run bench:cluster` (needs DATABASE_URL and REDIS_URL).
//
// Runs the same chat load four ways in one run and reports them side by side:
//   1. the embedded default: one process on SQLite, no Redis;
//   2. one process on PostgreSQL, no Redis (what the database alone costs);
//   3. two processes on PostgreSQL + Redis, every member connected to process A;
//   4. the same two processes, senders on A and every other member on B, so each delivery
//      crosses processes through the Redis adapter.
// Latency = receive time − send time, both read from this process's monotonic clock.
// Event names are those of lib/protocol/events.ts (plain JavaScript cannot import it).
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as hdr from 'hdr-histogram-js';
import pg from 'pg';
import { io } from 'socket.io-client';
import { sleep } from './lib/clock.mjs';
import { ROOT, startServer } from './lib/processes.mjs';

const ROOMS = 10;
const ROOM_SIZE = 10;
const SENDS_PER_SECOND = 20; // per room: 10 rooms × 20/s × 9 receivers = 1,800 deliveries/s
const WARM_MS = 3_000;
const MEASURE_MS = 20_000;
const DRAIN_MS = 2_000;

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
if (!databaseUrl || !redisUrl) {
  console.error('Set DATABASE_URL and REDIS_URL (see README) to measure several processes.');
  process.exit(2);
}

/**
 * Our production server through the harness's launcher (raised rate limits, the production
 * V8 flags). Unset DATABASE_URL / REDIS_URL mean the embedded defaults, even if this shell has
 * them set.
 */
async function start(env) {
  const server = await startServer('ours', {
    env: {
      DATABASE_URL: '',
      REDIS_URL: '',
      LOG_LEVEL: 'warn',
      MAX_CONNECTIONS_PER_ADDRESS: '100000',
      ...env,
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, stop: () => server.stop() };
}

function connect(url) {
  return new Promise((resolve, reject) => {
    const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

const request = (socket, event, payload) => socket.timeout(10_000).emitWithAck(event, payload);

/**
 * Seats ROOMS rooms: in each, one sender connected to `senderUrl` and ROOM_SIZE − 1 receivers
 * connected to `receiverUrl`. Each sender sends SENDS_PER_SECOND messages on a fixed schedule
 * (open loop); every receiver's copy is timed.
 */
async function runLoad(label, senderUrl, receiverUrl) {
  const rooms = [];
  for (let r = 0; r < ROOMS; r++) {
    const sender = await connect(senderUrl);
    const { roomId } = await request(sender, 'room:create', {});
    const receivers = [];
    for (let i = 1; i < ROOM_SIZE; i++) receivers.push(await connect(receiverUrl));
    for (const [i, socket] of [sender, ...receivers].entries()) {
      const joined = await request(socket, 'room:join', { roomId, nickname: `m${i}` });
      if (!joined.ok) throw new Error(`join failed: ${joined.error.message}`);
    }
    rooms.push({ roomId, sender, receivers });
  }

  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000 });
  const sentAt = new Map();
  let measuring = false;
  let expected = 0;
  let delivered = 0;
  let failedAcks = 0;
  for (const { receivers } of rooms) {
    for (const socket of receivers) {
      socket.on('message:new', (message) => {
        const sent = sentAt.get(message.clientId);
        if (!sent?.measured) return;
        delivered++;
        histogram.recordValue(Math.max(1, Math.round((performance.now() - sent.at) * 1000)));
      });
    }
  }

  const timers = [];
  for (const [n, { roomId, sender }] of rooms.entries()) {
    const intervalMs = 1000 / SENDS_PER_SECOND;
    // Spread the rooms' schedules over the interval instead of sending in lockstep.
    timers.push(
      setTimeout(
        () => {
          timers.push(
            setInterval(() => {
              const clientId = randomUUID();
              sentAt.set(clientId, { at: performance.now(), measured: measuring });
              if (measuring) expected += ROOM_SIZE - 1;
              request(sender, 'message:send', { roomId, clientId, text: 'x'.repeat(40) }).then(
                (reply) => reply.ok || failedAcks++,
                () => failedAcks++,
              );
            }, intervalMs),
          );
        },
        (n / ROOMS) * intervalMs,
      ),
    );
  }
  await sleep(WARM_MS);
  measuring = true;
  await sleep(MEASURE_MS);
  measuring = false;
  await sleep(DRAIN_MS);
  for (const timer of timers) clearInterval(timer);
  for (const { sender, receivers } of rooms) {
    for (const socket of [sender, ...receivers]) socket.disconnect();
  }

  const ms = (percentile) => histogram.getValueAtPercentile(percentile) / 1000;
  return {
    label,
    deliveriesPerSecond: Math.round(delivered / (MEASURE_MS / 1000)),
    deliveryRatio: expected === 0 ? 0 : delivered / expected,
    p50: ms(50),
    p99: ms(99),
    p999: ms(99.9),
    max: histogram.maxValue / 1000,
    failedAcks,
  };
}

/** A fresh PostgreSQL database for the run, dropped afterwards. */
async function freshDatabase() {
  const name = `livechat_bench_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

async function main() {
  const results = [];
  const single = await start({});
  try {
    results.push(await runLoad('one process, embedded SQLite', single.url, single.url));
  } finally {
    await single.stop();
  }

  const database = await freshDatabase();
  const alone = await start({ DATABASE_URL: database.url });
  try {
    results.push(await runLoad('one process, PostgreSQL', alone.url, alone.url));
  } finally {
    await alone.stop();
  }
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: `livechat-bench-${randomUUID().slice(0, 8)}`,
  };
  const [a, b] = await Promise.all([start(env), start(env)]);
  try {
    results.push(await runLoad('two processes, everyone on A', a.url, a.url));
    results.push(await runLoad('two processes, senders on A, receivers on B', a.url, b.url));
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await database.drop();
  }
  report(results);
}

function report(results) {
  const [baseline, , sameProcess] = results;
  const ratio = (value, base) => (base > 0 ? `${(value / base).toFixed(2)}×` : '–');
  const rows = results.map(
    (r) =>
      `| ${r.label} | ${r.deliveriesPerSecond.toLocaleString('en')} | ${(r.deliveryRatio * 100).toFixed(3)} % | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.p999.toFixed(2)} | ${r.failedAcks} | ${ratio(r.p50, sameProcess.p50)} / ${ratio(r.p99, sameProcess.p99)} |`,
  );
  const date = new Date().toISOString();
  const text = [
    `# Cross-process delivery latency (${date})`,
    '',
    `${ROOMS} rooms of ${ROOM_SIZE} socket.io-client members in one load process; in each room one sender sends ${SENDS_PER_SECOND} messages/s on a fixed schedule to ${ROOM_SIZE - 1} receivers (${(ROOMS * SENDS_PER_SECOND * (ROOM_SIZE - 1)).toLocaleString('en')} deliveries/s offered); ${MEASURE_MS / 1000} s measured after ${WARM_MS / 1000} s of warm-up. Every message is stored before it is broadcast. Node ${process.version}, ${os.cpus().length} cores. Same run, same machine: compare the ratios.`,
    '',
    '| setup | deliveries/s | delivered | p50 (ms) | p99 (ms) | p99.9 (ms) | failed acks | p50 / p99 ÷ two processes, everyone on A |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Baseline for the embedded default: p50 ${baseline.p50.toFixed(2)} ms, p99 ${baseline.p99.toFixed(2)} ms.`,
    '',
  ].join('\n');
  console.log(text);
  if (!process.argv.includes('--no-write')) {
    const dir = path.join(ROOT, 'bench/results');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${date.slice(0, 10)}-cluster.md`);
    writeFileSync(file, text);
    console.log(`written to ${path.relative(ROOT, file)}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
