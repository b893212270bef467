/**
 * The six scenarios. Each runs once per server kind ('reference', 'socketio', then 'ours') on
 * a fresh server, and returns plain numbers; report.mjs turns them into tables and ratios.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { clientClasses } from './clients.mjs';
import { nowUs, sleep, sleepUntil } from './clock.mjs';
import { summarise, summariseValues } from './histogram.mjs';
import { ROOT, startGenerators, startServer, stopGenerators } from './processes.mjs';
import { cpuMeter, foreignMeter, rssBytes, systemMeter } from './proc.mjs';

const HOST = '127.0.0.1';
/** A generator process above this share of a core makes a measurement invalid. */
export const GENERATOR_CPU_LIMIT = 85;

/** Above this share of the server's core used by other processes, a run is marked noisy. */
export const FOREIGN_CPU_LIMIT = 10;

/** Above this share of the server's core taken by the hypervisor (steal), likewise. */
export const STEAL_CPU_LIMIT = 5;

/**
 * What else happened on the machine during a window: CPU used by processes that are not ours
 * and CPU the hypervisor took (steal) on the two pinned cores (when pinned), packet drops,
 * TCP retransmission timeouts and I/O stalls (machine-wide). I/O stalls are reported but do
 * not make a window noisy: they may be the server's own disk writes.
 */
function neighbours(ctx) {
  const cpu = ctx.pin
    ? foreignMeter({ 0: [ctx.server.pid], 1: [process.pid, ...ctx.generators.map((g) => g.pid)] })
    : undefined;
  const system = systemMeter();
  return {
    start() {
      cpu?.start();
      system.start();
    },
    read: () => {
      const cores = cpu?.read();
      return { foreign: cores?.foreign, stolen: cores?.stolen, system: system.read() };
    },
  };
}

function noise({ foreign, stolen, system }) {
  const reasons = [];
  if (foreign && foreign[0] > FOREIGN_CPU_LIMIT) {
    reasons.push(`other processes used ${foreign[0].toFixed(0)} % of the server core`);
  }
  if (stolen && stolen[0] > STEAL_CPU_LIMIT) {
    reasons.push(`the hypervisor took ${stolen[0].toFixed(0)} % of the server core`);
  }
  if (system.dropped > 0) reasons.push(`the kernel dropped ${system.dropped} packets`);
  if (system.tcpTimeouts > 0) reasons.push(`${system.tcpTimeouts} TCP retransmission timeouts`);
  return reasons.length ? reasons.join(', ') : undefined;
}

const range = (n) => Array.from({ length: n }, (_, i) => i);

/**
 * Runs `fn` against a fresh server of `kind` with the harness's generator processes.
 * @param {object} options {kind, pin, generators, dataDir?, log}
 */
export async function withServer(options, fn) {
  const { kind, pin, generators: generatorCount, dataDir, log } = options;
  const server = await startServer(kind, { cpu: pin ? 0 : undefined, dataDir });
  let generators = [];
  try {
    if (generatorCount > 0) {
      generators = await startGenerators(generatorCount, {
        cpu: pin ? 1 : undefined,
        kind,
        port: server.port,
      });
      await checkSharedClock(generators);
    }
    const ctx = { kind, server, generators, pin, log };
    const result = await fn(ctx);
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(`the ${kind} server died during the scenario:\n${server.logTail()}`);
    }
    return result;
  } catch (error) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      error.message += `\n--- server log tail ---\n${server.logTail()}`;
    }
    throw error;
  } finally {
    await stopGenerators(generators);
    await server.stop();
  }
}

/**
 * Latency is receive time minus scheduled time, taken in different processes, so they must
 * read one clock: each generator's reading must fall between two of ours.
 */
async function checkSharedClock(generators) {
  for (const generator of generators) {
    const before = nowUs();
    const { nowUs: theirs } = await generator.call('clock');
    const after = nowUs();
    if (!(theirs >= before && theirs <= after)) {
      throw new Error(
        `generator clock is not the harness clock (${before} ≤ ${theirs} ≤ ${after} fails): ` +
          'process.hrtime() is not machine-wide monotonic here, latency cannot be measured',
      );
    }
  }
}

/** Spread client indices over generator processes: client i lives in generator i mod P. */
function byGenerator(ctx, indices) {
  const lists = ctx.generators.map(() => []);
  for (const index of indices) lists[index % lists.length].push(index);
  return lists;
}

async function connectOne(ctx, options) {
  return clientClasses[ctx.kind].connect(HOST, ctx.server.port, options);
}

async function inParallel(count, concurrency, task) {
  const results = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(range(Math.min(concurrency, count)).map(worker));
  return results;
}

/**
 * Connects `clients` clients and seats them in rooms of `roomSize` (client i in room
 * ⌊i/roomSize⌋). Rooms are created by one extra client of the harness that does not join.
 */
async function populate(ctx, { clients, roomSize }) {
  const started = performance.now();
  const lists = byGenerator(ctx, range(clients));
  const connected = await Promise.all(
    ctx.generators.map((generator, g) => generator.call('connect', { indices: lists[g] })),
  );
  const failedConnects = connected.reduce((sum, r) => sum + r.failed, 0);
  if (failedConnects > 0) {
    throw new Error(
      `${failedConnects} connections failed: ${connected.find((r) => r.failed)?.firstError}`,
    );
  }
  const admin = await connectOne(ctx);
  const roomIds = await inParallel(Math.ceil(clients / roomSize), 16, () => admin.createRoom());
  const roomOf = (index) => roomIds[Math.floor(index / roomSize)];
  const joined = await Promise.all(
    ctx.generators.map((generator, g) =>
      generator.call('join', { assignments: lists[g].map((index) => [index, roomOf(index)]) }),
    ),
  );
  const failedJoins = joined.reduce((sum, r) => sum + r.failed, 0);
  if (failedJoins > 0) {
    throw new Error(`${failedJoins} joins failed: ${joined.find((r) => r.failed)?.firstError}`);
  }
  return {
    clients,
    roomSize,
    roomIds,
    roomOf,
    admin,
    setupS: (performance.now() - started) / 1000,
  };
}

/**
 * One measured window of open-loop load.
 * @param {object} load {senders: number[], roomSizeOf(i), roomOf(i), rate (msg/s per sender),
 *   warmS, measureS, drainMs, profileFile?, action? (what each sender does; generator.mjs)}
 */
export async function measureLoad(ctx, load) {
  const { senders, rate, warmS, measureS, drainMs } = load;
  const periodUs = 1e6 / rate;
  const warmUs = warmS * 1e6;
  const measureUs = measureS * 1e6;
  const plans = byGenerator(ctx, senders).map((indices) =>
    indices.map((index) => ({
      index,
      roomId: load.roomOf(index),
      roomSize: load.roomSizeOf(index),
      // Senders are spread evenly over one period: no synchronised bursts.
      phaseUs: (senders.indexOf(index) / senders.length) * periodUs,
    })),
  );
  const t0 = nowUs() + 300_000;
  const windowStart = t0 + warmUs;
  const windowEnd = windowStart + measureUs;
  const meter = cpuMeter([ctx.server.pid, ...ctx.generators.map((g) => g.pid)]);
  const runs = Promise.all(
    ctx.generators.map((generator, g) =>
      generator.call('run', {
        t0,
        warmUs,
        measureUs,
        periodUs,
        senders: plans[g],
        drainMs,
        action: load.action,
      }),
    ),
  );
  const others = neighbours(ctx);
  await sleepUntil(windowStart);
  meter.start();
  others.start();
  await ctx.server.probe('resetDelay');
  if (load.profileFile) await ctx.server.probe('profileStart', { intervalUs: 250 });
  await sleepUntil(windowEnd);
  const cpu = meter.read();
  const environment = others.read();
  const rss = rssBytes(ctx.server.pid);
  const delay = await ctx.server.probe('delay');
  const memory = await ctx.server.probe('memory', { gc: false });
  if (load.profileFile) await ctx.server.probe('profileStop', { file: load.profileFile });
  const results = await runs;
  const sum = (key) => results.reduce((total, r) => total + r[key], 0);
  const received = sum('received');
  const expected = sum('expected');
  const generatorCpu = cpu.percent.slice(1);
  const generatorTotal = generatorCpu.reduce((a, b) => a + b, 0);
  // Pinned, all generator processes share one core: their sum is what must stay below the limit.
  const generatorLimitExceeded = ctx.pin
    ? generatorTotal > GENERATOR_CPU_LIMIT
    : generatorCpu.some((p) => p > GENERATOR_CPU_LIMIT);
  return {
    offeredPerS: expected / measureS,
    sent: sum('sent'),
    expected,
    received,
    deliveredPerS: received / measureS,
    deliveryRatio: expected ? received / expected : NaN,
    ackOk: sum('ackOk'),
    ackErr: sum('ackErr'),
    lastError: results.find((r) => r.lastError)?.lastError,
    closedClients: sum('closed'),
    latency: summarise(results.map((r) => r.latency)),
    service: summarise(results.map((r) => r.service)),
    ack: summarise(results.map((r) => r.ack)),
    sendLag: summarise(results.map((r) => r.lag)),
    serverCpuPct: cpu.percent[0],
    cpuPerDeliveryUs: received ? (cpu.used[0] * 1e6) / received : NaN,
    cpuPerSendUs: sum('sent') ? (cpu.used[0] * 1e6) / sum('sent') : NaN,
    rssBytes: rss,
    heapUsedBytes: memory.heapUsed,
    loopDelay: delay,
    generatorCpuPct: generatorCpu,
    generatorCpuTotalPct: generatorTotal,
    foreignCpuPct: environment.foreign,
    stealCpuPct: environment.stolen,
    system: environment.system,
    noisy: noise(environment),
    valid: !generatorLimitExceeded,
    invalidReason: generatorLimitExceeded
      ? `generator CPU ${generatorTotal.toFixed(0)}% of its core (limit ${GENERATOR_CPU_LIMIT}%)`
      : undefined,
  };
}

/** (1) Idle connections ramp: memory and CPU per connection. */
export async function idleScenario(ctx, { connections, ratePerS, settleS }) {
  await sleep(500);
  const pid = ctx.server.pid;
  const memoryBefore = await ctx.server.probe('memory', { gc: true });
  const rssBefore = rssBytes(pid);
  const meter = cpuMeter([pid, ...ctx.generators.map((g) => g.pid)]);
  const others = neighbours(ctx);
  meter.start();
  others.start();
  const started = performance.now();
  const lists = byGenerator(ctx, range(connections));
  const results = await Promise.all(
    ctx.generators.map((generator, g) =>
      generator.call('connect', {
        indices: lists[g],
        ratePerSec: ratePerS / ctx.generators.length,
      }),
    ),
  );
  const rampS = (performance.now() - started) / 1000;
  const cpu = meter.read();
  const environment = others.read();
  await sleep(settleS * 1000);
  const memoryAfter = await ctx.server.probe('memory', { gc: true });
  const rssAfter = rssBytes(pid);
  const statuses = await Promise.all(ctx.generators.map((g) => g.call('status')));
  const connected = results.reduce((sum, r) => sum + r.connected, 0);
  const open = statuses.reduce((sum, s) => sum + s.open, 0);
  const generatorTotal = cpu.percent.slice(1).reduce((a, b) => a + b, 0);
  const exceeded = ctx.pin
    ? generatorTotal > GENERATOR_CPU_LIMIT
    : cpu.percent.slice(1).some((p) => p > GENERATOR_CPU_LIMIT);
  return {
    connections,
    connected,
    failed: results.reduce((sum, r) => sum + r.failed, 0),
    firstError: results.find((r) => r.firstError)?.firstError,
    openAfterSettle: open,
    rampS,
    connect: summarise(results.map((r) => r.connectUs)),
    rssBytes: rssAfter,
    rssPerConnBytes: (rssAfter - rssBefore) / connected,
    heapPerConnBytes: (memoryAfter.heapUsed - memoryBefore.heapUsed) / connected,
    cpuPerConnectUs: (cpu.used[0] * 1e6) / connected,
    serverCpuPct: cpu.percent[0],
    generatorCpuTotalPct: generatorTotal,
    foreignCpuPct: environment.foreign,
    stealCpuPct: environment.stolen,
    system: environment.system,
    noisy: noise(environment),
    valid: !exceeded && open === connections,
    invalidReason: exceeded
      ? `generator CPU ${generatorTotal.toFixed(0)}%`
      : open !== connections
        ? `${connections - open} connections missing after the ramp` +
          (results.some((r) => r.firstError)
            ? ` (${results.reduce((sum, r) => sum + r.failed, 0)} failed to connect: ${results.find((r) => r.firstError).firstError})`
            : '')
        : undefined,
  };
}

/** (2) Many small rooms at a steady rate, and (3) the knee on the same clients. */
export async function roomsScenario(
  ctx,
  { clients, roomSize, rate, warmS, measureS, drainMs, knee, profileFile },
) {
  const topology = await populate(ctx, { clients, roomSize });
  ctx.log(
    `    ${clients} clients seated in ${topology.roomIds.length} rooms in ${topology.setupS.toFixed(1)} s`,
  );
  const everyone = range(clients);
  const load = {
    senders: everyone,
    roomOf: topology.roomOf,
    roomSizeOf: () => roomSize,
    warmS,
    measureS,
    drainMs,
  };
  const steady = await measureLoad(ctx, { ...load, rate, profileFile });
  steady.setupS = topology.setupS;
  let kneeResult;
  if (knee) {
    await sleep(500);
    kneeResult = await kneeSearch(ctx, load, { clients, roomSize, ...knee });
  }
  topology.admin.close();
  return { steady, knee: kneeResult };
}

/**
 * Steps the offered load up (×factor) until p99 > 50 ms or delivery < 99.9 %, then bisects
 * between the last passing and the first failing rate `refine` times. Stops early, marked
 * generator-bound, when the generator saturates before the server does.
 */
const MAX_STEPS_DOWN = 3;

async function kneeSearch(ctx, load, knee) {
  const deliveriesPerSend = knee.roomSize;
  const steps = [];
  const step = async (offered, retry = true) => {
    const rate = offered / (knee.clients * deliveriesPerSend);
    const r = await measureLoad(ctx, {
      ...load,
      rate,
      warmS: knee.warmS,
      measureS: knee.measureS,
      drainMs: knee.drainMs,
    });
    r.pass = r.latency.p99 <= knee.p99LimitMs && r.deliveryRatio >= knee.minDeliveryRatio;
    r.offeredTarget = offered;
    steps.push(r);
    ctx.log(
      `    knee step ${Math.round(offered).toLocaleString('en-US')}/s: delivered ${Math.round(r.deliveredPerS).toLocaleString('en-US')}/s, ` +
        `p99 ${r.latency.p99.toFixed(1)} ms, ratio ${(r.deliveryRatio * 100).toFixed(2)}%, server CPU ${r.serverCpuPct.toFixed(0)}%, ` +
        `gen CPU ${r.generatorCpuTotalPct.toFixed(0)}% → ${r.pass ? 'pass' : 'FAIL'}${r.valid ? '' : ' (generator-bound)'}` +
        (r.noisy ? ` [noisy: ${r.noisy}]` : ''),
    );
    // Let a backlog drain before the next step.
    await sleep(r.pass ? 300 : knee.recoverS * 1000);
    // One stall of a few hundred milliseconds (a descheduled process, a lost packet) decides
    // a step's p99 by itself; what limits the server shows up again, so a failure must repeat.
    if (!r.pass && r.valid && retry && knee.repeatFailures) {
      r.repeated = true;
      return step(offered, false);
    }
    return r;
  };
  let best;
  let failed;
  let generatorBound = false;
  // Up by `factor` from the start while steps pass; down while they fail, if the very first
  // one already failed.
  let offered = knee.startPerS;
  let down = 0;
  for (let i = 0; i < knee.maxSteps && down <= MAX_STEPS_DOWN; i++) {
    const r = await step(offered);
    if (!r.valid) {
      generatorBound = true;
      if (r.pass && (!best || r.offeredTarget > best.offeredTarget)) best = r;
      break;
    }
    if (r.pass) {
      best = r;
      if (failed) break;
      offered *= knee.factor;
    } else {
      failed = r;
      if (best) break;
      offered /= knee.factor;
      down++;
    }
  }
  if (!generatorBound && best && failed) {
    for (let i = 0; i < knee.refine; i++) {
      const r = await step(Math.sqrt(best.offeredTarget * failed.offeredTarget));
      if (!r.valid) break;
      if (r.pass) best = r;
      else failed = r;
    }
  }
  return {
    kneeDeliveredPerS: best ? best.deliveredPerS : 0,
    kneeOfferedPerS: best ? best.offeredTarget : 0,
    firstFailOfferedPerS: failed?.offeredTarget,
    atKnee: best,
    generatorBound,
    reachedTop: !failed && !generatorBound,
    steps: steps.map((s) => ({
      offeredPerS: s.offeredTarget,
      deliveredPerS: s.deliveredPerS,
      p99: s.latency.p99,
      deliveryRatio: s.deliveryRatio,
      serverCpuPct: s.serverCpuPct,
      generatorCpuTotalPct: s.generatorCpuTotalPct,
      pass: s.pass,
      valid: s.valid,
      noisy: s.noisy,
      repeated: s.repeated,
    })),
  };
}

/**
 * (6) What changing a sent message costs: the clients of 2, on ours only (the baselines know
 * no edits or reactions). Each client first sends one message of its own; then windows on the
 * same server at the same rate, two of each kind: plain sends, reactions put on that message
 * and taken off in turn (each one a change), and edits of it. Every request of a window is
 * timed to its acknowledgement, so all are measured alike. Returns each kind's two windows.
 */
export async function changesScenario(
  ctx,
  { clients, roomSize, rate, firstWarmS, warmS, measureS, drainMs },
) {
  const topology = await populate(ctx, { clients, roomSize });
  const lists = byGenerator(ctx, range(clients));
  const seeded = await Promise.all(
    ctx.generators.map((generator, g) =>
      generator.call('seed', {
        senders: lists[g].map((index) => ({ index, roomId: topology.roomOf(index) })),
      }),
    ),
  );
  const failedSeeds = seeded.reduce((sum, r) => sum + r.failed, 0);
  if (failedSeeds > 0) {
    throw new Error(
      `${failedSeeds} seed messages failed: ${seeded.find((r) => r.failed)?.firstError}`,
    );
  }
  ctx.log(
    `    ${clients} clients seated in ${topology.roomIds.length} rooms, one message each, in ${topology.setupS.toFixed(1)} s`,
  );
  const load = {
    senders: range(clients),
    roomOf: topology.roomOf,
    roomSizeOf: () => roomSize,
    rate,
    warmS,
    measureS,
    drainMs,
  };
  const windows = { send: [], react: [], edit: [] };
  for (const [index, kind] of CHANGE_ORDER.entries()) {
    await sleep(500);
    // A fresh server's first seconds of load cost more than later ones: the first window
    // warms up longer.
    const w = await measureLoad(ctx, {
      ...load,
      action: CHANGE_ACTIONS[kind],
      warmS: index === 0 ? firstWarmS : warmS,
    });
    windows[kind].push(w);
    ctx.log(
      `    ${kind}: delivered ${Math.round(w.deliveredPerS)}/s, ack p50 ${w.ack.p50.toFixed(2)} ms, ` +
        `p99 ${w.ack.p99.toFixed(2)} ms, CPU/delivery ${w.cpuPerDeliveryUs.toFixed(2)} µs`,
    );
  }
  topology.admin.close();
  return { setupS: topology.setupS, ...windows };
}

/**
 * Scenario 6's windows, in the order they run: each kind twice, mirrored (ABCCBA), so that a
 * cost drifting through the scenario (a server still warming up, a machine getting busier)
 * weighs on every kind alike.
 */
const CHANGE_ORDER = ['send', 'react', 'edit', 'edit', 'react', 'send'];
/** What the generator does in a window of each kind (generator.mjs, ACTIONS). */
const CHANGE_ACTIONS = { send: 'timedSend', react: 'react', edit: 'edit' };

/** (4) One big room, one sender. */
export async function bigRoomScenario(ctx, { members, rate, warmS, measureS, drainMs }) {
  const topology = await populate(ctx, { clients: members, roomSize: members });
  ctx.log(`    ${members} members seated in ${topology.setupS.toFixed(1)} s`);
  const result = await measureLoad(ctx, {
    senders: [0],
    roomOf: topology.roomOf,
    roomSizeOf: () => members,
    rate,
    warmS,
    measureS,
    drainMs,
  });
  result.setupS = topology.setupS;
  topology.admin.close();
  return result;
}

const FILL_TEXT =
  'A stored message for the history benchmark, about as long as a typical chat line is.';

/**
 * (5) History: a room holding `messages` stored messages. Ours is preloaded through livechat's
 * own store code (dist/lib/store) before the server starts; the baselines are filled in memory.
 */
export async function preloadOurs({ messages }) {
  const require = createRequire(path.join(ROOT, 'package.json'));
  const { openStore } = require('./dist/lib/store/open-store.js');
  const { Sessions } = require('./dist/lib/server/sessions.js');
  const { generateRoomId } = require('./dist/lib/chat/room-id.js');
  const { checkNickname } = require('./dist/lib/chat/nickname.js');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'livechat-bench-history-'));
  const started = performance.now();
  const { store, description } = await openStore({
    dataDir,
    databaseUrl: process.env.DATABASE_URL || undefined,
  });
  try {
    const now = new Date().toISOString();
    const { token, sessionId } = await new Sessions(store, randomBytes).issue();
    const roomId = generateRoomId(randomBytes);
    await store.createRoom(roomId, now);
    const nickname = checkNickname('owner').value;
    await store.claimMember({
      roomId,
      sessionId,
      nickname: nickname.display,
      nicknameKey: nickname.key,
      lookKeys: nickname.lookKeys,
      joinedAt: now,
    });
    const append = (i) =>
      store.appendUserMessage({
        id: randomUUID(),
        roomId,
        sessionId,
        clientId: randomUUID(),
        text: `${FILL_TEXT} #${i}`,
        createdAt: now,
      });
    // The first and last messages go through the store's own code; on SQLite the ones in
    // between are written in one transaction with the store's own INSERT (lib/store/sql.ts),
    // seconds instead of a minute. Should that fail, or on PostgreSQL, every message goes
    // through the store.
    await append(0);
    let next = 1;
    const db = store.db;
    if (typeof db?.prepare === 'function' && messages > 2) {
      try {
        const { SQLITE_SQL } = require('./dist/lib/store/sql.js');
        const insert = db.prepare(SQLITE_SQL.insertMessage);
        db.transaction(() => {
          for (let i = 1; i < messages - 1; i++) {
            insert.run(
              roomId,
              i + 1,
              randomUUID(),
              'user',
              nickname.display,
              `${FILL_TEXT} #${i}`,
              now,
              sessionId,
              randomUUID(),
            );
          }
        })();
        next = messages - 1;
      } catch (error) {
        process.stdout.write(`    direct preload failed (${error.message}); using the store API\n`);
      }
    }
    for (let i = next; i < messages; i++) await append(i);
    return { dataDir, roomId, token, description, preloadS: (performance.now() - started) / 1000 };
  } finally {
    await store.close();
  }
}

export function removeDir(dir) {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export async function historyScenario(ctx, { messages, joins, pages, preload }) {
  let owner;
  let roomId;
  let preloadS;
  if (ctx.kind === 'ours') {
    ({ roomId, preloadS } = preload);
    owner = await connectOne(ctx, { token: preload.token });
  } else {
    owner = await connectOne(ctx);
    roomId = await owner.createRoom();
    const started = performance.now();
    const filled = await owner.fill(roomId, messages, FILL_TEXT);
    if (!filled.ok) throw new Error('fill failed');
    preloadS = (performance.now() - started) / 1000;
  }
  const timed = async (request) => {
    const started = nowUs();
    const result = await request();
    const elapsed = nowUs() - started;
    if (!result.ok) throw new Error(`request failed: ${JSON.stringify(result.error ?? result)}`);
    if (!Array.isArray(result.messages) || result.messages.length !== 50 || !result.hasMore) {
      throw new Error(
        `expected a full first page with more behind it, got ${result.messages?.length}`,
      );
    }
    return elapsed;
  };
  // The owner's first join is the cold one (nothing of the room is cached yet).
  const coldJoinUs = await timed(() => owner.join(roomId, 'owner'));
  const meter = cpuMeter([ctx.server.pid]);
  const others = neighbours(ctx);
  meter.start();
  others.start();
  const joinTimes = [];
  const joiners = [];
  for (let i = 0; i < joins; i++) {
    const client = await connectOne(ctx);
    joiners.push(client);
    joinTimes.push(await timed(() => client.join(roomId, `joiner${i}`)));
  }
  const joinCpu = meter.read();
  meter.start();
  const pageTimes = [];
  for (let i = 0; i < pages; i++) pageTimes.push(await timed(() => owner.history(roomId)));
  const pageCpu = meter.read();
  const environment = others.read();
  const rss = rssBytes(ctx.server.pid);
  for (const client of joiners) client.close();
  owner.close();
  return {
    messages,
    preloadS,
    coldJoinMs: coldJoinUs / 1000,
    join: summariseValues(joinTimes),
    newestPage: summariseValues(pageTimes),
    serverCpuPerJoinUs: (joinCpu.used[0] * 1e6) / joins,
    serverCpuPerPageUs: (pageCpu.used[0] * 1e6) / pages,
    rssBytes: rss,
    foreignCpuPct: environment.foreign,
    stealCpuPct: environment.stolen,
    system: environment.system,
    noisy: noise(environment),
    valid: true,
  };
}
