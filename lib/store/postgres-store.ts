import pg from 'pg';
import type { SearchTerm } from '../chat/search-query';
import { migrate, POSTGRES_MIGRATIONS } from './migrations';
import { POSTGRES_SQL } from './sql';
import { script, type Step, type Steps } from './sql-steps';
import { tsqueryText } from './search-match';
import { SqlStore } from './sql-store';
import { PostgresBlobStore } from './postgres-blobs';
import type { BlobStore } from './store';

/** Options for opening the PostgreSQL store. */
export interface PostgresOptions {
  connectionString: string;
  /** Schema to use instead of `public` (tests give each run its own). */
  schema?: string;
  maxConnections?: number;
}

const MIGRATION_LOCK_ID = 0x6c697665; // "live"

/**
 * The store for deployments with several server processes: PostgreSQL through a pool.
 * Every change that must not interleave with another on the same room locks the room row
 * first (`lockRoom`, `SELECT … FOR UPDATE`), which makes sequence numbers gap-free and
 * nickname claims exclusive across processes. Reads take a connection of the pool each.
 */
export class PostgresStore extends SqlStore {
  readonly blobs: BlobStore;

  private constructor(private readonly pool: pg.Pool) {
    super();
    this.blobs = new PostgresBlobStore(pool);
  }

  /** Connects, then migrates the schema to the latest version. */
  static async open(options: PostgresOptions): Promise<PostgresStore> {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      options: options.schema ? `-c search_path=${quoteIdent(options.schema)}` : undefined,
    });
    // An idle client's connection error must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    const store = new PostgresStore(pool);
    try {
      await store.transaction(migrateSchema(options.schema));
    } catch (error) {
      await pool.end();
      throw error;
    }
    return store;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  protected async transaction<T>(steps: Steps<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await run(client, steps);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  protected statements<T>(steps: Steps<T>): Promise<T> {
    return run(this.pool, steps);
  }

  /** The room is a column beside the vector: the statement filters it. */
  protected matchText(_roomId: string, terms: readonly SearchTerm[]): string {
    return tsqueryText(terms);
  }
}

/** Several processes may start at once: one migrates, the others wait and find it done. */
function* migrateSchema(schema: string | undefined): Steps<void> {
  yield* script(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`);
  if (schema) yield* script(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  yield* migrate(POSTGRES_MIGRATIONS);
}

/** Runs steps one after another on `client`, each awaited. */
async function run<T>(client: pg.Pool | pg.PoolClient, steps: Steps<T>): Promise<T> {
  let next = steps.next();
  while (!next.done) next = steps.next(await execute(client, next.value));
  return next.value;
}

async function execute(client: pg.Pool | pg.PoolClient, step: Step): Promise<unknown> {
  if ('script' in step) return void (await client.query(step.script));
  // Named: each connection parses and plans a statement once, then reuses the plan.
  const result = await client.query({
    name: step.statement,
    text: POSTGRES_SQL[step.statement],
    values: step.params as unknown[],
  });
  if (step.want === 'row') return result.rows[0];
  if (step.want === 'rows') return result.rows;
  return result.rowCount ?? 0;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
