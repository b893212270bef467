/** The only schemes a message may link to; anything else stays text. */
const LINKABLE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * The normalised address if `address` is an absolute `http:`, `https:` (with a host) or
 * `mailto:` URL; `undefined` for every other scheme and for relative addresses. The URL parser
 * decides the scheme, so case, entities already decoded by the Markdown parser, and tabs or
 * newlines inside the scheme cannot smuggle `javascript:` past it.
 *
 * @example safeHref('HTTPS://Example.com') // 'https://example.com/'
 */
export function safeHref(address: string): string | undefined {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return undefined;
  }
  if (!LINKABLE_PROTOCOLS.has(url.protocol)) return undefined;
  if (url.protocol === 'mailto:' ? url.pathname === '' : url.hostname === '') return undefined;
  return url.href;
}

/**
 * Where a link really goes, to show beside its text — or `undefined` when the text already
 * says so (it is the address, as typed or as a bare `www.` or mail address). Shown as the host
 * for web links (in its ASCII form, so a look-alike Unicode name cannot pass for another), as
 * the mail address for `mailto:`. Addresses with a user name (`https://bank.test@evil.test`)
 * and internationalised hosts always show it, since their text can pass for another host.
 *
 * @example hiddenTarget('click', 'https://evil.example/') // 'evil.example'
 */
export function hiddenTarget(text: string, href: string): string | undefined {
  const url = new URL(href);
  const shown = url.protocol === 'mailto:' ? mailAddress(url) : url.host;
  const deceptive = url.username !== '' || url.password !== '' || /(^|\.)xn--/.test(url.host);
  if (deceptive) return shown;
  const typed = text.trim();
  const spellings = [typed, `http://${typed}`, `mailto:${typed}`];
  return spellings.some((spelling) => safeHref(spelling) === href) ? undefined : shown;
}

function mailAddress(url: URL): string {
  try {
    return decodeURIComponent(url.pathname);
  } catch {
    return url.pathname;
  }
}
