import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

/** The problems of the ConfigError that loading `env` throws; fails if it does not throw one. */
function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe('loadConfig', () => {
  it('uses development defaults for an empty environment', () => {
    expect(loadConfig({})).toEqual({
      dev: true,
      port: 3000,
      host: 'localhost',
      memberGraceMs: 30_000,
      dataDir: './data',
      databaseUrl: undefined,
      trustProxy: false,
      allowedOrigins: [],
      redisUrl: undefined,
      redisKeyPrefix: 'livechat',
      logLevel: 'info',
      metricsToken: undefined,
      adminToken: undefined,
      shutdownTimeoutMs: 10_000,
      maxConnectionsPerAddress: 500,
      unjoinedTimeoutMs: 600_000,
      maxUploadBytes: 10 * 1024 * 1024,
      rateLimits: {
        enabled: true,
        messagesPerSecond: 5,
        changesPerSecond: 5,
        historyPagesPerSecond: 10,
        joinsPerMinute: 10,
        renamesPerMinute: 5,
        uploadsPerMinute: 20,
        perIpMultiplier: 10,
      },
    });
  });

  it('listens on all interfaces in production unless HOST is set', () => {
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({ dev: false, host: undefined });
    expect(loadConfig({ NODE_ENV: 'production', HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
  });

  it('treats empty strings as unset', () => {
    const empty = {
      NODE_ENV: '',
      PORT: '',
      HOST: '',
      MEMBER_GRACE_SECONDS: '',
      DATA_DIR: '',
      DATABASE_URL: '',
      TRUST_PROXY: '',
    };
    expect(loadConfig(empty)).toEqual(loadConfig({}));
  });

  it('reads every variable that is set', () => {
    expect(
      loadConfig({
        NODE_ENV: 'production',
        PORT: '8080',
        HOST: '0.0.0.0',
        MEMBER_GRACE_SECONDS: '2.5',
        DATA_DIR: '/var/lib/livechat',
        DATABASE_URL: 'postgresql://user@db/livechat',
        TRUST_PROXY: 'yes',
        ALLOWED_ORIGINS: 'https://app.example, http://localhost:5173/',
        REDIS_URL: 'redis://cache:6379',
        REDIS_KEY_PREFIX: 'chat-eu:1',
        LOG_LEVEL: 'warn',
        METRICS_TOKEN: 'm'.repeat(16),
        ADMIN_TOKEN: 'a'.repeat(20),
        SHUTDOWN_TIMEOUT_SECONDS: '3',
        RATE_LIMITS: 'off',
        RATE_LIMIT_MESSAGES_PER_SECOND: '50',
        RATE_LIMIT_HISTORY_PER_SECOND: '30',
        RATE_LIMIT_JOINS_PER_MINUTE: '100',
        RATE_LIMIT_RENAMES_PER_MINUTE: '20',
        RATE_LIMIT_IP_MULTIPLIER: '2',
        MAX_CONNECTIONS_PER_ADDRESS: '40',
        UNJOINED_TIMEOUT_SECONDS: '90',
        RATE_LIMIT_UPLOADS_PER_MINUTE: '6',
        MAX_UPLOAD_BYTES: '2097152',
      }),
    ).toEqual({
      dev: false,
      port: 8080,
      host: '0.0.0.0',
      memberGraceMs: 2500,
      dataDir: '/var/lib/livechat',
      databaseUrl: 'postgresql://user@db/livechat',
      trustProxy: true,
      allowedOrigins: ['https://app.example', 'http://localhost:5173'],
      redisUrl: 'redis://cache:6379',
      redisKeyPrefix: 'chat-eu:1',
      logLevel: 'warn',
      metricsToken: 'm'.repeat(16),
      adminToken: 'a'.repeat(20),
      shutdownTimeoutMs: 3000,
      maxConnectionsPerAddress: 40,
      unjoinedTimeoutMs: 90_000,
      maxUploadBytes: 2 * 1024 * 1024,
      rateLimits: {
        enabled: false,
        messagesPerSecond: 50,
        changesPerSecond: 5,
        historyPagesPerSecond: 30,
        joinsPerMinute: 100,
        renamesPerMinute: 20,
        uploadsPerMinute: 6,
        perIpMultiplier: 2,
      },
    });
  });

  it.each(['true', '1'])('reads TRUST_PROXY %s as true', (value) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toBe(true);
  });

  it.each(['false', '0'])('reads TRUST_PROXY %s as false', (value) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toBe(false);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['MEMBER_GRACE_SECONDS', '-1'],
    ['DATABASE_URL', 'mysql://x'],
    ['TRUST_PROXY', 'maybe'],
    ['NODE_ENV', 'staging'],
    ['ALLOWED_ORIGINS', 'https://ok.example,javascript:alert(1)'],
    ['ALLOWED_ORIGINS', 'ftp://files.example'],
    ['RATE_LIMITS', 'sometimes'],
    ['REDIS_URL', 'http://cache'],
    ['LOG_LEVEL', 'loud'],
    ['ADMIN_TOKEN', 'short'],
    ['SHUTDOWN_TIMEOUT_SECONDS', '0'],
    ['MAX_CONNECTIONS_PER_ADDRESS', '2.5'],
    ['UNJOINED_TIMEOUT_SECONDS', '-1'],
    ['MAX_UPLOAD_BYTES', '10MB'],
    ['MAX_UPLOAD_BYTES', '1000000000'],
    ['RATE_LIMIT_MESSAGES_PER_SECOND', '0'],
    ['RATE_LIMIT_IP_MULTIPLIER', 'lots'],
  ])('refuses %s=%s with a ConfigError naming the variable', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}: .+`));
  });

  it.each(['PORT', 'MEMBER_GRACE_SECONDS'])(
    'never reads a blank %s (spaces only) as zero: it is either refused or unset',
    (name) => {
      let config;
      try {
        config = loadConfig({ [name]: '   ' });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return;
      }
      expect(config).toEqual(loadConfig({}));
    },
  );

  it('lists every bad variable at once', () => {
    const problems = problemsOf({ PORT: 'abc', MEMBER_GRACE_SECONDS: '-1', TRUST_PROXY: 'maybe' });
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
      'MEMBER_GRACE_SECONDS',
      'PORT',
      'TRUST_PROXY',
    ]);
  });
});

describe('ConfigError', () => {
  it('is an Error whose message lists each problem on its own line', () => {
    const error = new ConfigError(['PORT: too big', 'TRUST_PROXY: invalid']);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigError');
    expect(error.message).toBe(
      'Invalid configuration:\n  - PORT: too big\n  - TRUST_PROXY: invalid',
    );
  });
});
