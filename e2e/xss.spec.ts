import { expect, messageInLog, messageLog, sendMessage, test } from './fixtures';

/** Markup a hostile member might send; none of it may run or become an element. */
const CORPUS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(2)>',
  '<svg onload=alert(3)>',
  '<svg><script>alert(4)</script></svg>',
  '<a href="javascript:alert(5)">click me</a>',
  '[click me](javascript:alert(6))',
  'javascript:alert(7)',
  '<iframe src="javascript:alert(8)"></iframe>',
  '"><script>alert(9)</script>',
  '<details open ontoggle=alert(10)>',
  "{{constructor.constructor('alert(11)')()}}",
  '<math><mi xlink:href="javascript:alert(12)">x</mi></math>',
];

test('no XSS payload runs; each shows as the text that was sent', async ({ pair }) => {
  const { alice, bob } = pair;
  // Both post, so neither runs into the flood limit (10 at once per person).
  for (const [n, payload] of CORPUS.entries()) {
    await sendMessage((n % 2 === 0 ? alice : bob).page, payload);
  }

  for (const person of [alice, bob]) {
    const log = messageLog(person.page);
    for (const payload of CORPUS) {
      await expect(
        messageInLog(person.page, payload).getByText(payload, { exact: true }),
      ).toBeVisible();
    }
    await expect(log.locator('script, img, svg, iframe, details, math, a')).toHaveCount(0);
    // No payload changed the page either.
    expect(
      await person.page.evaluate(() => document.querySelectorAll('script:not([src])').length),
    ).toBe(
      await person.page.evaluate(
        () =>
          document.querySelectorAll(
            'script:not([src])[nonce], script:not([src])[type="application/json"]',
          ).length,
      ),
    );
  }
  // The fixture fails the test if any alert() opened a dialog or any error was thrown.
});

/**
 * The same attacks dressed as Markdown, with the text each must show. Only the last one may
 * become a link, since its address is a web one.
 */
const MARKDOWN_CORPUS: ReadonlyArray<readonly [payload: string, shown: string]> = [
  ['[x](javascript:alert(21))', '[x](javascript:alert(21))'],
  ['[x](JaVaScRiPt:alert(22))', '[x](JaVaScRiPt:alert(22))'],
  [
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgyMyk8L3NjcmlwdD4=)',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgyMyk8L3NjcmlwdD4=)',
  ],
  ['<javascript:alert(24)>', '<javascript:alert(24)>'],
  ['![x](javascript:alert(25))', '![x](javascript:alert(25))'],
  ['![x](https://example.com/pixel26.png)', '![x](https://example.com/pixel26.png)'],
  ['[x][evil27]\n\n[evil27]: javascript:alert(27)', '[x][evil27]'],
  ['[x](&#106;avascript:alert(28))', '[x](&#106;avascript:alert(28))'],
  ['[x](java\nscript:alert(29))', '[x](java\nscript:alert(29))'],
  ['**<img src=x onerror=alert(30)>**', '<img src=x onerror=alert(30)>'],
  ['`<script>alert(31)</script>`', '<script>alert(31)</script>'],
  ['```\n<img src=x onerror=alert(32)>\n```', '<img src=x onerror=alert(32)>'],
  ['> <svg onload=alert(33)>', '<svg onload=alert(33)>'],
  [
    '- <iframe src="javascript:alert(34)"></iframe>',
    '<iframe src="javascript:alert(34)"></iframe>',
  ],
  [
    '[<img src=x onerror=alert(35)>](https://example.com/35)',
    '<img src=x onerror=alert(35)> (example.com)',
  ],
];

test('no Markdown payload runs or links anywhere but the web; each shows as text', async ({
  pair,
}) => {
  const { alice, bob } = pair;
  for (const [n, [payload]] of MARKDOWN_CORPUS.entries()) {
    await sendMessage((n % 2 === 0 ? alice : bob).page, payload);
  }

  for (const person of [alice, bob]) {
    const log = messageLog(person.page);
    for (const [payload, shown] of MARKDOWN_CORPUS) {
      await expect(log.getByText(shown, { exact: true }), payload).toBeVisible();
    }
    await expect(log.locator('script, img, svg, iframe, details, math, object, embed')).toHaveCount(
      0,
    );
    await expect(log.locator('a')).toHaveCount(1);
    await expect(log.locator('a')).toHaveAttribute('href', 'https://example.com/35');
    const handlers = await log.evaluate((element) =>
      [...element.querySelectorAll('*')].flatMap((each) =>
        [...each.attributes].map((attribute) => attribute.name).filter((name) => /^on/i.test(name)),
      ),
    );
    expect(handlers).toEqual([]);
  }
  // The fixture fails the test if any alert() opened a dialog or any error was thrown.
});

test('pages carry the security headers', async ({ page }) => {
  const response = await page.goto('/');
  const headers = response!.headers();
  const csp = headers['content-security-policy'] ?? '';
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain('unsafe-eval');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  const cookie = (await response!.headerValue('set-cookie')) ?? '';
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Lax/i);
});

test('markup that slipped into the page still cannot run: the CSP blocks it', async ({ page }) => {
  await page.goto('/');
  const violation = page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        document.addEventListener('securitypolicyviolation', (event) =>
          resolve(event.effectiveDirective),
        );
        // What an HTML-injection bug would do: an inline event handler.
        document.body.insertAdjacentHTML(
          'beforeend',
          '<img alt="" src="data:," onload="window.__injected = true">',
        );
      }),
  );
  expect(await violation).toMatch(/^script-src/);
  expect(
    await page.evaluate(() => (window as { __injected?: boolean }).__injected),
  ).toBeUndefined();
});
