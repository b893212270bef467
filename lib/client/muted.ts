import type { Message } from '../protocol/definitions';

/**
 * Muting is for the reader alone: the people a browser muted in a room are kept in that
 * browser (never sent to the server), by the author key their messages carry, so a muted
 * person stays muted after a rename and nobody else who later takes the nickname is.
 */

/** Where a browser keeps the author keys it muted in `roomId`. */
export function mutedStorageKey(roomId: string): string {
  return `livechat:muted:${roomId}`;
}

/** The author keys kept under a room's storage key; anything unreadable counts as none. */
export function parseMuted(stored: string | null): ReadonlySet<string> {
  if (!stored) return new Set();
  try {
    const value: unknown = JSON.parse(stored);
    return new Set(Array.isArray(value) ? value.filter((key) => typeof key === 'string') : []);
  } catch {
    return new Set();
  }
}

/** The stored form of `muted` with `authorKey` muted (`on`) or not. */
export function withMuted(muted: ReadonlySet<string>, authorKey: string, on: boolean): string {
  const next = new Set(muted);
  if (on) next.add(authorKey);
  else next.delete(authorKey);
  return JSON.stringify([...next]);
}

/** Whether the reader muted the author of `message`. */
export function isMuted(message: Message, muted: ReadonlySet<string>): boolean {
  return message.kind === 'user' && message.authorKey !== undefined && muted.has(message.authorKey);
}

/** What the log shows: a message, or a run of messages from muted people folded into one line. */
export type LogEntry =
  | { kind: 'message'; message: Message; index: number }
  | { kind: 'muted'; messages: Message[]; firstSeq: number };

/**
 * The log's entries: each run of consecutive messages from muted people (system notices
 * between them break the run) becomes one folded entry, unless its first seq was unfolded.
 */
export function logEntries(
  messages: readonly Message[],
  muted: ReadonlySet<string>,
  unfolded: ReadonlySet<number>,
): LogEntry[] {
  const entries: LogEntry[] = [];
  let run: Message[] = [];
  // Whether the current run of muted messages was unfolded: then each is shown as usual.
  let showingRun = false;
  const closeRun = () => {
    if (run.length > 0) entries.push({ kind: 'muted', messages: run, firstSeq: run[0]!.seq });
    run = [];
    showingRun = false;
  };
  messages.forEach((message, index) => {
    if (muted.size > 0 && isMuted(message, muted)) {
      if (run.length === 0 && !showingRun) showingRun = unfolded.has(message.seq);
      if (!showingRun) {
        run.push(message);
        return;
      }
    } else {
      closeRun();
    }
    entries.push({ kind: 'message', message, index });
  });
  closeRun();
  return entries;
}
