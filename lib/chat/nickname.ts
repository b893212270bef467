import { NicknameSentence } from '../protocol/input-errors';
import { MAX_NICKNAME_LENGTH } from '../protocol/limits';
import { type Checked, invalid, valid } from './checked';

/** A nickname ready to store: how it is shown, and the key that decides uniqueness. */
export interface Nickname {
  /** Trimmed and NFC-normalised, as the member typed it. */
  display: string;
  /** NFKC + case fold of `display`; two nicknames clash when their keys are equal. */
  key: string;
}

const ZERO_WIDTH_JOINER = 0x200d;
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const LONE_SURROGATE = /\p{Cs}/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
/** Code points that may sit between an emoji and a following joiner (VS16, skin tones). */
const EMOJI_MODIFIER = /[\u{FE0F}\u{1F3FB}-\u{1F3FF}]/u;

/**
 * Checks and normalises a nickname: trimmed, NFC, 1–32 code points, no control or format
 * characters except a zero-width joiner inside an emoji sequence.
 *
 * @example checkNickname('  Zoë ') // { ok: true, value: { display: 'Zoë', key: 'zoë' } }
 */
export function checkNickname(raw: string): Checked<Nickname> {
  if (LONE_SURROGATE.test(raw)) return invalid('A nickname cannot contain broken characters.');
  const display = raw.trim().normalize('NFC');
  const codePoints = Array.from(display);
  if (codePoints.length === 0) return invalid(NicknameSentence.missing);
  if (codePoints.length > MAX_NICKNAME_LENGTH) {
    return invalid(NicknameSentence.tooLong);
  }
  for (let index = 0; index < codePoints.length; index++) {
    const char = codePoints[index]!;
    if (!CONTROL_OR_FORMAT.test(char)) continue;
    if (char.codePointAt(0) === ZERO_WIDTH_JOINER && joinsEmoji(codePoints, index)) continue;
    return invalid('A nickname cannot contain invisible or control characters.');
  }
  return valid({ display, key: nicknameKey(display) });
}

/** The uniqueness key of a nickname: NFKC, then case folded (ß and SS compare equal). */
export function nicknameKey(display: string): string {
  return display.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

/** Whether the joiner at `index` sits between two pictographs, as in 👩‍💻. */
function joinsEmoji(codePoints: string[], index: number): boolean {
  let before = index - 1;
  while (before >= 0 && EMOJI_MODIFIER.test(codePoints[before]!)) before--;
  const previous = codePoints[before];
  const next = codePoints[index + 1];
  return (
    previous !== undefined &&
    next !== undefined &&
    PICTOGRAPHIC.test(previous) &&
    PICTOGRAPHIC.test(next)
  );
}
