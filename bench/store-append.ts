/**
 * The storage hot path: storing one message through the store (membership check, idempotency
 * check, sequence number, insert — one transaction) against a bare prepared INSERT into the
 * same kind of database, measured in the same run. Run: npx tsx bench/store-append.ts
 * (set DATABASE_URL to measure PostgreSQL as well).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { PostgresStore } from '../lib/store/postgres-store';
import { SQLITE_FILE, SqliteStore } from '../lib/store/sqlite-store';
import type { Store } from '../lib/store/store';
import { lookKeys } from '../lib/chat/nickname';

const COUNT = Number(process.env.COUNT ?? 20_000);

async function throughput(label: string, count: number, write: (n: number) => Promise<unknown>) {
  for (let n = 0; n < Math.min(500, count / 10); n++) await write(-n - 1); // warm-up
  const started = process.hrtime.bigint();
  for (let n = 0; n < count; n++) await write(n);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const perSecond = count / seconds;
  console.log(
    `${label.padEnd(44)} ${Math.round(perSecond).toLocaleString('en').padStart(9)} /s  ${((seconds / count) * 1e6).toFixed(1).padStart(7)} µs each`,
  );
  return perSecond;
}

async function prepareRoom(store: Store) {
  await store.createRoom('bench-room', new Date().toISOString());
  await store.claimMember({
    roomId: 'bench-room',
    sessionId: 'bench-session',
    nickname: 'bench',
    nicknameKey: 'bench',
    lookKeys: lookKeys('bench'),
    joinedAt: new Date().toISOString(),
  });
}

const appendThroughStore = (store: Store) => () =>
  store.appendUserMessage({
    id: randomUUID(),
    roomId: 'bench-room',
    sessionId: 'bench-session',
    clientId: randomUUID(),
    text: 'hello, this is a typical chat message',
    createdAt: new Date().toISOString(),
  });

async function sqlite() {
  const dir = mkdtempSync(path.join(tmpdir(), 'livechat-bench-store-'));
  const store = SqliteStore.open(dir);
  await prepareRoom(store);
  const raw = new Database(path.join(dir, SQLITE_FILE));
  raw.pragma('synchronous = NORMAL');
  raw.exec('CREATE TABLE bare (id TEXT PRIMARY KEY, room_id TEXT, text TEXT, created_at TEXT)');
  const insert = raw.prepare('INSERT INTO bare VALUES (?, ?, ?, ?)');
  const bare = await throughput('SQLite: bare INSERT (baseline)', COUNT, async () =>
    insert.run(
      randomUUID(),
      'bench-room',
      'hello, this is a typical chat message',
      new Date().toISOString(),
    ),
  );
  const ours = await throughput(
    'SQLite: store.appendUserMessage',
    COUNT,
    appendThroughStore(store),
  );
  console.log(`SQLite: store ÷ bare insert time = ${(bare / ours).toFixed(2)}×\n`);
  raw.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

async function postgres(url: string) {
  const schema = `livechat_bench_${Date.now()}`;
  const store = await PostgresStore.open({ connectionString: url, schema });
  await prepareRoom(store);
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  await client.query(
    'CREATE TABLE bare (id TEXT PRIMARY KEY, room_id TEXT, text TEXT, created_at TEXT)',
  );
  const count = Math.min(COUNT, 3_000);
  const bare = await throughput('PostgreSQL: bare INSERT (baseline)', count, () =>
    client.query('INSERT INTO bare VALUES ($1, $2, $3, $4)', [
      randomUUID(),
      'bench-room',
      'hello, this is a typical chat message',
      new Date().toISOString(),
    ]),
  );
  const ours = await throughput(
    'PostgreSQL: store.appendUserMessage',
    count,
    appendThroughStore(store),
  );
  console.log(`PostgreSQL: store ÷ bare insert time = ${(bare / ours).toFixed(2)}×\n`);
  await client.query(`DROP SCHEMA "${schema}" CASCADE`);
  await client.end();
  await store.close();
}

async function main() {
  await sqlite();
  if (process.env.DATABASE_URL) await postgres(process.env.DATABASE_URL);
}

void main();
