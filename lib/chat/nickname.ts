import { NicknameSentence } from '../protocol/input-errors';
import { MAX_NICKNAME_LENGTH } from '../protocol/limits';
import { invalid, valid, type ValueResult } from '../protocol/errors';
import { skeleton } from './confusables';

/**
 * A nickname ready to store: how it is shown, and the keys that decide uniqueness. Two
 * nicknames clash when any of their keys are equal: the same letters in another case, or
 * letters a reader could take for one another ("Аlice" with a Cyrillic А, "ВОВ" and "Bob").
 */
export interface Nickname {
  /** Trimmed and NFC-normalised, as the member typed it. */
  display: string;
  /** NFKC + case fold of `display` ("ALICE" and "alice" clash). */
  key: string;
  lookKeys: LookKeys;
}

/** The confusable skeletons (UTS #39) two look-alike nicknames share. */
export interface LookKeys {
  /** Skeleton of the case-folded name: "Аlice" and "alice" clash. */
  folded: string;
  /** Case fold of the skeleton of the name as shown: "ВОВ" (Cyrillic) and "Bob" clash. */
  shown: string;
}

const ZERO_WIDTH_JOINER = 0x200d;
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const LONE_SURROGATE = /\p{Cs}/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
/** Code points that may sit between an emoji and a following joiner (VS16, skin tones). */
const EMOJI_MODIFIER = /[\u{FE0F}\u{1F3FB}-\u{1F3FF}]/u;
/** Alphabets with letters that pass for one another; a nickname may use only one of them. */
const LOOK_ALIKE_ALPHABETS = [/\p{Script=Latin}/u, /\p{Script=Cyrillic}/u, /\p{Script=Greek}/u];

/**
 * Checks and normalises a nickname: trimmed, NFC, 1–32 code points, no control or format
 * characters except a zero-width joiner inside an emoji sequence, and not mixing Latin,
 * Cyrillic and Greek letters (any one alphabet, with digits and emoji, is fine).
 *
 * @example checkNickname('  Zoë ') // { ok: true, value: { display: 'Zoë', key: 'zoë', … } }
 */
export function checkNickname(raw: string): ValueResult<Nickname> {
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
  const alphabets = LOOK_ALIKE_ALPHABETS.filter((alphabet) => alphabet.test(display));
  if (alphabets.length > 1) return invalid(NicknameSentence.mixedAlphabets);
  return valid({ display, key: nicknameKey(display), lookKeys: lookKeys(display) });
}

/** The case key of a nickname: NFKC, then case folded (ß and SS compare equal). */
export function nicknameKey(display: string): string {
  return display.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

/** The look-alike keys of a nickname as shown. */
export function lookKeys(display: string): LookKeys {
  return {
    folded: skeleton(nicknameKey(display)),
    shown: nicknameKey(skeleton(display.normalize('NFKC'))),
  };
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
