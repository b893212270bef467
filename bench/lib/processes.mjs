/**
 * Starting the processes of a run: the server under test (pinned to the server core, with the
 * probe preloaded) and the generator processes (pinned to the generator core), each through a
 * small shell wrapper that raises the soft open-files limit to the hard one first.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sleep } from './clock.mjs';

export const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const ROOT = path.dirname(BENCH_DIR);

/** Raise the soft open-files limit as far as allowed, then run the command in place. */
const RAISE_NOFILE = 'ulimit -n "$(ulimit -H -n)" 2>/dev/null; exec "$@"';

export function haveTaskset() {
  return spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
}

/** argv for a command pinned to `cpu` (no pinning when cpu is undefined). */
function pinned(cpu, argv) {
  return cpu === undefined ? argv : ['taskset', '-c', String(cpu), ...argv];
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function waitForPort(port, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null || child.signalCode !== null) {
        reject(new Error(`server exited during start-up (${child.exitCode ?? child.signalCode})`));
        return;
      }
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.on('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.on('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`server not listening after ${timeoutMs} ms`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** Request/response over a child's IPC channel, matching replies by a numeric id field. */
function ipcCaller(child, idField) {
  let nextId = 1;
  const waiting = new Map();
  child.on('message', (message) => {
    const waiter = message && waiting.get(message[idField]);
    if (!waiter) return;
    waiting.delete(message[idField]);
    if (message.error) waiter.reject(new Error(message.error));
    else waiter.resolve(message.result);
  });
  child.on('exit', (code, signal) => {
    for (const waiter of waiting.values()) {
      waiter.reject(new Error(`process exited (${code ?? signal}) before answering`));
    }
    waiting.clear();
  });
  return (cmd, args = {}) =>
    new Promise((resolve, reject) => {
      if (!child.connected) {
        reject(new Error('process is gone'));
        return;
      }
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      child.send({ [idField]: id, cmd, args });
    });
}

/**
 * Rate limits stay on, so every request takes the production path through the limiters, but
 * far above any load the scenarios offer: all their clients share one address, and the knee
 * search drives a session to several messages a second.
 */
/**
 * V8 flags of the production start script (`npm start`): a 32 MB young generation, so that the
 * short-lived objects of each message die young instead of being promoted into old-generation
 * collections that pause the event loop.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=32'];

/** Diagnostic V8 flags for both servers, e.g. `BENCH_NODE_FLAGS=--trace-gc` (lands in the server log). */
function extraNodeFlags() {
  return (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
}

export const RAISED_RATE_LIMITS = {
  RATE_LIMITS: 'on',
  RATE_LIMIT_MESSAGES_PER_SECOND: '1000',
  RATE_LIMIT_CHANGES_PER_SECOND: '1000',
  RATE_LIMIT_HISTORY_PER_SECOND: '100000',
  RATE_LIMIT_JOINS_PER_MINUTE: '60000',
  RATE_LIMIT_RENAMES_PER_MINUTE: '60000',
  RATE_LIMIT_IP_MULTIPLIER: '10000',
  // Every simulated client comes from this machine's one address.
  MAX_CONNECTIONS_PER_ADDRESS: '100000',
};

/** The script each server kind runs. */
const SERVER_SCRIPTS = {
  ours: path.join(ROOT, 'dist', 'server.js'),
  socketio: path.join(BENCH_DIR, 'socketio-server.mjs'),
  reference: path.join(BENCH_DIR, 'reference-server.mjs'),
};

/**
 * Starts a server under test.
 * @param {'ours' | 'socketio' | 'reference'} kind
 * @param {{cpu?: number, env?: Record<string,string>, dataDir?: string}} options
 */
export async function startServer(kind, { cpu, env = {}, dataDir } = {}) {
  const port = await freePort();
  const workDir = mkdtempSync(path.join(os.tmpdir(), `livechat-bench-${kind}-`));
  const logFile = path.join(workDir, 'server.log');
  const log = openSync(logFile, 'a');
  const script = SERVER_SCRIPTS[kind];
  const probe = pathToFileURL(path.join(BENCH_DIR, 'probe.mjs')).href;
  const argv = pinned(cpu, [
    process.execPath,
    '--expose-gc',
    // Both servers run with the V8 setting that `npm start` gives ours in production.
    ...SERVER_NODE_FLAGS,
    ...extraNodeFlags(),
    '--import',
    probe,
    script,
  ]);
  const child = spawn('sh', ['-c', RAISE_NOFILE, 'sh', ...argv], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir ?? path.join(workDir, 'data'),
      MEMBER_GRACE_SECONDS: '30',
      ...RAISED_RATE_LIMITS,
      ...env,
    },
    stdio: ['ignore', log, log, 'ipc'],
  });
  closeSync(log);
  const probeCall = ipcCaller(child, 'probe');
  const server = {
    kind,
    port,
    pid: child.pid,
    child,
    workDir,
    logFile,
    probe: probeCall,
    logTail(lines = 20) {
      try {
        return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(workDir, { recursive: true, force: true });
    },
  };
  try {
    await waitForPort(port, child, 60_000);
  } catch (error) {
    const tail = server.logTail();
    await server.stop();
    throw new Error(`${kind} server failed to start: ${error.message}\n${tail}`);
  }
  return server;
}

/** Starts `count` generator processes and initialises them against a server. */
export async function startGenerators(count, { cpu, kind, port }) {
  const script = path.join(BENCH_DIR, 'generator.mjs');
  const generators = [];
  for (let i = 0; i < count; i++) {
    const argv = pinned(cpu, [process.execPath, script]);
    const child = spawn('sh', ['-c', RAISE_NOFILE, 'sh', ...argv], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    generators.push({ pid: child.pid, child, call: ipcCaller(child, 'id') });
  }
  await Promise.all(
    generators.map((generator) =>
      generator.call('init', { target: kind, host: '127.0.0.1', port }),
    ),
  );
  return generators;
}

export async function stopGenerators(generators) {
  await Promise.all(
    generators.map(async (generator) => {
      const exited = new Promise((resolve) => {
        if (generator.child.exitCode !== null) resolve();
        else generator.child.once('exit', resolve);
      });
      generator.call('close').catch(() => {});
      const timer = setTimeout(() => generator.child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }),
  );
  await sleep(100);
}

export function buildPresent() {
  return (
    existsSync(path.join(ROOT, 'dist', 'server.js')) &&
    existsSync(path.join(ROOT, '.next', 'BUILD_ID'))
  );
}
