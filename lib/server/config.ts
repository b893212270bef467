import { z } from 'zod';

/** The server's settings, read once from the environment at start-up. */
export interface Config {
  /** Development mode: Next.js dev server with hot reload. */
  dev: boolean;
  port: number;
  /** Interface to listen on; undefined means all interfaces. */
  host: string | undefined;
  /** How long a disconnected member keeps their place and nickname. */
  memberGraceMs: number;
  /** Directory of the embedded database. */
  dataDir: string;
  /** PostgreSQL connection string; when set it replaces the embedded database. */
  databaseUrl: string | undefined;
  /** Trust `X-Forwarded-Proto` / `X-Forwarded-For` from a reverse proxy. */
  trustProxy: boolean;
}

/** A variable that is empty or only spaces counts as unset. */
const emptyAsUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const envSchema = z.object({
  NODE_ENV: z.preprocess(
    emptyAsUndefined,
    z.enum(['development', 'production', 'test']).default('development'),
  ),
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  HOST: z.preprocess(emptyAsUndefined, z.string().optional()),
  MEMBER_GRACE_SECONDS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().min(0).max(86_400).default(30),
  ),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./data')),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  TRUST_PROXY: z.preprocess(emptyAsUndefined, flag.default(false)),
});

/** A configuration error listing every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment and returns the typed configuration.
 *
 * @example loadConfig({ PORT: '8080' }).port // 8080
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const values = parsed.data;
  const dev = values.NODE_ENV === 'development';
  return {
    dev,
    port: values.PORT,
    host: values.HOST ?? (dev ? 'localhost' : undefined),
    memberGraceMs: values.MEMBER_GRACE_SECONDS * 1000,
    dataDir: values.DATA_DIR,
    databaseUrl: values.DATABASE_URL,
    trustProxy: values.TRUST_PROXY,
  };
}
