import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateRoomId, parseRoomId, parseRoomReference, roomPath } from './room-id';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const CANONICAL_FORMAT = new RegExp(`^[${ALPHABET}]{4}-[${ALPHABET}]{4}-[${ALPHABET}]{4}$`);

/** A `randomBytes` stand-in that returns the given bytes and records the size asked for. */
function fixedBytes(bytes: number[]) {
  const sizes: number[] = [];
  const source = (size: number) => {
    sizes.push(size);
    return Uint8Array.from(bytes.slice(0, size));
  };
  return { source, sizes };
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

describe('generateRoomId', () => {
  it('maps each byte to one symbol of the alphabet, in groups of four', () => {
    expect(generateRoomId(fixedBytes(range(0, 12)).source)).toBe('0123-4567-89ab');
    expect(generateRoomId(fixedBytes(range(20, 12)).source)).toBe('mnpq-rstv-wxyz');
  });

  it('uses the low five bits of each byte, so every byte value yields a valid symbol', () => {
    expect(generateRoomId(fixedBytes(range(244, 12)).source)).toBe('mnpq-rstv-wxyz');
    expect(generateRoomId(fixedBytes(Array(12).fill(255)).source)).toBe('zzzz-zzzz-zzzz');
  });

  it('is deterministic for given bytes', () => {
    const bytes = [7, 200, 13, 99, 31, 0, 128, 64, 250, 3, 77, 180];
    const first = generateRoomId(fixedBytes(bytes).source);
    expect(generateRoomId(fixedBytes(bytes).source)).toBe(first);
    expect(first).toMatch(CANONICAL_FORMAT);
  });

  it('asks for one byte per symbol (12)', () => {
    const fake = fixedBytes(range(0, 12));
    generateRoomId(fake.source);
    expect(fake.sizes).toEqual([12]);
  });

  it('gives 1,000 distinct canonical IDs from crypto.randomBytes', () => {
    const ids = Array.from({ length: 1000 }, () => generateRoomId(randomBytes));
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) expect(id).toMatch(CANONICAL_FORMAT);
  });
});

describe('parseRoomId', () => {
  it.each([
    ['the canonical form', 'k3vq-8m2x-d7tp'],
    ['upper case', 'K3VQ-8M2X-D7TP'],
    ['no dashes', 'k3vq8m2xd7tp'],
    ['spaces instead of dashes', 'k3vq 8m2x d7tp'],
    ['surrounding whitespace', '  k3vq-8m2x-d7tp\n'],
  ])('accepts %s', (_label, input) => {
    expect(parseRoomId(input)).toEqual({ ok: true, value: 'k3vq-8m2x-d7tp' });
  });

  it('reads the look-alikes o as 0 and i and l as 1', () => {
    expect(parseRoomId('oOiI-lL00-1111')).toEqual({ ok: true, value: '0011-1100-1111' });
  });

  it.each([
    ['too short', 'k3vq-8m2x-d7t'],
    ['too long', 'k3vq-8m2x-d7tpp'],
    ['the excluded letter u', 'k3vq-8m2x-d7tu'],
    ['punctuation', 'k3vq.8m2x.d7tp'],
    ['an underscore', 'k3vq_8m2x_d7tp'],
    ['empty', ''],
  ])('refuses %s', (_label, input) => {
    const result = parseRoomId(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toMatch(/^That is not a room ID\./);
  });
});

describe('parseRoomReference', () => {
  it.each([
    ['a full URL with query and fragment', 'https://host:3000/rooms/ABCD-EFGH-JKMN?x=1#y'],
    ['a path', '/rooms/abcd-efgh-jkmn'],
    ['a path with a trailing slash', '/rooms/abcd-efgh-jkmn/'],
    ['a bare ID', 'abcd-efgh-jkmn'],
    ['a URL whose ID is percent-encoded', 'https://host/rooms/abcd%2Defgh%2Djkmn'],
    ['a URL whose ID has encoded spaces', 'https://host/rooms/abcd%20efgh%20jkmn'],
  ])('extracts the ID from %s', (_label, input) => {
    expect(parseRoomReference(input)).toEqual({ ok: true, value: 'abcd-efgh-jkmn' });
  });

  it('refuses a URL whose room segment is not an ID', () => {
    expect(parseRoomReference('https://host/rooms/lobby').ok).toBe(false);
  });

  it('refuses a malformed percent-encoding instead of throwing', () => {
    expect(parseRoomReference('/rooms/abcd%E0%A4%A').ok).toBe(false);
  });

  it('refuses text that is neither a URL nor an ID', () => {
    expect(parseRoomReference('hello world').ok).toBe(false);
  });
});

describe('roomPath', () => {
  it('is /rooms/<id>', () => {
    expect(roomPath('k3vq-8m2x-d7tp')).toBe('/rooms/k3vq-8m2x-d7tp');
  });

  it('round-trips through parseRoomReference', () => {
    expect(parseRoomReference(roomPath('k3vq-8m2x-d7tp'))).toEqual({
      ok: true,
      value: 'k3vq-8m2x-d7tp',
    });
  });
});
