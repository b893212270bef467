/** The logging the server needs; structured fields first, then a short message. */
export interface Logger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** One JSON object per line on stdout/stderr. */
export function createJsonLogger(): Logger {
  const write = (level: string, fields: Record<string, unknown>, message: string) => {
    const line = JSON.stringify({ level, time: new Date().toISOString(), msg: message, ...fields });
    (level === 'info' ? process.stdout : process.stderr).write(`${line}\n`);
  };
  return {
    info: (fields, message) => write('info', fields, message),
    warn: (fields, message) => write('warn', fields, message),
    error: (fields, message) => write('error', fields, message),
  };
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** Reduces an unknown thrown value to loggable fields. */
export function errorFields(error: unknown): Record<string, unknown> {
  return error instanceof Error
    ? { err: { name: error.name, message: error.message, stack: error.stack } }
    : { err: String(error) };
}
