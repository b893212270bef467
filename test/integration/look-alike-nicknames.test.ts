import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lookKeys, nicknameKey } from '../../lib/chat/nickname';
import { ClientEvent } from '../../lib/protocol/events';
import { NicknameSentence } from '../../lib/protocol/input-errors';
import { type Migration, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from '../../lib/store/migrations';
import { openStore } from '../../lib/store/open-store';
import { PostgresStore } from '../../lib/store/postgres-store';
import { SQLITE_FILE } from '../../lib/store/sqlite-store';
import type { Store } from '../../lib/store/store';
import { expectOk, roomWith, startHarness, type Harness } from '../helpers/chat-harness';
import { freshPostgresSchema, serviceUrl } from '../helpers/services';

const CYRILLIC_A = '\u0410';
const CYRILLIC_BOB = '\u0412\u041e\u0412';
const postgresUrl = serviceUrl('DATABASE_URL');

/** The stores the rule must hold on: SQLite always, PostgreSQL when it is reachable. */
const backends: Array<[string, () => Promise<{ store: Store; drop(): Promise<void> }>]> = [
  [
    'SQLite',
    async () => ({ store: (await openStore(sqliteSettings())).store, drop: async () => {} }),
  ],
];
if (postgresUrl) {
  backends.push([
    'PostgreSQL',
    async () => {
      const { schema, drop } = await freshPostgresSchema(postgresUrl);
      return { store: await PostgresStore.open({ connectionString: postgresUrl, schema }), drop };
    },
  ]);
}

function sqliteSettings() {
  return { dataDir: ':memory:', databaseUrl: undefined };
}

describe.each(backends)('look-alike nicknames on %s', (_name, openBackend) => {
  let harness: Harness;
  let drop: () => Promise<void>;
  beforeEach(async () => {
    const opened = await openBackend();
    drop = opened.drop;
    harness = await startHarness({ store: opened.store });
  });
  afterEach(async () => {
    await harness.close();
    await drop();
  });

  it('refuses a name that mixes Latin and Cyrillic, with a sentence', async () => {
    const { roomId } = await roomWith(harness, 'Alice');
    const mallory = await harness.connect();
    const reply = await mallory.request(ClientEvent.RoomJoin, {
      roomId,
      nickname: `${CYRILLIC_A}lice`,
    });
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: NicknameSentence.mixedAlphabets },
    });
    expect((await harness.store.listMembers(roomId)).map((m) => m.nickname)).toEqual(['Alice']);
  });

  it('refuses a name that looks like a member’s, in one alphabet or with look-alike digits', async () => {
    const { roomId } = await roomWith(harness, 'Bob', 'Alice');
    for (const nickname of [CYRILLIC_BOB, 'B0B', 'AIice', 'A1ice', 'ALICE']) {
      const mallory = await harness.connect();
      const reply = await mallory.request(ClientEvent.RoomJoin, { roomId, nickname });
      expect(reply, nickname).toMatchObject({ ok: false, error: { code: 'NICKNAME_TAKEN' } });
      mallory.close();
    }
    const members = await harness.store.listMembers(roomId);
    expect(members.map((m) => m.nickname)).toEqual(['Bob', 'Alice']);
  });

  it('refuses a rename to a look-alike, and allows names that only share an alphabet', async () => {
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Борис');
    const boris = clients[1]!;
    const reply = await boris.request(ClientEvent.NicknameChange, { roomId, nickname: 'AIice' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'NICKNAME_TAKEN' } });
    expectOk(await boris.request(ClientEvent.NicknameChange, { roomId, nickname: 'Boris' }));
    const zolw = await harness.connect();
    expectOk(await zolw.request(ClientEvent.RoomJoin, { roomId, nickname: 'Żółw' }));
    const members = await harness.store.listMembers(roomId);
    expect(members.map((m) => m.nickname)).toEqual(['Alice', 'Boris', 'Żółw']);
  });
});

/** Two members stored before look-alike keys existed, who look alike under the new rule. */
const LEGACY_ROWS = [
  ['r', 's1', 'Alice', '2026-01-01T00:00:01.000Z'],
  ['r', 's2', 'AIice', '2026-01-01T00:00:02.000Z'],
] as const;

/** Runs `migrations` up to (not including) the look-key one, as an older livechat left it. */
async function migrateBeforeLookKeys(
  migrations: readonly Migration[],
  exec: (sql: string, params?: unknown[]) => Promise<void>,
  placeholder: (n: number) => string,
) {
  await exec(
    'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const lookKeysAt = migrations.findIndex((m) => m.name === 'nickname look-alike keys');
  for (const migration of migrations.slice(0, lookKeysAt)) {
    await exec(migration.sql);
    await exec(
      `INSERT INTO schema_migrations VALUES (${placeholder(1)}, ${placeholder(2)}, 'then')`,
      [migration.version, migration.name],
    );
  }
  await exec(`INSERT INTO rooms (room_id, created_at) VALUES ('r', 'then')`);
  for (const [roomId, sessionId, nickname, joinedAt] of LEGACY_ROWS) {
    const values = [1, 2, 3, 4, 5].map(placeholder).join(', ');
    await exec(
      `INSERT INTO members (room_id, session_id, nickname, nickname_key, joined_at) VALUES (${values})`,
      [roomId, sessionId, nickname, nicknameKey(nickname), joinedAt],
    );
  }
}

/** After the upgrade: both keep their names, and a new look-alike of either is refused. */
async function expectUpgraded(store: Store) {
  const members = await store.listMembers('r');
  expect(members.map((m) => m.nickname)).toEqual(['Alice', 'AIice']);
  const claim = (sessionId: string, nickname: string) =>
    store.claimMember({
      roomId: 'r',
      sessionId,
      nickname,
      nicknameKey: nicknameKey(nickname),
      lookKeys: lookKeys(nickname),
      joinedAt: '2026-01-01T00:00:03.000Z',
    });
  expect(await claim('s3', 'A1ice')).toEqual({ status: 'nickname-taken' });
  expect(await claim('s4', 'aIice')).toEqual({ status: 'nickname-taken' });
  expect(await claim('s5', 'Carol')).toMatchObject({ status: 'joined' });
}

describe('upgrading a database whose members already look alike', () => {
  it('SQLite: fills the keys at start-up, earliest joiner first', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'livechat-look-'));
    try {
      const db = new Database(path.join(dataDir, SQLITE_FILE));
      await migrateBeforeLookKeys(
        SQLITE_MIGRATIONS,
        async (sql, params) => {
          if (params) db.prepare(sql).run(...params);
          else db.exec(sql);
        },
        () => '?',
      );
      db.close();
      const { store } = await openStore({ dataDir, databaseUrl: undefined });
      try {
        await expectUpgraded(store);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it.skipIf(!postgresUrl)(
    'PostgreSQL: fills the keys at start-up, earliest joiner first',
    async () => {
      const { schema, drop } = await freshPostgresSchema(postgresUrl!);
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      try {
        await client.query(`CREATE SCHEMA "${schema}"`);
        await client.query(`SET search_path = "${schema}"`);
        await migrateBeforeLookKeys(
          POSTGRES_MIGRATIONS,
          async (sql, params) => void (await client.query(sql, params)),
          (n) => `$${n}`,
        );
        const store = await PostgresStore.open({ connectionString: postgresUrl!, schema });
        try {
          expect(await store.fillLookKeys(lookKeys)).toBe(2);
          await expectUpgraded(store);
        } finally {
          await store.close();
        }
      } finally {
        await client.end();
        await drop();
      }
    },
  );
});
