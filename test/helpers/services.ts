import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';

type ServiceVariable = 'DATABASE_URL' | 'REDIS_URL';

/** Where the services run on a developer's machine (and in the project's dev containers). */
export const LOCAL_SERVICE_URLS: Record<ServiceVariable, string> = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
  REDIS_URL: 'redis://127.0.0.1:6379',
};

const ROOT = path.resolve(__dirname, '../..');
const PROBE_TIMEOUT_MS = 1_500;

/**
 * Connects to the service once and runs a trivial command, in a child process so that callers
 * can stay synchronous (test files decide what to skip while they are being collected).
 */
const PROBE_SCRIPT = `
const [variable, url, timeoutMs] = process.argv.slice(1);
const timeout = Number(timeoutMs);
const fail = (error) => {
  process.stderr.write(String(error && error.message ? error.message : error));
  process.exit(1);
};
setTimeout(() => fail('no answer within ' + timeout + ' ms'), timeout).unref();
if (variable === 'DATABASE_URL') {
  const client = new (require('pg').Client)({ connectionString: url, connectionTimeoutMillis: timeout });
  client.on('error', fail);
  client.connect().then(() => client.query('SELECT 1')).then(() => client.end()).then(() => process.exit(0), fail);
} else {
  const client = require('redis').createClient({
    url,
    socket: { connectTimeout: timeout, reconnectStrategy: false },
  });
  client.on('error', fail);
  client.connect().then(() => client.ping()).then(() => client.quit()).then(() => process.exit(0), fail);
}
`;

/** Undefined when the service answered, else why not. */
function probe(variable: ServiceVariable, url: string): string | undefined {
  const result = spawnSync(
    process.execPath,
    ['-e', PROBE_SCRIPT, variable, url, String(PROBE_TIMEOUT_MS)],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: PROBE_TIMEOUT_MS * 3,
    },
  );
  if (result.status === 0) return undefined;
  return (result.stderr || result.error?.message || `probe exited with ${result.status}`).trim();
}

function redacted(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/**
 * The URL of an external service for tests. A URL from the environment must answer (the tests
 * fail loudly if it does not); in CI (`CI` set) it must also be set. Outside CI an unset URL
 * falls back to the local service (`LOCAL_SERVICE_URLS`) when that answers a quick probe, and
 * otherwise the tests that need it are skipped with a visible note.
 */
export function serviceUrl(variable: ServiceVariable): string | undefined {
  const fromEnvironment = process.env[variable];
  if (!fromEnvironment && process.env.CI) {
    throw new Error(`${variable} must be set when CI is set`);
  }
  const url = fromEnvironment || LOCAL_SERVICE_URLS[variable];
  const problem = probe(variable, url);
  if (!problem) return url;
  if (fromEnvironment) {
    throw new Error(`${variable} (${redacted(url)}) cannot be reached: ${problem}`);
  }
  console.warn(
    `\n⚠ ${variable} is not set and ${redacted(url)} cannot be reached (${problem}): ` +
      'skipping the tests that need it.\n',
  );
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
