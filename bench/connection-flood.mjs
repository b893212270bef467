#!/usr/bin/env node
/**
 * One address opens FLOOD_SOCKETS Socket.IO connections that never join a room, while a
 * client on another address times `latency:ping` round trips. Run against the production
 * build twice in the same run: with the per-address cap (MAX_CONNECTIONS_PER_ADDRESS=500, the
 * default) and without it (a cap too high to matter), and reports how many were accepted,
 * the server's RSS growth, and the other client's round trips during the flood as ratios to
 * its round trips before the flood.
 *
 *   npm run build && npm run bench:flood
 */
import { performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';
import { startServer } from './lib/processes.mjs';

const FLOOD_SOCKETS = Number(process.env.FLOOD_SOCKETS ?? 3000);
const PINGS = 200;

function connect(url, extra = {}) {
  return new Promise((resolve) => {
    const socket = io(url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      ...extra,
    });
    socket.once('connect', () => resolve({ socket, accepted: true }));
    socket.once('connect_error', () => resolve({ socket, accepted: false }));
  });
}

async function roundTrips(socket, count) {
  const times = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await socket.timeout(5000).emitWithAck('latency:ping', {});
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { p50: at(0.5), p99: at(0.99) };
}

async function run(label, cap) {
  const server = await startServer('ours', { env: { MAX_CONNECTIONS_PER_ADDRESS: String(cap) } });
  const url = `http://127.0.0.1:${server.port}`;
  try {
    const other = (await connect(url, { localAddress: '127.0.0.2' })).socket;
    await roundTrips(other, 50); // warm-up
    const before = await roundTrips(other, PINGS);
    const rssBefore = (await server.probe('memory', { gc: true })).rss;
    const flood = [];
    const during = roundTrips(other, PINGS);
    for (let i = 0; i < FLOOD_SOCKETS; i += 100) {
      flood.push(...(await Promise.all(Array.from({ length: 100 }, () => connect(url)))));
    }
    const duringFlood = await during;
    const rssAfter = (await server.probe('memory', { gc: true })).rss;
    const accepted = flood.filter((entry) => entry.accepted).length;
    for (const { socket } of flood) socket.close();
    other.close();
    return { label, accepted, rssGrowthMb: (rssAfter - rssBefore) / 2 ** 20, before, duringFlood };
  } finally {
    await server.stop();
  }
}

const results = [await run('cap 500 (default)', 500), await run('no cap (1,000,000)', 1_000_000)];
const ms = (value) => value.toFixed(2);
console.log(
  `${FLOOD_SOCKETS} silent sockets from one address; another address pings ${PINGS} times\n`,
);
console.log(
  '| server | accepted | RSS growth | other p50 before → during | ratio | other p99 before → during | ratio |',
);
console.log('|---|---|---|---|---|---|---|');
for (const r of results) {
  console.log(
    `| ${r.label} | ${r.accepted} | ${r.rssGrowthMb.toFixed(1)} MB | ${ms(r.before.p50)} → ${ms(r.duringFlood.p50)} ms | ` +
      `${(r.duringFlood.p50 / r.before.p50).toFixed(2)}× | ${ms(r.before.p99)} → ${ms(r.duringFlood.p99)} ms | ` +
      `${(r.duringFlood.p99 / r.before.p99).toFixed(2)}× |`,
  );
}
