import { ROOM_ID_SENTENCE } from '../protocol/input-errors';
import { invalid, valid, type ValueResult } from '../protocol/errors';

/**
 * Room IDs: 12 symbols of Crockford's base32 (no I, L, O or U), shown as three groups of four,
 * e.g. `k3vq-8m2x-d7tp`. 60 bits from a CSPRNG; case-insensitive and easy to read aloud, and
 * the look-alikes O/I/L are read as 0/1/1 when parsing.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const SYMBOLS = 12;
const GROUP = 4;
const CANONICAL = /^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/;

/** Source of cryptographically secure random bytes (e.g. `crypto.randomBytes`). */
export type RandomBytes = (size: number) => Uint8Array;

/** Makes a new room ID from secure random bytes. */
export function generateRoomId(randomBytes: RandomBytes): string {
  const bytes = randomBytes(SYMBOLS);
  let symbols = '';
  // 256 is a multiple of 32, so the low five bits of each byte are uniform.
  for (const byte of bytes) symbols += ALPHABET[byte & 31];
  return formatSymbols(symbols);
}

/**
 * Reads a room ID as a person might type it (any case, with or without dashes or spaces)
 * and returns its canonical form.
 */
export function parseRoomId(input: string): ValueResult<string> {
  // Clients send the canonical form with every request; only typed input needs the rest.
  if (CANONICAL.test(input)) return valid(input);
  const symbols = input
    .trim()
    .toLowerCase()
    .replace(/[\s-]/g, '')
    .replace(/o/g, '0')
    .replace(/[il]/g, '1');
  if (symbols.length !== SYMBOLS || [...symbols].some((char) => !ALPHABET.includes(char))) {
    return invalid(ROOM_ID_SENTENCE);
  }
  return valid(formatSymbols(symbols));
}

/**
 * Finds the room ID in what a person pasted: a bare ID, a path `/rooms/<id>` or a full URL.
 */
export function parseRoomReference(input: string): ValueResult<string> {
  const trimmed = input.trim();
  const fromPath = /\/rooms\/([^/?#\s]+)/.exec(trimmed);
  if (fromPath) return parseRoomId(decodeURIComponentSafe(fromPath[1]!));
  return parseRoomId(trimmed);
}

/** The path of a room's page. */
export function roomPath(roomId: string): string {
  return `/rooms/${roomId}`;
}

function formatSymbols(symbols: string): string {
  const groups: string[] = [];
  for (let start = 0; start < symbols.length; start += GROUP) {
    groups.push(symbols.slice(start, start + GROUP));
  }
  return groups.join('-');
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
