import { z } from 'zod';
import type { RateLimitSettings } from './rate-limits';

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
  /** Origins besides the page's own allowed to open sockets. */
  allowedOrigins: string[];
  rateLimits: RateLimitSettings;
}

/** A variable that is empty or only spaces counts as unset. */
const emptyAsUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

function positiveNumber(fallback: number) {
  return z.preprocess(
    emptyAsUndefined,
    z.coerce.number().positive().max(1_000_000).default(fallback),
  );
}

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
  ALLOWED_ORIGINS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform((list) =>
        list
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url({ protocol: /^https?$/ }).transform((url) => new URL(url).origin)))
      .default([]),
  ),
  RATE_LIMITS: z.preprocess(emptyAsUndefined, z.enum(['on', 'off']).default('on')),
  RATE_LIMIT_MESSAGES_PER_SECOND: positiveNumber(5),
  RATE_LIMIT_JOINS_PER_MINUTE: positiveNumber(10),
  RATE_LIMIT_RENAMES_PER_MINUTE: positiveNumber(5),
  RATE_LIMIT_IP_MULTIPLIER: positiveNumber(10),
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
      parsed.error.issues.map(({ path: [variable, entry], message }) =>
        typeof entry === 'number'
          ? `${String(variable)}: entry ${entry + 1}: ${message}`
          : `${String(variable)}: ${message}`,
      ),
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
    allowedOrigins: values.ALLOWED_ORIGINS,
    rateLimits: {
      enabled: values.RATE_LIMITS === 'on',
      messagesPerSecond: values.RATE_LIMIT_MESSAGES_PER_SECOND,
      joinsPerMinute: values.RATE_LIMIT_JOINS_PER_MINUTE,
      renamesPerMinute: values.RATE_LIMIT_RENAMES_PER_MINUTE,
      perIpMultiplier: values.RATE_LIMIT_IP_MULTIPLIER,
    },
  };
}
