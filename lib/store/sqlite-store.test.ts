import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SchemaTooNewError, SQLITE_MIGRATIONS } from './migrations';
import { ftsMatch } from './search-match';
import { SQLITE_SQL } from './sql';
import { SQLITE_FILE, SqliteStore } from './sqlite-store';
import type { Store } from './store';
import { describeStoreContract } from './store-contract';
import { lookKeys } from '../chat/nickname';
import type { SearchQuery } from '../chat/search-query';
import {
  expectOldMessageKept,
  expectStoredMessagesFound,
  roomIsListed,
  roomIsStored,
  STORED_BEFORE_SEARCH,
} from '../../test/helpers/store-views';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'livechat-sqlite-'));

/** Ann (session `s`) says `text` in room `r`, as a new message unless `clientId` repeats. */
const annSays = (store: Store, text: string, clientId = randomUUID()) =>
  store.appendUserMessage({
    id: randomUUID(),
    roomId: 'r',
    sessionId: 's',
    clientId,
    text,
    createdAt: '2026-01-01T00:00:00.000Z',
  });

/** A database in `dir` as livechat left it at schema `version`. */
function databaseAt(dir: string, version: number): Database.Database {
  const old = new Database(path.join(dir, SQLITE_FILE));
  old.exec(
    'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  for (const migration of SQLITE_MIGRATIONS.filter((m) => m.version <= version)) {
    old.exec(migration.sql);
    old
      .prepare("INSERT INTO schema_migrations VALUES (?, ?, 'then')")
      .run(migration.version, migration.name);
  }
  return old;
}

/** Room `r` with Ann (session `s`) in it. */
async function seatAnn(store: Store) {
  await store.createRoom('r', '2026-01-01T00:00:00.000Z');
  await store.claimMember({
    roomId: 'r',
    sessionId: 's',
    nickname: 'Ann',
    nicknameKey: 'ann',
    lookKeys: lookKeys('Ann'),
    joinedAt: '2026-01-01T00:00:00.000Z',
  });
}

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
    expect(await roomIsStored(store, 'old')).toBe(true);
    expect(await roomIsListed(store, 'old')).toBe(false);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('numbers messages on after a database of the first schema version is migrated', async () => {
    const dir = tempDir();
    const old = new Database(path.join(dir, SQLITE_FILE));
    old.exec(SQLITE_MIGRATIONS[0]!.sql);
    old.exec(`
      CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
      INSERT INTO schema_migrations VALUES (1, 'first', 'x');
      INSERT INTO rooms VALUES ('r', 'x', 3);
      INSERT INTO members VALUES ('r', 's', 'Ann', 'ann', 'x');
      INSERT INTO messages VALUES ('r', 1, 'm1', 'user', 'Ann', 'a', 'x', 's', 'c1'),
        ('r', 2, 'm2', 'user', 'Ann', 'b', 'x', 's', 'c2'), ('r', 3, 'm3', 'system', 'Ann', 'c', 'x', NULL, NULL);
    `);
    old.close();
    const store = SqliteStore.open(dir);
    const outcome = await store.appendUserMessage({
      id: randomUUID(),
      roomId: 'r',
      sessionId: 's',
      clientId: randomUUID(),
      text: 'd',
      createdAt: 'x',
    });
    expect(outcome.status === 'stored' && outcome.message.seq).toBe(4);
    // The old messages came through the rebuild of version 5, retries still recognised.
    const page = await store.listMessages('r', { limit: 10 });
    expect(page.messages.map((message) => [message.seq, message.id])).toEqual([
      [1, 'm1'],
      [2, 'm2'],
      [3, 'm3'],
      [4, outcome.status === 'stored' && outcome.message.id],
    ]);
    const retried = await store.appendUserMessage({
      id: randomUUID(),
      roomId: 'r',
      sessionId: 's',
      clientId: 'c1',
      text: 'a again',
      createdAt: 'x',
    });
    expect(retried).toMatchObject({ status: 'stored', created: false, message: { id: 'm1' } });
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps one index beside the messages themselves, for retries, and none on their id', () => {
    const db = new Database(':memory:');
    for (const migration of SQLITE_MIGRATIONS) db.exec(migration.sql);
    // The primary key is the table itself (WITHOUT ROWID), listed with origin 'pk'.
    const indexes = db
      .prepare("SELECT name FROM pragma_index_list('messages') WHERE origin != 'pk'")
      .pluck()
      .all();
    expect(indexes).toEqual(['messages_client_key']);
    db.close();
  });

  it('finds the next sequence number through the primary key index, not a scan', () => {
    const db = new Database(':memory:');
    for (const migration of SQLITE_MIGRATIONS) db.exec(migration.sql);
    const planOf = (sql: string, ...params: unknown[]) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>)
        .map((step) => step.detail)
        .join('\n');
    // A system message asks for it alone, a user message with its sender and retry lookups.
    const alone = planOf(SQLITE_SQL.nextSeq, 'r');
    expect(alone).toMatch(/SEARCH messages USING PRIMARY KEY \(room_id=\?\)/);
    expect(alone).not.toMatch(/SCAN/);
    const sender = planOf(SQLITE_SQL.sender, 'r', 'c', 'r', 's');
    expect(sender).toMatch(/SEARCH messages USING PRIMARY KEY \(room_id=\?\)/);
    // Covering: a first send reads no message row at all.
    expect(sender).toMatch(/SEARCH s USING COVERING INDEX messages_client_key/);
    expect(sender).toMatch(/SEARCH m USING INDEX \w+ \(room_id=\? AND session_id=\?\)/);
    expect(sender).not.toMatch(/SCAN/);
    db.close();
  });

  it('reads a page of history through the primary key index, not a scan', () => {
    const dir = tempDir();
    SqliteStore.open(dir).close();
    const db = new Database(path.join(dir, SQLITE_FILE));
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN ${SQLITE_SQL.pageBefore}`)
      .all('r', 10, 5) as Array<{ detail: string }>;
    const details = plan.map((step) => step.detail).join('\n');
    expect(details).toMatch(/SEARCH m USING PRIMARY KEY \(room_id=\? AND seq<\?\)/);
    // The replied-to message is found by its key too.
    expect(details).toMatch(/SEARCH r USING PRIMARY KEY \(room_id=\? AND seq=\?\) LEFT-JOIN/);
    expect(details).not.toMatch(/SCAN|TEMP B-TREE/);
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('searches through the full-text index first, then reads each match by its key', () => {
    const db = new Database(':memory:');
    for (const migration of SQLITE_MIGRATIONS) db.exec(migration.sql);
    const match = ftsMatch('r', [{ kind: 'word', word: 'a', prefix: true }]);
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN ${SQLITE_SQL.searchMessages}`)
      .all(match, 'r', 10, null, 5) as Array<{ detail: string }>;
    const [first, ...rest] = plan.map((step) => step.detail);
    expect(first).toMatch(/^SCAN message_search_index VIRTUAL TABLE/);
    expect(rest.join('\n')).toMatch(/SEARCH s USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(rest.join('\n')).toMatch(/SEARCH m USING PRIMARY KEY \(room_id=\? AND seq=\?\)/);
    expect(rest.join('\n')).not.toMatch(/SCAN/);
    db.close();
  });

  it('upgrades a database of version 6 to the one schema, keeping members in their order', async () => {
    const dir = tempDir();
    const old = databaseAt(dir, 6);
    // Version 6 listed members by joined_at, then by the order they were stored in.
    old.exec(`
      INSERT INTO sessions VALUES ('s1', 'then');
      INSERT INTO rooms VALUES ('r', 'x', 1);
      INSERT INTO members VALUES ('r', 's3', 'Cy', 'cy', '2026-01-01T00:00:02.000Z', 'cy', 'cy'),
        ('r', 's1', 'Ann', 'ann', '2026-01-01T00:00:01.000Z', 'ann', 'ann'),
        ('r', 's2', 'Bo', 'bo', '2026-01-01T00:00:02.000Z', 'bo', 'bo');
      INSERT INTO messages VALUES ('r', 1, 'm1', 'user', 'Ann', 'a', 'x', 's1', 'c1');
    `);
    old.close();
    const store = SqliteStore.open(dir);
    const nicknames = async () => (await store.listMembers('r')).map((m) => m.nickname);
    expect(await nicknames()).toEqual(['Ann', 'Cy', 'Bo']);
    expect(await roomIsListed(store, 'r')).toBe(true);
    const say = (clientId: string) =>
      store.appendUserMessage({
        id: randomUUID(),
        roomId: 'r',
        sessionId: 's1',
        clientId,
        text: 'b',
        createdAt: 'x',
      });
    expect(await say('c2')).toMatchObject({ created: true, message: { seq: 2 } });
    expect(await say('c1')).toMatchObject({ created: false, message: { id: 'm1' } });
    await expectOldMessageKept(store);
    // Whoever joins next comes last, whatever the clock says.
    await store.claimMember({
      roomId: 'r',
      sessionId: 's4',
      nickname: 'Di',
      nicknameKey: 'di',
      lookKeys: lookKeys('Di'),
      joinedAt: '2025-01-01T00:00:00.000Z',
    });
    expect(await nicknames()).toEqual(['Ann', 'Cy', 'Bo', 'Di']);
    await store.close();
    const db = new Database(path.join(dir, SQLITE_FILE));
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all();
    expect(tables).not.toContain('sessions');
    expect(db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get()).toBe(
      SQLITE_MIGRATIONS.at(-1)!.version,
    );
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the messages stored before version 10 once migrated, and only those standing', async () => {
    const dir = tempDir();
    const old = databaseAt(dir, 9);
    old.exec(STORED_BEFORE_SEARCH);
    // More than one batch of the backfill.
    old.exec(`
      INSERT INTO rooms (room_id, created_at) VALUES ('big', 'x');
      WITH RECURSIVE n (seq) AS (SELECT 1 UNION ALL SELECT seq + 1 FROM n WHERE seq < 2500)
      INSERT INTO messages (room_id, seq, id, kind, author, text, created_at)
        SELECT 'big', seq, 'b' || seq, 'user', 'Bo', 'filler ' || seq, 'x' FROM n;
    `);
    old.close();
    const store = SqliteStore.open(dir);
    await expectStoredMessagesFound(store);
    const filler = await store.searchMessages(
      'big',
      { terms: [{ kind: 'word', word: 'filler', prefix: false }] },
      { beforeSeq: 2, limit: 10 },
    );
    expect(filler.messages.map((message) => message.seq)).toEqual([1]);
    await store.close();
    const db = new Database(path.join(dir, SQLITE_FILE), { readonly: true });
    expect(
      db.prepare("SELECT COUNT(*) FROM message_search WHERE room_id = 'big'").pluck().get(),
    ).toBe(2500);
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('group commit', () => {
    it('gives sends of one tick consecutive seqs, each settled only once committed', async () => {
      const dir = tempDir();
      const store = SqliteStore.open(dir);
      await seatAnn(store);
      const reader = new Database(path.join(dir, SQLITE_FILE), { readonly: true });
      const visible = reader.prepare('SELECT COUNT(*) FROM messages WHERE id = ?').pluck();
      const retried = randomUUID();
      const sends = ['a', 'b', 'c', 'again'].map((text) =>
        annSays(store, text, text === 'again' ? retried : undefined).then((outcome) => {
          // Another connection sees the row as soon as the send resolves: it is committed.
          if (outcome.status === 'stored') expect(visible.get(outcome.message.id)).toBe(1);
          return outcome;
        }),
      );
      sends.push(annSays(store, 'again', retried));
      const outcomes = await Promise.all(sends);
      const seqs = outcomes.map((outcome) => outcome.status === 'stored' && outcome.message.seq);
      expect(seqs).toEqual([1, 2, 3, 4, 4]);
      expect(outcomes.map((outcome) => outcome.status === 'stored' && outcome.created)).toEqual([
        true,
        true,
        true,
        true,
        false,
      ]);
      reader.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('rejects every send of a batch that fails, and stores none of them', async () => {
      const dir = tempDir();
      const store = SqliteStore.open(dir);
      await seatAnn(store);
      const other = new Database(path.join(dir, SQLITE_FILE));
      other.exec(
        "CREATE TRIGGER fail BEFORE INSERT ON messages WHEN NEW.text = 'boom' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END",
      );
      const results = await Promise.allSettled([
        annSays(store, 'x'),
        annSays(store, 'boom'),
        annSays(store, 'y'),
      ]);
      expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
      other.exec('DROP TRIGGER fail');
      other.close();
      const after = await annSays(store, 'z');
      // The failed batch left no rows and used up no sequence numbers.
      expect(after.status === 'stored' && after.message.seq).toBe(1);
      const page = await store.listMessages('r', { limit: 10 });
      expect(page.messages.map((message) => message.text)).toEqual(['z']);
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('keeps the order of requests: a leave after a send sees the send stored', async () => {
      const store = SqliteStore.open(':memory:');
      await seatAnn(store);
      const sent = annSays(store, 'last words');
      const left = store.removeMember('r', 's');
      expect((await sent).status).toBe('stored');
      expect((await left)?.remaining).toBe(0);
      await store.close();
    });
  });

  it('leaves no trace of a deleted message’s text in the files once checkpointed', async () => {
    const dir = tempDir();
    const store = SqliteStore.open(dir);
    await seatAnn(store);
    // Long enough to spill into an overflow page, which the deletion frees.
    const marker = randomUUID();
    // One word the search index holds too; its end, since FTS5 shares a word's start with
    // the word before it.
    const word = `zz${marker.replaceAll('-', '')}`;
    const secret = `my password is hunter2-${marker} ${word} `.repeat(60);
    for (let n = 0; n < 50; n++)
      await annSays(store, n === 25 ? secret : `filler ${n} `.repeat(20));
    const query: SearchQuery = { terms: [{ kind: 'word', word, prefix: false }] };
    const found = async () =>
      (await store.searchMessages('r', query, { limit: 10 })).messages.map((m) => m.seq);
    expect(await found()).toEqual([26]);
    const change = { kind: 'delete' } as const;
    const at = new Date().toISOString();
    expect(
      await store.changeMessage({ roomId: 'r', sessionId: 's', seq: 26, change, at }),
    ).toMatchObject({ status: 'changed' });
    expect(await found()).toEqual([]);
    await store.close();
    const db = new Database(path.join(dir, SQLITE_FILE));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    for (const file of readdirSync(dir)) {
      const content = readFileSync(path.join(dir, file));
      expect(content.includes(marker), file).toBe(false);
      expect(content.includes(word.slice(-16)), file).toBe(false);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('checkpoints the WAL into the database file in the background', async () => {
    const dir = tempDir();
    const store = SqliteStore.open(dir);
    await seatAnn(store);
    const text = 'x'.repeat(1000);
    for (let i = 0; i < 20; i++) {
      await Promise.all(Array.from({ length: 25 }, () => annSays(store, text)));
    }
    const file = path.join(dir, SQLITE_FILE);
    // 500 kB of messages reach the database file itself only through a checkpoint.
    const deadline = Date.now() + 5000;
    while (statSync(file).size < 500_000 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(statSync(file).size).toBeGreaterThan(500_000);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts the WAL over under a steady stream of messages instead of growing it', async () => {
    const dir = tempDir();
    // The mechanism under test, not the production tuning: the worker at the writer's own
    // priority and a catch-up that waits for the copy, so that a machine busy with other tests
    // cannot starve the low-priority thread and let the WAL grow meanwhile.
    const store = SqliteStore.open(dir, {
      intervalMs: 20,
      restartFrames: 64,
      nice: 0,
      catchUpLimitMs: 10_000,
    });
    await seatAnn(store);
    const wal = `${path.join(dir, SQLITE_FILE)}-wal`;
    // SQLite adds one to the first salt of the WAL header each time the WAL starts over.
    const salt = () => readFileSync(wal).readUInt32BE(16);
    const text = 'x'.repeat(1000);
    const send = () => annSays(store, text);
    let sent = 1;
    await send();
    const firstSalt = salt();
    // Back to back, so that a commit is always under way while the worker checkpoints: SQLite
    // alone would never find the WAL fully copied at the start of a write, and this loop would
    // leave a WAL of some 200 MB.
    let largest = 0;
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      const outcome = await send();
      sent += 1;
      expect(outcome.status === 'stored' && outcome.message.seq).toBe(sent);
      if (sent % 100 === 0) largest = Math.max(largest, statSync(wal).size);
    }
    // The mechanism: the WAL started over again and again while the writes went on.
    expect(salt() - firstSalt).toBeGreaterThanOrEqual(3);
    // Its effect on the file. How far it grows between restarts depends on how soon the
    // worker gets a core (35 MB has been seen on a loaded machine); without restarts these
    // writes would leave some 200 MB.
    expect(largest).toBeLessThan(64 * 1024 * 1024);
    expect((await store.listMessages('r', { limit: 1 })).messages[0]?.seq).toBe(sent);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes closing in a process that has nothing else to do', () => {
    const dir = tempDir();
    const script = `
      const { SqliteStore } = require('./lib/store/sqlite-store.ts');
      const store = SqliteStore.open(${JSON.stringify(dir)});
      store.createRoom('r', 'now').then(() => store.close()).then(() => console.log('closed'));
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      encoding: 'utf8',
    });
    expect(run.stdout.trim()).toBe('closed');
    expect(run.status).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it.runIf(process.platform === 'linux')(
    'checkpoints on a thread of the lowest priority, leaving the rest of the process as it was',
    async () => {
      // A thread may end between listing and reading (other tests' workers): it is skipped.
      const niceOf = (task: string) => {
        try {
          return readFileSync(`/proc/self/task/${task}/stat`, 'utf8')
            .split(') ')[1]!
            .split(' ')[16];
        } catch {
          return undefined;
        }
      };
      const niceValues = () => readdirSync('/proc/self/task').map(niceOf);
      const dir = tempDir();
      const store = SqliteStore.open(dir);
      const ownNice = niceValues()[0];
      const deadline = Date.now() + 5000;
      while (!niceValues().includes('19') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(niceValues()).toContain('19');
      expect(niceValues()[0]).toBe(ownNice);
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  );
});
