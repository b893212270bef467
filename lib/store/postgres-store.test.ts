import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freshPostgresSchema, serviceUrl } from '../../test/helpers/services';
import { SchemaTooNewError } from './migrations';
import { PostgresStore } from './postgres-store';
import { describeStoreContract } from './store-contract';
import { lookKeys } from '../chat/nickname';

const databaseUrl = serviceUrl('DATABASE_URL');

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
      const plan = await client.query(
        "EXPLAIN SELECT * FROM messages WHERE room_id = 'r' AND seq < 10 ORDER BY seq DESC LIMIT 5",
      );
      const text = plan.rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n');
      expect(text).toMatch(/Index Scan Backward using messages_pkey/);
    } finally {
      await client.end();
      await drop();
    }
  });
});
