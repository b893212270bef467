import type { Message } from '../protocol/definitions';

/** Messages by others after `sinceSeq`: what arrived while the reader was away from the tab. */
export function countUnread(messages: readonly Message[], sinceSeq: number, self: string): number {
  let unread = 0;
  for (const message of messages) {
    if (message.seq > sinceSeq && message.kind === 'user' && message.author !== self) unread++;
  }
  return unread;
}

/** The tab title with the unread count in front, as chat apps show it: "(3) Room …". */
export function titleWithUnread(title: string, unread: number): string {
  return unread > 0 ? `(${unread > 99 ? '99+' : unread}) ${title}` : title;
}
