import { invalid, valid, type ValueResult } from '../protocol/errors';
import { EmojiSentence } from '../protocol/input-errors';
import { MAX_EMOJI_LENGTH } from '../protocol/limits';

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** A pictograph, a flag (two regional indicators) or a keycap (#, * or a digit, then ⃣). */
const EMOJI = /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}{2}|[#*0-9]\u20E3)/u;
const VARIATION_SELECTORS = /[\uFE0E\uFE0F]/g;
const KEYCAP = /^[#*0-9]\u20E3$/u;

/**
 * Checks a reaction: exactly one emoji (one grapheme cluster that is a pictograph, a flag or
 * a keycap, skin tones and ZWJ sequences included). Normalised so one emoji is one reaction
 * however it was typed: a lone symbol gets the emoji-style selector exactly when it would
 * otherwise show as text (❤ and ❤️ are one reaction), and a keycap always has it.
 *
 * @example checkEmoji('❤') // valid('❤️')
 */
export function checkEmoji(raw: string): ValueResult<string> {
  const graphemes = [...segmenter.segment(raw)];
  if (raw.length > MAX_EMOJI_LENGTH || graphemes.length !== 1) {
    return invalid(EmojiSentence.notEmoji);
  }
  const text = raw.normalize('NFC');
  const bare = text.replace(VARIATION_SELECTORS, '');
  if (!EMOJI.test(bare)) return invalid(EmojiSentence.notEmoji);
  if ([...bare].length === 1) {
    return valid(/\p{Emoji_Presentation}/u.test(bare) ? bare : `${bare}\uFE0F`);
  }
  if (KEYCAP.test(bare)) return valid(`${bare[0]}\uFE0F\u20E3`);
  // Sequences (skin tones, ZWJ families, flags) are kept as typed: their selectors matter.
  return valid(text);
}
