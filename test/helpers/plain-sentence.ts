/**
 * Words that give away a schema library or a program talking instead of a person: type names,
 * JavaScript values, validator phrasing, stack frames.
 */
const PROGRAM_TALK =
  /undefined|\bnull\b|NaN|expected|received|invalid input|\bstring\b|\bnumber\b|\bboolean\b|\bobject\b|\barray\b|\bzod\b|Error\b|\n\s+at |node_modules|:\d+:\d+/i;

/**
 * Why `message` is not a plain sentence for a person (capitalised, ending in a full stop, at
 * most 200 characters, no program talk), or undefined when it is.
 */
export function notPlainSentence(message: unknown): string | undefined {
  if (typeof message !== 'string') return 'not text';
  if (!/^[A-Z“]/.test(message)) return 'does not start with a capital letter';
  if (!/[.?!]$/.test(message)) return 'does not end with a full stop';
  if (message.length > 200) return 'longer than 200 characters';
  const talk = PROGRAM_TALK.exec(message);
  if (talk) return `says “${talk[0]}”`;
  return undefined;
}
