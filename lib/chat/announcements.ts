/** The sentences of system messages, stored in history like any other message. */

/** "Alice joined" */
export function joinedText(nickname: string): string {
  return `${nickname} joined`;
}

/** "Alice left" */
export function leftText(nickname: string): string {
  return `${nickname} left`;
}

/** "Alice is now Bob" */
export function renamedText(previous: string, next: string): string {
  return `${previous} is now ${next}`;
}

/** "Bob now owns the room" (its owner left) */
export function ownerText(nickname: string): string {
  return `${nickname} now owns the room`;
}

/** "Alice named the room “Friday lunch”" */
export function titleText(by: string, title: string): string {
  return title ? `${by} named the room “${title}”` : `${by} took the room’s title away`;
}

/** "Alice set the topic: where to eat" */
export function topicText(by: string, topic: string): string {
  return topic ? `${by} set the topic: ${topic}` : `${by} cleared the topic`;
}

/** "Alice locked the room" */
export function lockText(by: string, locked: boolean): string {
  return `${by} ${locked ? 'locked' : 'unlocked'} the room`;
}

/** "Alice turned on slow mode: one message every 30 s" */
export function slowModeText(by: string, seconds: number): string {
  return seconds > 0
    ? `${by} turned on slow mode: one message every ${seconds} s`
    : `${by} turned off slow mode`;
}

/** "Alice made Bob a moderator" */
export function moderatorText(by: string, nickname: string, moderator: boolean): string {
  return `${by} made ${nickname} ${moderator ? 'a moderator' : 'a member again'}`;
}

const BAN_WORDS = {
  '10m': 'for 10 minutes',
  '1h': 'for an hour',
  '24h': 'for a day',
  permanent: 'for good',
};

/** "Alice removed Bob", "Alice banned Bob for an hour" */
export function removedText(by: string, nickname: string, ban?: keyof typeof BAN_WORDS): string {
  return ban ? `${by} banned ${nickname} ${BAN_WORDS[ban]}` : `${by} removed ${nickname}`;
}

/** "Alice lifted the ban on Bob" */
export function unbannedText(by: string, nickname: string): string {
  return `${by} lifted the ban on ${nickname}`;
}
