/**
 * Log lines for a person at a terminal: pino's JSON line turned into one short line of time,
 * level, message and `key=value` fields. Machines (files, pipes, log collectors) get the JSON.
 */

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** Fields every line has, or that say nothing at a terminal. */
const SHOWN_APART = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service']);

/**
 * One JSON log line as a readable one; a line that is not JSON is returned as it is.
 * @example readableLogLine('{"level":30,"time":0,"msg":"room created","roomId":"k3vq"}')
 *   // → '00:00:00.000 INFO  room created roomId=k3vq' (the time in the local zone)
 */
export function readableLogLine(json: string): string {
  let entry: unknown;
  try {
    entry = JSON.parse(json);
  } catch {
    return json.trimEnd();
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return json.trimEnd();
  const fields = entry as Record<string, unknown>;
  const level = LEVEL_NAMES[Number(fields.level)] ?? String(fields.level ?? '');
  const parts = [clockTime(fields.time), level.padEnd(5), String(fields.msg ?? '')];
  let stack = '';
  for (const [key, value] of Object.entries(fields)) {
    if (SHOWN_APART.has(key) || value === undefined) continue;
    if (key === 'err' && isErrorFields(value)) {
      parts.push(`err=${quoted(`${value.name}: ${value.message}`)}`);
      stack = stackBelow(value.stack);
    } else {
      parts.push(`${key}=${shown(value)}`);
    }
  }
  return parts.filter((part) => part !== '').join(' ') + stack;
}

/** `HH:MM:SS.mmm` in the local time zone; empty without a time. */
function clockTime(time: unknown): string {
  if (typeof time !== 'number') return '';
  const at = new Date(time);
  const two = (n: number) => String(n).padStart(2, '0');
  const millis = String(at.getMilliseconds()).padStart(3, '0');
  return `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}.${millis}`;
}

function shown(value: unknown): string {
  return typeof value === 'string' ? quoted(value) : JSON.stringify(value);
}

/** A string bare when it reads unambiguously so, else in JSON quotes. */
function quoted(text: string): string {
  return /^[^\s"=]+$/.test(text) ? text : JSON.stringify(text);
}

function isErrorFields(value: unknown): value is { name: string; message: string; stack?: string } {
  if (typeof value !== 'object' || value === null) return false;
  const { name, message } = value as Record<string, unknown>;
  return typeof name === 'string' && typeof message === 'string';
}

/** The stack's frames, indented on the lines below (its first line repeats the message). */
function stackBelow(stack: string | undefined): string {
  const frames = stack?.split('\n').slice(1) ?? [];
  return frames.map((frame) => `\n    ${frame.trim()}`).join('');
}

/** A stream for pino that writes each line readably to `out`. */
export function readableLogStream(out: { write(text: string): unknown }) {
  return { write: (line: string) => void out.write(`${readableLogLine(line)}\n`) };
}
