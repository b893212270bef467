/** Whether `text` mentions `nickname` as `@nickname` (any case), not as part of a longer word. */
export function mentions(text: string, nickname: string): boolean {
  if (nickname === '') return false;
  const haystack = fold(text);
  const needle = `@${fold(nickname)}`;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    const after = haystack.slice(at + needle.length);
    if (!/^[\p{L}\p{N}\p{M}_]/u.test(after)) return true;
  }
  return false;
}

function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}
