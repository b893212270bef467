import type { Message } from '../protocol/definitions';

/**
 * Whether this session wrote `message`: its `authorKey` is the session's in the room,
 * whatever nickname either had. Messages stored before keys existed fall back to the nickname.
 */
export function isOwnMessage(
  message: Message,
  self: { nickname: string; authorKey: string },
): boolean {
  if (message.kind !== 'user') return false;
  if (message.authorKey !== undefined) return message.authorKey === self.authorKey;
  return message.author === self.nickname;
}
