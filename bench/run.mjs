#!/usr/bin/env node
/**
 * livechat benchmark harness: `npm run bench` (full) or `npm run bench -- --quick`.
 *
 * For each scenario it starts a fresh server — the reference (reference-server.mjs), Socket.IO
 * alone (socketio-server.mjs), then ours (dist/server.js, production mode, SQLite in a fresh
 * DATA_DIR or DATABASE_URL when set) — on core 0, generator processes on core 1, measures, and
 * writes bench/results/<date>-<mode>.md and docs/performance.md. See docs/performance.md for
 * the method.
 *
 * Options:
 *   --quick              scaled-down scenarios, under three minutes
 *   --only=1,2,3,4,5,6   run only these scenarios (3 runs on 2's clients; 6 on ours only)
 *   --targets=ours,socketio,reference
 *                        servers to run (default: all three; quick runs: ours and reference)
 *   --generators=N       generator processes (default 2)
 *   --profile            CPU-profile each server during scenario 2's window
 *   --no-pin             do not pin with taskset
 *   --nice=N             run servers and generators under `nice -n N` (e.g. -10 as root on a
 *                        busy machine; default 0)
 *   --no-write           print only; do not write bench/results or docs/performance.md
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildPresent, BENCH_DIR, haveTaskset, ROOT } from './lib/processes.mjs';
import { openFilesLimit } from './lib/proc.mjs';
import { renderScenarios, renderTargets, table } from './lib/report.mjs';
import {
  bigRoomScenario,
  changesScenario,
  GENERATOR_CPU_LIMIT,
  historyScenario,
  idleScenario,
  preloadOurs,
  removeDir,
  roomsScenario,
  withServer,
} from './lib/scenarios.mjs';
import { summariseProfile } from './profile-summary.mjs';

const FULL = {
  idle: { connections: 10_000, ratePerS: 1000, settleS: 3 },
  rooms: { clients: 1000, roomSize: 10, rate: 1, warmS: 5, measureS: 30, drainMs: 2000 },
  knee: {
    startPerS: 10_000,
    factor: 1.5,
    maxSteps: 12,
    refine: 2,
    warmS: 2,
    measureS: 8,
    drainMs: 2000,
    recoverS: 3,
    repeatFailures: true,
    p99LimitMs: 50,
    minDeliveryRatio: 0.999,
  },
  bigRoom: { members: 1000, rate: 10, warmS: 3, measureS: 20, drainMs: 2000 },
  history: { messages: 100_000, joins: 200, pages: 1000 },
  changes: {
    clients: 1000,
    roomSize: 10,
    rate: 1,
    firstWarmS: 10,
    warmS: 3,
    measureS: 15,
    drainMs: 2000,
  },
};

const QUICK = {
  idle: { connections: 2000, ratePerS: 1000, settleS: 1 },
  rooms: { clients: 200, roomSize: 10, rate: 1, warmS: 1, measureS: 6, drainMs: 1000 },
  knee: {
    startPerS: 10_000,
    factor: 2,
    maxSteps: 7,
    refine: 0,
    warmS: 0.5,
    measureS: 2,
    drainMs: 500,
    recoverS: 1,
    repeatFailures: false,
    p99LimitMs: 50,
    minDeliveryRatio: 0.999,
  },
  bigRoom: { members: 200, rate: 10, warmS: 1, measureS: 4, drainMs: 1000 },
  history: { messages: 100_000, joins: 50, pages: 200 },
  changes: {
    clients: 200,
    roomSize: 10,
    rate: 1,
    firstWarmS: 5,
    warmS: 1,
    measureS: 6,
    drainMs: 1000,
  },
};

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    targets: { type: 'string' },
    generators: { type: 'string', default: '2' },
    profile: { type: 'boolean', default: false },
    'no-pin': { type: 'boolean', default: false },
    nice: { type: 'string', default: '0' },
    'no-write': { type: 'boolean', default: false },
  },
});

const mode = options.quick ? 'quick' : 'full';
const params = options.quick ? QUICK : FULL;
const only = new Set((options.only ?? '1,2,3,4,5,6').split(',').map((s) => Number(s.trim())));
// Socket.IO alone joins full runs by default; quick runs keep to two servers to stay short.
const targets = (options.targets ?? (options.quick ? 'reference,ours' : 'reference,socketio,ours'))
  .split(',')
  .map((kind) => kind.trim());
const kinds = ['reference', 'socketio', 'ours'].filter((kind) => targets.includes(kind));
const generatorCount = Math.max(1, Number(options.generators) || 2);
const started = performance.now();
const log = (line) => {
  const seconds = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
  process.stdout.write(`[${seconds} s] ${line}\n`);
};

function preflight() {
  if (kinds.includes('ours') && !buildPresent()) {
    log(
      'No production build found (dist/server.js and .next/BUILD_ID). Run `npm run build` first.',
    );
    process.exit(1);
  }
  const notes = [];
  let pin = !options['no-pin'];
  if (pin && (os.availableParallelism() < 2 || !haveTaskset())) {
    pin = false;
    notes.push('not pinned: needs 2 cores and `taskset`; server and generator compete for CPU');
  } else if (!pin) {
    notes.push('not pinned (--no-pin)');
  }
  if (pin) {
    // The harness itself (scenario 5 client, room set-up) runs on the generator core too.
    spawnSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
  }
  const niceness = Number(options.nice) || 0;
  if (niceness) {
    // Children (servers, generators) inherit the harness's niceness.
    const renice = spawnSync('renice', ['-n', String(niceness), '-p', String(process.pid)], {
      stdio: 'ignore',
    });
    if (renice.status !== 0) {
      notes.push(`could not renice to ${niceness} (needs root for negative values)`);
    }
  }
  const limit = openFilesLimit();
  const needed = (only.has(1) ? params.idle.connections : params.rooms.clients) + 200;
  if (limit && limit.hard < needed) {
    notes.push(
      `open-files hard limit ${limit.hard} < ${needed} needed: raise it (as root \`ulimit -Hn 65536\`, ` +
        'or LimitNOFILE= / /etc/security/limits.conf) — scenario 1 will fail',
    );
  }
  return { pin, notes, nofile: limit, niceness: os.getPriority() };
}

function versionOf(pkg) {
  try {
    return JSON.parse(readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8'))
      .version;
  } catch {
    return '?';
  }
}

function machine(pre) {
  const cpus = os.cpus();
  let build = '?';
  try {
    build = `${readFileSync(path.join(ROOT, '.next', 'BUILD_ID'), 'utf8').trim()}, dist/server.js of ${statSync(path.join(ROOT, 'dist', 'server.js')).mtime.toISOString()}`;
  } catch {
    // no build: reference-only run
  }
  return table(
    ['machine', ''],
    [
      ['CPU', `${cpus.length} × ${cpus[0]?.model ?? '?'}`],
      ['memory', `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`],
      ['OS', `${os.type()} ${os.release()}`],
      ['Node.js', process.version],
      [
        'packages',
        ['socket.io', 'ws', 'next', 'better-sqlite3', 'bufferutil', 'hdr-histogram-js']
          .map((pkg) => `${pkg} ${versionOf(pkg)}`)
          .join(', '),
      ],
      ['livechat build', build],
      [
        'our store',
        process.env.DATABASE_URL
          ? 'PostgreSQL (DATABASE_URL)'
          : 'SQLite in a fresh DATA_DIR (WAL, synchronous=NORMAL)',
      ],
      ['REDIS_URL', process.env.REDIS_URL ? 'set (passed to the server)' : 'not set'],
      ['pinning', pre.pin ? 'server on CPU 0, generators and harness on CPU 1 (taskset)' : 'none'],
      ['scheduling priority', `niceness ${pre.niceness}${pre.niceness ? ' (--nice)' : ''}`],
      ['open files', pre.nofile ? `soft ${pre.nofile.soft}, hard ${pre.nofile.hard}` : '?'],
      ['generator processes', String(generatorCount)],
    ],
  );
}

async function main() {
  const pre = preflight();
  for (const note of pre.notes) log(`warning: ${note}`);
  log(`livechat bench (${mode}) — scenarios ${[...only].join(',')}, servers ${kinds.join(', ')}`);
  const results = {};
  const common = { pin: pre.pin, generators: generatorCount, log };
  const failures = [];
  const pair = async (name, label, body) => {
    results[name] = {};
    for (const kind of kinds) {
      log(`${label} — ${kind}`);
      try {
        results[name][kind] = await body(kind);
      } catch (error) {
        failures.push(`${label} (${kind}): ${error.message}`);
        log(`  failed: ${error.message}`);
      }
    }
  };

  if (only.has(1)) {
    await pair('idle', 'scenario 1: idle connections', (kind) =>
      withServer({ ...common, kind }, (ctx) => idleScenario(ctx, params.idle)),
    );
  }

  if (only.has(2) || only.has(3)) {
    results.rooms = { steady: {}, knee: {} };
    for (const kind of kinds) {
      log(`scenario 2${only.has(3) ? ' + 3' : ''}: rooms of ${params.rooms.roomSize} — ${kind}`);
      const profileFile = options.profile ? profilePath(kind) : undefined;
      try {
        const { steady, knee } = await withServer({ ...common, kind }, (ctx) =>
          roomsScenario(ctx, {
            ...params.rooms,
            knee: only.has(3) ? params.knee : undefined,
            profileFile,
          }),
        );
        if (only.has(2)) results.rooms.steady[kind] = steady;
        if (knee) results.rooms.knee[kind] = knee;
        log(
          `    steady: delivered ${Math.round(steady.deliveredPerS)}/s, p50 ${steady.latency.p50.toFixed(2)} ms, ` +
            `p99 ${steady.latency.p99.toFixed(2)} ms, CPU/delivery ${steady.cpuPerDeliveryUs.toFixed(2)} µs`,
        );
        if (profileFile) {
          log(`    CPU profile written to ${path.relative(ROOT, profileFile)}`);
          log(summariseProfile(profileFile, 15));
        }
      } catch (error) {
        failures.push(`scenario 2/3 (${kind}): ${error.message}`);
        log(`  failed: ${error.message}`);
      }
    }
    if (!only.has(2)) delete results.rooms.steady;
    if (!only.has(3)) delete results.rooms.knee;
  }

  if (only.has(4)) {
    await pair('bigRoom', `scenario 4: one room of ${params.bigRoom.members}`, (kind) =>
      withServer({ ...common, kind }, (ctx) => bigRoomScenario(ctx, params.bigRoom)),
    );
  }

  if (only.has(5)) {
    await pair('history', 'scenario 5: history', async (kind) => {
      let preload;
      try {
        if (kind === 'ours') {
          log(`    preloading ${params.history.messages} messages through livechat's store`);
          preload = await preloadOurs(params.history);
        }
        return await withServer(
          { ...common, kind, generators: 0, dataDir: preload?.dataDir },
          (ctx) => historyScenario(ctx, { ...params.history, preload }),
        );
      } finally {
        removeDir(preload?.dataDir);
      }
    });
  }

  if (only.has(6) && kinds.includes('ours')) {
    log('scenario 6: changing sent messages — ours');
    try {
      results.changes = await withServer({ ...common, kind: 'ours' }, (ctx) =>
        changesScenario(ctx, params.changes),
      );
    } catch (error) {
      failures.push(`scenario 6 (ours): ${error.message}`);
      log(`  failed: ${error.message}`);
    }
  }

  const elapsedS = (performance.now() - started) / 1000;
  const report = renderReport(results, pre, failures, elapsedS);
  process.stdout.write(`\n${report}\n`);
  if (!options['no-write']) await writeReport(report);
  if (failures.length) process.exitCode = 1;
}

function profilePath(kind) {
  const dir = path.join(BENCH_DIR, 'results', 'profiles');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, `${today()}-${mode}-s2-${kind}.cpuprofile`);
}

function today() {
  return new Date().toISOString().slice(0, 10);
}

function renderReport(results, pre, failures, elapsedS) {
  const lines = [
    `## Results: ${mode} run of ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
    '',
    `Finished in ${elapsedS.toFixed(0)} s. Every figure of ours sits next to the reference (and Socket.IO alone, where it ran) from the same run; ` +
      'absolute numbers move by ±40 % from run to run on this machine, so compare the ratios.',
    '',
    machine(pre),
    '',
  ];
  if (pre.notes.length || failures.length) {
    lines.push('**Warnings**', '');
    for (const note of [...pre.notes, ...failures]) lines.push(`- ${note.replace(/\n/g, ' ')}`);
    lines.push('');
  }
  const targets = renderTargets(results);
  if (targets) lines.push('### Targets', '', targets, '');
  lines.push(renderScenarios(results, params), '');
  lines.push(
    '### Parameters',
    '',
    '```json',
    JSON.stringify(params, null, 1)
      .replace(/\n\s*/g, ' ')
      .replace(/\{ "(idle|rooms|knee|bigRoom|history|changes)"/g, '{\n "$1"')
      .replace(/\}, "/g, '},\n "'),
    '```',
    '',
    `A run is flagged invalid when the generator processes together use more than ${GENERATOR_CPU_LIMIT} % of their core.`,
  );
  return lines.join('\n');
}

async function writeReport(report) {
  const resultsDir = path.join(BENCH_DIR, 'results');
  mkdirSync(resultsDir, { recursive: true });
  // A later run of the same day gets its own file: -2, -3, …
  let resultFile = path.join(resultsDir, `${today()}-${mode}.md`);
  for (let n = 2; existsSync(resultFile); n++) {
    resultFile = path.join(resultsDir, `${today()}-${mode}-${n}.md`);
  }
  const docsFile = path.join(ROOT, 'docs', 'performance.md');
  const method = readFileSync(path.join(BENCH_DIR, 'method.md'), 'utf8').trimEnd();
  const files = [
    [resultFile, `# livechat benchmark: ${today()} (${mode})\n\n${report}\n`],
    [docsFile, `${method}\n\n${report.replace(/^## Results/, '## Latest results')}\n`],
  ];
  for (const [file, text] of files) {
    writeFileSync(file, await formatMarkdown(text, file));
    log(`wrote ${path.relative(ROOT, file)}`);
  }
}

/** Formats with the repository's prettier settings, so `format:check` stays green. */
async function formatMarkdown(text, file) {
  try {
    const prettier = await import('prettier');
    const config = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(text, { ...config, filepath: file });
  } catch {
    return text;
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
