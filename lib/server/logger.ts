import pino from 'pino';

/** The logging the server needs; structured fields first, then a short message. */
export interface Logger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** Log levels a deployment may choose. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Structured JSON logs on stdout, one object per line (pino); readable colour output in
 * development. Message text is never logged.
 */
export function createLogger(options: { level: LogLevel; pretty: boolean }): Logger {
  return pino({
    level: options.level,
    base: { service: 'livechat' },
    transport: options.pretty ? { target: 'pino-pretty', options: { colorize: true } } : undefined,
  });
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Reduces an unknown thrown value to loggable fields. */
export function errorFields(error: unknown): Record<string, unknown> {
  return error instanceof Error
    ? { err: { name: error.name, message: error.message, stack: error.stack } }
    : { err: String(error) };
}
