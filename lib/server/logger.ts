import pino from 'pino';
import { readableLogStream } from './log-lines';

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
 * Structured JSON logs, one object per line (pino), or, for a person at a terminal
 * (`readable`), one short line each (`readableLogLine`). Written to stdout unless `out` is
 * given. Message text is never logged.
 */
export function createLogger(options: {
  level: LogLevel;
  readable: boolean;
  out?: { write(text: string): unknown };
}): Logger {
  const out = options.out ?? process.stdout;
  const settings = { level: options.level, base: { service: 'livechat' } };
  if (options.readable) return pino(settings, readableLogStream(out));
  return options.out ? pino(settings, out) : pino(settings);
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Reduces an unknown thrown value to loggable fields. */
export function errorFields(error: unknown): Record<string, unknown> {
  return error instanceof Error
    ? { err: { name: error.name, message: error.message, stack: error.stack } }
    : { err: String(error) };
}
