/**
 * Search on the embedded store at scale: MESSAGES stored messages (a tenth of them in the
 * searched room, the rest in nine others), then SEARCHES queries against the room while it
 * takes RATE messages a second. Each query's latency is measured, and so, as the baseline in
 * the same run and under the same writes, is reading the room's newest page of history.
 * Run: npm run bench:search (MESSAGES=100000 for a quick look; KEEP_DIR=/some/dir keeps the
 * preloaded store there and reuses it on the next run with the same MESSAGES).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lookKeys } from '../lib/chat/nickname';
import { parseSearchQuery } from '../lib/chat/search-query';
import { SqliteStore } from '../lib/store/sqlite-store';
import type { Store } from '../lib/store/store';

const MESSAGES = Number(process.env.MESSAGES ?? 1_000_000);
const SEARCHES = Number(process.env.SEARCHES ?? 500);
const RATE = Number(process.env.RATE ?? 100);
const ROOMS = 10;
const NOW = new Date().toISOString();

/** Words of the seeds' languages and of code, so queries hit common, rare and prefixed words. */
const WORDS = (
  'deployment deploy żółw zażółcić gęślą jaźń ação coração não informação amanhã ' +
  'meeting lunch release build failed passed review merge branch function const return ' +
  'kawa herbata spotkanie jutro dzisiaj obiad reunião almoço amanhã ontem servidor banco ' +
  'the and for with this that from have will what when where async await promise error'
).split(' ');

/** A small deterministic generator (mulberry32), so every run stores the same texts. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const next = random(42);
const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
const sentence = () =>
  Array.from({ length: 4 + Math.floor(next() * 10) }, () => pick(WORDS)).join(' ');

const QUERIES = [
  'deplo',
  'żółw',
  'zolw',
  'acao',
  '"lunch release"',
  'merge from:bench',
  'jutro obiad',
  'promise',
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function preload(store: Store) {
  for (let room = 0; room < ROOMS; room++) {
    await store.createRoom(`room-${room}`, NOW);
    await store.claimMember({
      roomId: `room-${room}`,
      sessionId: 'bench-session',
      nickname: 'bench',
      nicknameKey: 'bench',
      lookKeys: lookKeys('bench'),
      joinedAt: NOW,
    });
  }
  const started = Date.now();
  // A thousand appends in one turn share one transaction (the store's tick batch), through
  // the same statements, index included, as live sends.
  const CHUNK = 1_000;
  for (let n = 0; n < MESSAGES; n += CHUNK) {
    const chunk = Array.from({ length: Math.min(CHUNK, MESSAGES - n) }, (_, offset) =>
      store.appendUserMessage({
        id: randomUUID(),
        roomId: `room-${(n + offset) % ROOMS}`,
        sessionId: 'bench-session',
        clientId: randomUUID(),
        text: sentence(),
        createdAt: NOW,
      }),
    );
    await Promise.all(chunk);
    if (n > 0 && n % 100_000 === 0) console.log(`  ${n.toLocaleString('en')} stored`);
  }
  console.log(
    `preloaded ${MESSAGES.toLocaleString('en')} messages in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

async function main() {
  const kept = process.env.KEEP_DIR;
  const dir = kept
    ? path.join(kept, String(MESSAGES))
    : mkdtempSync(path.join(tmpdir(), 'livechat-bench-search-'));
  const reused = kept !== undefined && existsSync(dir);
  mkdirSync(dir, { recursive: true });
  const store = SqliteStore.open(dir);
  try {
    if (reused) console.log(`reusing the store preloaded in ${dir}`);
    else await preload(store);
    const queries = QUERIES.map((text) => {
      const parsed = parseSearchQuery(text);
      if (!parsed.ok) throw new Error(`bad bench query ${text}`);
      return parsed.value;
    });
    // The room keeps talking while people search it.
    let writing = true;
    const writer = (async () => {
      const interval = 1000 / RATE;
      let due = Date.now();
      while (writing) {
        await store.appendUserMessage({
          id: randomUUID(),
          roomId: 'room-0',
          sessionId: 'bench-session',
          clientId: randomUUID(),
          text: sentence(),
          createdAt: new Date().toISOString(),
        });
        due += interval;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
      }
    })();
    const search: number[] = [];
    const byQuery = new Map<string, number[]>(QUERIES.map((text) => [text, []]));
    const page: number[] = [];
    const found: number[] = [];
    for (let n = 0; n < SEARCHES; n++) {
      const query = queries[n % queries.length]!;
      const took = await timed(async () => {
        const result = await store.searchMessages('room-0', query, { limit: 20 });
        found.push(result.messages.length);
      });
      search.push(took);
      byQuery.get(QUERIES[n % queries.length]!)!.push(took);
      page.push(await timed(() => store.listMessages('room-0', { limit: 20 })));
    }
    writing = false;
    await writer;
    const report = (label: string, times: number[]) => {
      const sorted = [...times].sort((a, b) => a - b);
      return {
        label,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        max: sorted.at(-1)!,
      };
    };
    const rows = [report('search (20 results)', search), report('newest page (baseline)', page)];
    const queryRows = [...byQuery].map(([text, times]) => report(`\`${text}\``, times));
    console.log(
      `\n${SEARCHES} searches of room-0 (${(MESSAGES / ROOMS).toLocaleString('en')} of ${MESSAGES.toLocaleString('en')} messages) while it takes ${RATE} messages/s`,
    );
    console.log('| measure | p50 (ms) | p99 (ms) | max (ms) |\n| --- | --- | --- | --- |');
    const print = (row: (typeof rows)[0]) =>
      console.log(
        `| ${row.label} | ${row.p50.toFixed(2)} | ${row.p99.toFixed(2)} | ${row.max.toFixed(2)} |`,
      );
    rows.forEach(print);
    const [s, b] = rows as [(typeof rows)[0], (typeof rows)[0]];
    console.log(
      `| search ÷ newest page | ${(s.p50 / b.p50).toFixed(2)}× | ${(s.p99 / b.p99).toFixed(2)}× | |`,
    );
    queryRows.forEach(print);
    console.log(`results per search: min ${Math.min(...found)}, max ${Math.max(...found)}`);
  } finally {
    await store.close();
    if (!kept) rmSync(dir, { recursive: true, force: true });
  }
}

void main();
