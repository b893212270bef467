import { PROTOTYPES } from './confusables-table';

/**
 * The confusable skeleton of UTS #39 (Unicode Security Mechanisms, section 4): two strings
 * that a reader could take for one another have the same skeleton. The data is Unicode's
 * confusables.txt, shipped in lib/chat/unicode/ and compiled into confusables-table.ts.
 */

let prototypes: Map<number, string> | undefined;

/** Code point → the string it is confusable with, read from the table on first use. */
function prototypeMap(): Map<number, string> {
  if (prototypes) return prototypes;
  prototypes = new Map();
  for (const line of PROTOTYPES.split('\n')) {
    if (line === '') continue;
    const [source, ...target] = line.split(' ');
    const codePoints = target.map((hex) => Number.parseInt(hex, 16));
    prototypes.set(Number.parseInt(source!, 16), String.fromCodePoint(...codePoints));
  }
  return prototypes;
}

/**
 * `skeleton(X) = NFD(each code point of NFD(X) replaced by its prototype)`.
 *
 * @example skeleton('Аlice') === skeleton('Alice') // U+0410 CYRILLIC CAPITAL A
 */
export function skeleton(text: string): string {
  const map = prototypeMap();
  let mapped = '';
  for (const char of text.normalize('NFD')) mapped += map.get(char.codePointAt(0)!) ?? char;
  return mapped.normalize('NFD');
}
