import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The URL of an external service for tests, from the environment. Unset outside CI, the tests
 * that need it are skipped with a visible note; in CI (`CI=true`) an unset URL is an error.
 */
export function serviceUrl(variable: 'DATABASE_URL' | 'REDIS_URL'): string | undefined {
  const url = process.env[variable];
  if (url) return url;
  if (process.env.CI) throw new Error(`${variable} must be set when CI is set`);
  console.warn(`\n⚠ ${variable} is not set: skipping the tests that need it.\n`);
  return undefined;
}

/** A fresh PostgreSQL schema for one test, and a way to drop it. */
export async function freshPostgresSchema(connectionString: string) {
  const schema = `livechat_test_${randomBytes(6).toString('hex')}`;
  return {
    schema,
    async drop() {
      const client = new pg.Client({ connectionString });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}

/** A fresh PostgreSQL database (for server processes, which use the default schema). */
export async function freshPostgresDatabase(adminUrl: string) {
  const database = `livechat_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await client.end();
    },
  };
}
