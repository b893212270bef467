import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freshPostgresSchema, serviceUrl } from '../../test/helpers/services';
import {
  expectOldMessageKept,
  expectStoredMessagesFound,
  STORED_BEFORE_SEARCH,
} from '../../test/helpers/store-views';
import { POSTGRES_MIGRATIONS, SchemaTooNewError } from './migrations';
import { PostgresStore } from './postgres-store';
import { POSTGRES_SQL } from './sql';
import { SQLITE_FILE, SqliteStore } from './sqlite-store';
import { describeStoreContract } from './store-contract';
import { lookKeys } from '../chat/nickname';

const databaseUrl = serviceUrl('DATABASE_URL');

/** Brings a new schema to `version`, as livechat left it then (and makes it the client's). */
async function migrateTo(client: pg.Client, schema: string, version: number): Promise<void> {
  await client.query(`CREATE SCHEMA "${schema}"; SET search_path = "${schema}"`);
  await client.query(
    'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  for (const migration of POSTGRES_MIGRATIONS.filter((m) => m.version <= version)) {
    await client.query(migration.sql);
    await client.query("INSERT INTO schema_migrations VALUES ($1, $2, 'then')", [
      migration.version,
      migration.name,
    ]);
  }
}

/**
 * A table as the schema test compares it, without each dialect's own part of the search
 * index: SQLite's `search_id` (the FTS5 rowid) and `search_room`, PostgreSQL's `search_vector` and its GIN index.
 */
const withoutOwnSearch = (table: { table: string; columns: string; indexes: string[] }) =>
  table.table !== 'message_search'
    ? table
    : {
        ...table,
        columns: table.columns
          .split(', ')
          .filter((column) => !['search_id', 'search_room', 'search_vector'].includes(column))
          .join(', '),
        indexes: table.indexes.filter((index) => index !== '(search_vector)'),
      };

/** An index as both dialects can describe it: unique or not, partial or not, its columns. */
const describeIndex = (index: { unique: unknown; partial: unknown; columns: string }) =>
  `${index.unique ? 'unique ' : ''}${index.partial ? 'partial ' : ''}(${index.columns})`;

describe.skipIf(!databaseUrl)('postgres store', () => {
  const connectionString = databaseUrl!;

  describeStoreContract('postgres', async () => {
    const { schema, drop } = await freshPostgresSchema(connectionString);
    return { open: () => PostgresStore.open({ connectionString, schema }), destroy: drop };
  });

  it('keeps sequence numbers gap-free with senders in several processes (pools)', async () => {
    const { schema, drop } = await freshPostgresSchema(connectionString);
    const stores = await Promise.all(
      [1, 2, 3].map(() => PostgresStore.open({ connectionString, schema })),
    );
    try {
      const [first] = stores as [PostgresStore];
      await first.createRoom('r', 'now');
      for (const [n, store] of stores.entries()) {
        await store.claimMember({
          roomId: 'r',
          sessionId: `s${n}`,
          nickname: `n${n}`,
          nicknameKey: `n${n}`,
          lookKeys: lookKeys(`n${n}`),
          joinedAt: 'now',
        });
      }
      await Promise.all(
        stores.flatMap((store, n) =>
          Array.from({ length: 30 }, (_, k) =>
            store.appendUserMessage({
              id: `${n}-${k}`,
              roomId: 'r',
              sessionId: `s${n}`,
              clientId: `${n}-${k}`,
              text: 'x',
              createdAt: 'now',
            }),
          ),
        ),
      );
      const { messages } = await first.listMessages('r', { limit: 100 });
      expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: 90 }, (_, i) => i + 1));
    } finally {
      await Promise.all(stores.map((store) => store.close()));
      await drop();
    }
  });

  it('refuses a schema migrated by a newer version, and leaves it untouched', async () => {
    const { schema, drop } = await freshPostgresSchema(connectionString);
    try {
      const store = await PostgresStore.open({ connectionString, schema });
      await store.createRoom('kept', 'now');
      await store.close();
      const client = new pg.Client({ connectionString });
      await client.connect();
      await client.query(`INSERT INTO "${schema}".schema_migrations VALUES (99, 'future', 'x')`);
      await expect(PostgresStore.open({ connectionString, schema })).rejects.toThrow(
        SchemaTooNewError,
      );
      const rooms = await client.query(`SELECT room_id FROM "${schema}".rooms`);
      expect(rooms.rows).toEqual([{ room_id: 'kept' }]);
      await client.end();
    } finally {
      await drop();
    }
  });

  it('reads a page of history through the primary key index', async () => {
    const { schema, drop } = await freshPostgresSchema(connectionString);
    const store = await PostgresStore.open({ connectionString, schema });
    await store.close();
    const client = new pg.Client({ connectionString, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      await client.query('SET enable_seqscan = off');
      await client.query(`PREPARE page AS ${POSTGRES_SQL.pageBefore}`);
      const plan = await client.query("EXPLAIN EXECUTE page('r', 10, 5)");
      const text = plan.rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n');
      expect(text).toMatch(/Index Scan Backward using messages_pkey/);
    } finally {
      await client.end();
      await drop();
    }
  });

  it('upgrades a schema of version 4 to the one schema, keeping members in their order', async () => {
    const { schema, drop } = await freshPostgresSchema(connectionString);
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      await migrateTo(client, schema, 4);
      // Version 4 listed members by join_order, whatever their joined_at.
      await client.query(`
        INSERT INTO sessions VALUES ('s1', 'then');
        INSERT INTO rooms (room_id, created_at, last_seq, is_public) VALUES ('r', 'x', 1, true);
        INSERT INTO members (room_id, session_id, nickname, nickname_key, joined_at, folded_look_key, shown_look_key)
          VALUES ('r', 's3', 'Cy', 'cy', '2026-01-01T00:00:02.000Z', 'cy', 'cy'),
            ('r', 's1', 'Ann', 'ann', '2026-01-01T00:00:01.000Z', 'ann', 'ann');
        INSERT INTO messages VALUES ('r', 1, 'm1', 'user', 'Ann', 'a', 'x', 's1', 'c1');
      `);
      const store = await PostgresStore.open({ connectionString, schema });
      try {
        expect((await store.listMembers('r')).map((m) => m.nickname)).toEqual(['Cy', 'Ann']);
        expect(await store.listPublicRooms(10)).toEqual([{ roomId: 'r', memberCount: 2 }]);
        const say = (clientId: string) =>
          store.appendUserMessage({
            id: 'm1',
            roomId: 'r',
            sessionId: 's1',
            clientId,
            text: 'b',
            createdAt: 'x',
          });
        expect(await say('c1')).toMatchObject({ created: false, message: { seq: 1 } });
        await expectOldMessageKept(store);
        // Numbered on from the messages; an id may repeat now that nothing looks it up.
        expect(await say('c2')).toMatchObject({ created: true, message: { seq: 2, id: 'm1' } });
      } finally {
        await store.close();
      }
      const tables = await client.query(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
        [schema],
      );
      expect(tables.rows.map((row) => row.table_name)).not.toContain('sessions');
      const version = await client.query('SELECT MAX(version) AS version FROM schema_migrations');
      expect(version.rows[0].version).toBe(POSTGRES_MIGRATIONS.at(-1)!.version);
    } finally {
      await client.end();
      await drop();
    }
  });

  it('finds the messages stored before version 10 once migrated, and only those standing', async () => {
    const { schema, drop } = await freshPostgresSchema(connectionString);
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      await migrateTo(client, schema, 9);
      await client.query(STORED_BEFORE_SEARCH);
      const store = await PostgresStore.open({ connectionString, schema });
      try {
        await expectStoredMessagesFound(store);
      } finally {
        await store.close();
      }
    } finally {
      await client.end();
      await drop();
    }
  });

  it('has the same tables, columns and indexes as a new SQLite database', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'livechat-schema-'));
    const { schema, drop } = await freshPostgresSchema(connectionString);
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      SqliteStore.open(dir).close();
      await (await PostgresStore.open({ connectionString, schema })).close();
      const db = new Database(path.join(dir, SQLITE_FILE), { readonly: true });
      // The full-text index is each dialect's own: SQLite's FTS5 table and its shadow tables.
      const sqliteTables = db
        .prepare(
          "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'message_search_index%' ORDER BY name",
        )
        .pluck()
        .all() as string[];
      const sqlite = sqliteTables.map((table) => ({
        table,
        columns: (
          db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]
        )
          .sort()
          .join(', '),
        // An INTEGER PRIMARY KEY is the rowid, SQLite's table key, not an index.
        indexes: (
          db
            .prepare(
              'SELECT il."unique", il.partial, group_concat(ii.name, \', \') AS columns FROM pragma_index_list(?) il, pragma_index_info(il.name) ii GROUP BY il.name',
            )
            .all(table) as Array<{ unique: number; partial: number; columns: string }>
        )
          .map(describeIndex)
          .sort(),
      }));
      db.close();
      const postgres: typeof sqlite = [];
      for (const table of sqliteTables) {
        const columns = await client.query(
          'SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY column_name',
          [schema, table],
        );
        const indexes = await client.query(
          `SELECT i.indisunique AS unique, i.indpred IS NOT NULL AS partial,
              (SELECT string_agg(a.attname, ', ' ORDER BY k.n) FROM unnest(i.indkey) WITH ORDINALITY k (attnum, n)
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) AS columns
            FROM pg_index i WHERE i.indrelid = $1::regclass`,
          [`"${schema}".${table}`],
        );
        postgres.push({
          table,
          columns: columns.rows.map((row) => row.column_name).join(', '),
          indexes: indexes.rows.map(describeIndex).sort(),
        });
      }
      expect(sqliteTables).toEqual([
        'bans',
        'members',
        'message_changes',
        'message_search',
        'messages',
        'reactions',
        'rooms',
        'schema_migrations',
        'server_secrets',
        'uploads',
      ]);
      // The runner's own table is made by one statement for both; its key is SQLite's rowid.
      const withoutRunner = (tables: typeof postgres) =>
        tables.filter((t) => t.table !== 'schema_migrations');
      expect(withoutRunner(postgres).map(withoutOwnSearch)).toEqual(
        withoutRunner(sqlite).map(withoutOwnSearch),
      );
    } finally {
      await client.end();
      await drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
