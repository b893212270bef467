import type { Message } from '../protocol/definitions';

/**
 * Merges messages into a log ordered by sequence number, keeping one copy of each ID.
 * The common case (one newer message) appends without sorting.
 */
export function mergeMessages(log: readonly Message[], incoming: readonly Message[]): Message[] {
  if (incoming.length === 0) return log as Message[];
  const last = log[log.length - 1];
  if (incoming.length === 1 && (!last || incoming[0]!.seq > last.seq))
    return [...log, incoming[0]!];
  const byId = new Map<string, Message>();
  for (const message of log) byId.set(message.id, message);
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}
