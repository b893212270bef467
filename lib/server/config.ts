import { z } from 'zod';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../protocol/limits';
import { LOG_LEVELS, type LogLevel } from './logger';
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
  /** Most connections one address may hold open at once (across processes with Redis). */
  maxConnectionsPerAddress: number;
  /** How long a connection in no room that sends nothing may stay open. */
  unjoinedTimeoutMs: number;
  /** Redis connection string; when set, processes share broadcasts and rate limits through it. */
  redisUrl: string | undefined;
  /** Prefix of every Redis key and stream, so deployments can share one Redis. */
  redisKeyPrefix: string;
  logLevel: LogLevel;
  /** Bearer token protecting `GET /metrics`; open when unset. */
  metricsToken: string | undefined;
  /** Bearer token enabling `POST /admin/announce`; the endpoint is absent when unset. */
  adminToken: string | undefined;
  /** Longest a graceful shutdown may take before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** Largest picture file an upload may send, in bytes. */
  maxUploadBytes: number;
}

/** A variable that is empty or only spaces counts as unset. */
const emptyAsUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** A bearer token: long enough not to be guessed. */
const secret = z.string().min(16, 'must be at least 16 characters');

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
  REDIS_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .optional(),
  ),
  REDIS_KEY_PREFIX: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9:_-]{1,64}$/, 'must be 1–64 letters, digits, ":", "_" or "-"')
      .default('livechat'),
  ),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(LOG_LEVELS).default('info')),
  METRICS_TOKEN: z.preprocess(emptyAsUndefined, secret.optional()),
  ADMIN_TOKEN: z.preprocess(emptyAsUndefined, secret.optional()),
  SHUTDOWN_TIMEOUT_SECONDS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().positive().max(600).default(10),
  ),
  RATE_LIMITS: z.preprocess(emptyAsUndefined, z.enum(['on', 'off']).default('on')),
  RATE_LIMIT_MESSAGES_PER_SECOND: positiveNumber(5),
  RATE_LIMIT_CHANGES_PER_SECOND: positiveNumber(5),
  RATE_LIMIT_HISTORY_PER_SECOND: positiveNumber(10),
  RATE_LIMIT_JOINS_PER_MINUTE: positiveNumber(10),
  RATE_LIMIT_RENAMES_PER_MINUTE: positiveNumber(5),
  RATE_LIMIT_UPLOADS_PER_MINUTE: positiveNumber(20),
  RATE_LIMIT_IP_MULTIPLIER: positiveNumber(10),
  MAX_UPLOAD_BYTES: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024)
      .default(DEFAULT_MAX_UPLOAD_BYTES),
  ),
  MAX_CONNECTIONS_PER_ADDRESS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().positive().max(1_000_000).default(500),
  ),
  UNJOINED_TIMEOUT_SECONDS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().positive().max(86_400).default(600),
  ),
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
    redisUrl: values.REDIS_URL,
    redisKeyPrefix: values.REDIS_KEY_PREFIX,
    logLevel: values.LOG_LEVEL,
    metricsToken: values.METRICS_TOKEN,
    adminToken: values.ADMIN_TOKEN,
    shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    maxConnectionsPerAddress: values.MAX_CONNECTIONS_PER_ADDRESS,
    unjoinedTimeoutMs: values.UNJOINED_TIMEOUT_SECONDS * 1000,
    maxUploadBytes: values.MAX_UPLOAD_BYTES,
    rateLimits: {
      enabled: values.RATE_LIMITS === 'on',
      messagesPerSecond: values.RATE_LIMIT_MESSAGES_PER_SECOND,
      changesPerSecond: values.RATE_LIMIT_CHANGES_PER_SECOND,
      historyPagesPerSecond: values.RATE_LIMIT_HISTORY_PER_SECOND,
      joinsPerMinute: values.RATE_LIMIT_JOINS_PER_MINUTE,
      renamesPerMinute: values.RATE_LIMIT_RENAMES_PER_MINUTE,
      uploadsPerMinute: values.RATE_LIMIT_UPLOADS_PER_MINUTE,
      perIpMultiplier: values.RATE_LIMIT_IP_MULTIPLIER,
    },
  };
}
