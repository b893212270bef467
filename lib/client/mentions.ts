import { lookKeys, nicknameKey } from '../chat/nickname';
import { visibleText } from './chat-markdown';

/**
 * What any mention holds, as typed or once rendered: "@", a look-alike of it (U+FE6B, U+FF20),
 * or the `&` of an entity such as `&#64;`. A text without one is not read as Markdown at all.
 */
const MAY_MENTION = /[@\uFE6B\uFF20&]/;

/**
 * Whether message `text` mentions `nickname` as `@nickname`, not as part of a longer word,
 * either as typed or in the words its readers see once the Markdown is rendered: so Markdown
 * around a mention (`**@alice**`, `_@alice_`) hides none, and a nickname with Markdown
 * characters in it (`@*star*`) is still mentioned. A mention counts under the room's nickname
 * rule (lib/chat/nickname.ts): any case, and any look-alike spelling ("@Аlice" with a Cyrillic
 * А is a mention of Alice, the only one who can look so).
 */
export function mentions(text: string, nickname: string): boolean {
  if (nickname === '' || !MAY_MENTION.test(text)) return false;
  return mentionsIn(text, nickname) || mentionsIn(visibleText(text), nickname);
}

function mentionsIn(words: string, nickname: string): boolean {
  const [wordLooks, nicknameLooks] = [lookKeys(words), lookKeys(nickname)];
  return (
    mentionsKey(nicknameKey(words), `@${nicknameKey(nickname)}`) ||
    mentionsKey(wordLooks.folded, `@${nicknameLooks.folded}`) ||
    mentionsKey(wordLooks.shown, `@${nicknameLooks.shown}`)
  );
}

function mentionsKey(haystack: string, needle: string): boolean {
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    const after = haystack.slice(at + needle.length);
    if (!/^[\p{L}\p{N}\p{M}_]/u.test(after)) return true;
  }
  return false;
}
