/** A piece of message text: plain text, or a web address to show as a link. */
export type TextPart =
  { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

/** Something that starts like a web address and runs to the next space or angle bracket. */
const URL_CANDIDATE = /\bhttps?:\/\/[^\s<>"]+/gi;
/** Punctuation that usually ends the sentence around a link rather than the link itself. */
const TRAILING_PUNCTUATION = '.,;:!?\'"*_~';
const CLOSING_BRACKETS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/**
 * Splits message text into plain text and `http(s)` links. Only the text is interpreted; it
 * never becomes markup, so the caller renders parts as text nodes and anchors.
 *
 * @example linkify('see https://example.com.') // text 'see ', link 'https://example.com', text '.'
 */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let plainStart = 0;
  for (const match of text.matchAll(URL_CANDIDATE)) {
    const candidate = trimTrailing(match[0]);
    const href = webAddress(candidate);
    if (href === undefined) continue;
    const start = match.index;
    if (start > plainStart) parts.push({ kind: 'text', text: text.slice(plainStart, start) });
    parts.push({ kind: 'link', text: candidate, href });
    plainStart = start + candidate.length;
  }
  if (plainStart < text.length) parts.push({ kind: 'text', text: text.slice(plainStart) });
  return parts;
}

/** Drops sentence punctuation and unbalanced closing brackets from the end of a candidate. */
function trimTrailing(candidate: string): string {
  let end = candidate.length;
  while (end > 0) {
    const last = candidate[end - 1]!;
    if (TRAILING_PUNCTUATION.includes(last)) {
      end--;
      continue;
    }
    const opening = CLOSING_BRACKETS[last];
    if (opening !== undefined) {
      const kept = candidate.slice(0, end);
      if (count(kept, last) > count(kept, opening)) {
        end--;
        continue;
      }
    }
    break;
  }
  return candidate.slice(0, end);
}

/** The normalised address if `candidate` is a valid http(s) URL with a host. */
function webAddress(candidate: string): string | undefined {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    return undefined;
  }
  return url.href;
}

function count(text: string, char: string): number {
  let total = 0;
  for (const each of text) if (each === char) total++;
  return total;
}
