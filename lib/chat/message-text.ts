import { MessageTextSentence } from '../protocol/input-errors';
import { MAX_MESSAGE_LENGTH } from '../protocol/limits';
import { invalid, valid, type ValueResult } from '../protocol/errors';

/** Control characters other than tab and line feed. */
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Checks and normalises message text: line endings become `\n`, surrounding whitespace is
 * trimmed, inner newlines are kept, 1–4000 code points, no control characters. With
 * `captionOnly` (a message that carries pictures) the text is their caption and may be empty.
 */
export function checkMessageText(
  raw: string,
  options: { captionOnly?: boolean } = {},
): ValueResult<string> {
  if (LONE_SURROGATE.test(raw)) return invalid('The message contains broken characters.');
  const text = raw.replace(/\r\n?/g, '\n').trim();
  if (text.length === 0)
    return options.captionOnly ? valid(text) : invalid(MessageTextSentence.missing);
  if (FORBIDDEN_CONTROL.test(text)) return invalid('The message contains control characters.');
  if (countCodePoints(text) > MAX_MESSAGE_LENGTH) {
    return invalid(MessageTextSentence.tooLong);
  }
  return valid(text);
}

function countCodePoints(text: string): number {
  // Fast path: without surrogates, UTF-16 length is the code point count.
  if (text.length <= MAX_MESSAGE_LENGTH) return text.length;
  return Array.from(text).length;
}
