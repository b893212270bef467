import { replyQuote } from '../chat/message-changes';
import type { Message } from '../protocol/definitions';

/**
 * Merges messages into a log ordered by sequence number, keeping one copy of each ID: of two
 * copies, the one with the later change (`changeSeq`) wins, so a page read before an edit
 * never undoes it. The common case (one newer message) appends without sorting.
 */
export function mergeMessages(log: readonly Message[], incoming: readonly Message[]): Message[] {
  if (incoming.length === 0) return log as Message[];
  const last = log[log.length - 1];
  if (incoming.length === 1 && (!last || incoming[0]!.seq > last.seq))
    return [...log, incoming[0]!];
  const byId = new Map<string, Message>();
  for (const message of log) byId.set(message.id, message);
  for (const message of incoming) {
    const held = byId.get(message.id);
    if (!held || (message.changeSeq ?? 0) >= (held.changeSeq ?? 0)) byId.set(message.id, message);
  }
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * The log after a message's new state arrived: the message replaced (if held and not newer
 * already), and the quotes of replies to it brought up to date. The same array when nothing
 * held changes.
 */
export function applyChange(log: readonly Message[], changed: Message): Message[] {
  let touched = false;
  const next = log.map((message) => {
    if (message.id === changed.id) {
      if ((message.changeSeq ?? 0) >= (changed.changeSeq ?? 0)) return message;
      touched = true;
      return changed;
    }
    if (message.replyTo?.seq === changed.seq && message.roomId === changed.roomId) {
      touched = true;
      const deleted = changed.deletedAt !== undefined;
      return { ...message, replyTo: replyQuote({ ...changed, deleted }) };
    }
    return message;
  });
  return touched ? next : (log as Message[]);
}
