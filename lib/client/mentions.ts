import { lookKeys, nicknameKey } from '../chat/nickname';

/**
 * Whether `text` mentions `nickname` as `@nickname`, not as part of a longer word. A mention
 * counts under the room's nickname rule (lib/chat/nickname.ts): any case, and any look-alike
 * spelling ("@Аlice" with a Cyrillic А is a mention of Alice, the only one who can look so).
 */
export function mentions(text: string, nickname: string): boolean {
  if (nickname === '') return false;
  const [textLooks, nicknameLooks] = [lookKeys(text), lookKeys(nickname)];
  return (
    mentionsKey(nicknameKey(text), `@${nicknameKey(nickname)}`) ||
    mentionsKey(textLooks.folded, `@${nicknameLooks.folded}`) ||
    mentionsKey(textLooks.shown, `@${nicknameLooks.shown}`)
  );
}

function mentionsKey(haystack: string, needle: string): boolean {
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    const after = haystack.slice(at + needle.length);
    if (!/^[\p{L}\p{N}\p{M}_]/u.test(after)) return true;
  }
  return false;
}
