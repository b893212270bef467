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
