/** The typing line under the log: who is typing, in words; '' when nobody is. */
export function typingText(nicknames: readonly string[]): string {
  const [first, second] = nicknames;
  if (first === undefined) return '';
  if (second === undefined) return `${first} is typing…`;
  if (nicknames.length === 2) return `${first} and ${second} are typing…`;
  return 'Several people are typing…';
}
