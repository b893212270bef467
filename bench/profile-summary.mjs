#!/usr/bin/env node
/**
 * Summarises a V8 .cpuprofile (from `npm run bench -- --profile`, or `node --cpu-prof`):
 * busy time by function (self), by package or file, and the inclusive time of livechat's own
 * functions. A native frame is shown with the JavaScript function that called it.
 *   node bench/profile-summary.mjs <file.cpuprofile> [top=25]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NOT_BUSY = new Set(['(idle)', '(root)']);

function where(url) {
  if (!url) return '(native)';
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  const modules = file.lastIndexOf('node_modules/');
  if (modules !== -1) {
    const rest = file.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (file.startsWith('node:')) return file;
  return path.relative(process.cwd(), file) || file;
}

function label(node) {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  return url ? `${name} ${where(url)}:${lineNumber + 1}` : name;
}

export function summariseProfile(file, top = 25) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node);
  // Each sample stands for one sampling interval of the thread's time. Samples are counted
  // rather than weighted by their time deltas: when other processes preempt the server, a
  // delta also covers time spent off the CPU, which belongs to no function.
  const deltas = [...profile.timeDeltas].sort((a, b) => a - b);
  const interval = deltas[Math.floor(deltas.length / 2)] ?? 0;
  const selfUs = new Map();
  for (const id of profile.samples) selfUs.set(id, (selfUs.get(id) ?? 0) + interval);
  let wall = 0;
  let busy = 0;
  const functions = new Map();
  const places = new Map();
  const inclusive = new Map();
  const probe = new Set();
  for (const node of profile.nodes) {
    if (node.callFrame.url.includes('bench/probe.mjs')) {
      const stack = [node.id];
      while (stack.length) {
        const id = stack.pop();
        probe.add(id);
        stack.push(...(byId.get(id).children ?? []));
      }
    }
  }
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    // The harness's own probe (starting and stopping the profiler) is not the server's work.
    if (probe.has(id)) continue;
    wall += us;
    if (NOT_BUSY.has(node.callFrame.functionName)) continue;
    busy += us;
    let key = label(node);
    let place = where(node.callFrame.url);
    if (!node.callFrame.url && node.callFrame.functionName !== '(garbage collector)') {
      // A native function: name it after its JavaScript caller.
      let caller = parent.get(id);
      while (caller && !caller.callFrame.url) caller = parent.get(caller.id);
      if (caller) {
        key = `${key} ← ${label(caller)}`;
        place = `${where(caller.callFrame.url)} (native calls)`;
      }
    }
    functions.set(key, (functions.get(key) ?? 0) + us);
    places.set(place, (places.get(place) ?? 0) + us);
    // Inclusive time of livechat's own code (dist/, lib/, server.ts), once per stack.
    const seen = new Set();
    for (let frame = node; frame; frame = parent.get(frame.id)) {
      const { url } = frame.callFrame;
      if (!url || url.includes('node_modules') || url.startsWith('node:')) continue;
      const name = label(frame);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + us);
    }
  }
  const share = (us) => `${((100 * us) / busy).toFixed(1).padStart(5)} %`;
  const sorted = (map) => [...map].sort((a, b) => b[1] - a[1]);
  const lines = [
    `${profile.samples.length} samples every ${interval} µs: ${(wall / 1000).toFixed(0)} ms, ${(busy / 1000).toFixed(0)} ms busy (${((100 * busy) / wall).toFixed(0)} %); shares below are of busy time`,
    '',
    'top functions by self time:',
  ];
  for (const [key, us] of sorted(functions).slice(0, top)) lines.push(`  ${share(us)}  ${key}`);
  lines.push('', 'by package / file (self time):');
  for (const [place, us] of sorted(places).slice(0, 15)) lines.push(`  ${share(us)}  ${place}`);
  lines.push('', "livechat's own functions, inclusive time:");
  for (const [name, us] of sorted(inclusive).slice(0, 15)) lines.push(`  ${share(us)}  ${name}`);
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node bench/profile-summary.mjs <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  process.stdout.write(`${summariseProfile(file, Number(top) || 25)}\n`);
}
