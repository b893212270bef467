import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SchemaTooNewError } from './migrations';
import { SQLITE_FILE, SqliteStore } from './sqlite-store';
import { describeStoreContract } from './store-contract';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'livechat-sqlite-'));

describeStoreContract('sqlite', async () => {
  const dir = tempDir();
  return {
    open: async () => SqliteStore.open(dir),
    destroy: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe('sqlite store', () => {
  it('opens in WAL mode and migrating twice changes nothing', async () => {
    const dir = tempDir();
    (await SqliteStore.open(dir)).close();
    (await SqliteStore.open(dir)).close();
    const db = new Database(path.join(dir, SQLITE_FILE));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual([1]);
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a database migrated by a newer version, and leaves it untouched', async () => {
    const dir = tempDir();
    const store = SqliteStore.open(dir);
    await store.createRoom('kept', '2026-01-01T00:00:00.000Z');
    await store.close();
    const db = new Database(path.join(dir, SQLITE_FILE));
    db.prepare("INSERT INTO schema_migrations VALUES (99, 'future', 'x')").run();
    db.close();
    expect(() => SqliteStore.open(dir)).toThrow(SchemaTooNewError);
    expect(() => SqliteStore.open(dir)).toThrow(/version 99.*knows only up to version 1/);
    const after = new Database(path.join(dir, SQLITE_FILE));
    expect(after.prepare('SELECT room_id FROM rooms').pluck().all()).toEqual(['kept']);
    after.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a page of history through the primary key index, not a scan', () => {
    const dir = tempDir();
    SqliteStore.open(dir).close();
    const db = new Database(path.join(dir, SQLITE_FILE));
    const plan = db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT * FROM messages WHERE room_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
      )
      .all('r', 10, 5) as Array<{ detail: string }>;
    const details = plan.map((step) => step.detail).join('\n');
    expect(details).toMatch(/SEARCH messages USING PRIMARY KEY \(room_id=\? AND seq<\?\)/);
    expect(details).not.toMatch(/SCAN|TEMP B-TREE/);
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
