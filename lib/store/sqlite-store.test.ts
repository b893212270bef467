import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SchemaTooNewError, SQLITE_MIGRATIONS } from './migrations';
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
    expect(db.prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual(
      SQLITE_MIGRATIONS.map((migration) => migration.version),
    );
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
    expect(() => SqliteStore.open(dir)).toThrow(
      new RegExp(`version 99.*knows only up to version ${SQLITE_MIGRATIONS.at(-1)!.version}`),
    );
    const after = new Database(path.join(dir, SQLITE_FILE));
    expect(after.prepare('SELECT room_id FROM rooms').pluck().all()).toEqual(['kept']);
    after.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('upgrades a database of the first schema, keeping its rooms private', async () => {
    const dir = tempDir();
    const db = new Database(path.join(dir, SQLITE_FILE));
    db.exec(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    db.exec(SQLITE_MIGRATIONS[0]!.sql);
    db.prepare("INSERT INTO schema_migrations VALUES (1, 'first', 'x')").run();
    db.prepare("INSERT INTO rooms (room_id, created_at) VALUES ('old', 'x')").run();
    db.close();
    const store = SqliteStore.open(dir);
    expect(await store.roomExists('old')).toBe(true);
    expect(await store.isPublicRoom('old')).toBe(false);
    await store.close();
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
