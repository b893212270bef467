import type { Locator } from '@playwright/test';
import { expect, messageInLog, messageLog, sendMessage, sidewaysScroll, test } from './fixtures';

const PHONE = { width: 360, height: 740 };

/** How far an element's content reaches past its own width (0 when it fits). */
function overflowX(locator: Locator) {
  return locator.evaluate((element) => element.scrollWidth - element.clientWidth);
}

test('Markdown from one person shows formatted to the other', async ({ pair }) => {
  const { alice, bob } = pair;
  await sendMessage(
    alice.page,
    [
      '**Release notes** for `v2`',
      'and a second line',
      '',
      '> the quoted question',
      '',
      '- first item',
      '- second item',
      '',
      '1. step one',
      '2. step two',
      '',
      '```',
      'const answer = 42;',
      '```',
      '',
      'Read [the docs](https://example.com/docs) or ~~not~~ https://example.org/faq.',
    ].join('\n'),
  );

  for (const page of [bob.page, alice.page]) {
    const message = messageInLog(page, 'Release notes');
    await expect(message.locator('strong')).toHaveText('Release notes');
    await expect(message.locator('.message-text p code')).toHaveText('v2');
    // A single newline stays a line break, as it did before messages were Markdown.
    await expect(message.locator('.message-text p').first()).toHaveJSProperty(
      'innerText',
      'Release notes for v2\nand a second line',
    );
    await expect(message.locator('blockquote')).toHaveText('the quoted question');
    await expect(message.locator('ul > li')).toHaveText(['first item', 'second item']);
    await expect(message.locator('ol > li')).toHaveText(['step one', 'step two']);
    await expect(message.locator('pre')).toHaveText('const answer = 42;');
    await expect(message.locator('del')).toHaveText('not');

    const docs = message.getByRole('link', { name: 'the docs (example.com)' });
    await expect(docs).toHaveAttribute('href', 'https://example.com/docs');
    await expect(docs).toHaveAttribute('target', '_blank');
    await expect(docs).toHaveAttribute('rel', 'noopener noreferrer');
    // A bare address is its own text: no host beside it, and the full stop stays outside.
    await expect(message.getByRole('link', { name: 'https://example.org/faq' })).toHaveAttribute(
      'href',
      'https://example.org/faq',
    );
  }
});

test('a link whose text is not its address shows where it goes', async ({ pair }) => {
  const { alice, bob } = pair;
  await sendMessage(alice.page, 'urgent: [log in to your bank](https://evil.example/login)');
  const link = messageInLog(bob.page, 'urgent').getByRole('link');
  await expect(link).toHaveText('log in to your bank (evil.example)');
  await expect(link.locator('.link-target')).toBeVisible();
});

test('a long code line scrolls inside its block, also on a phone, and the log never widens', async ({
  pair,
}) => {
  const { alice, bob } = pair;
  const longLine = `const query = ${'"a long string" + '.repeat(30)}"end";`;
  await sendMessage(alice.page, `Try this:\n\n\`\`\`\n${longLine}\n\`\`\`\nThen reload.`);

  for (const page of [bob.page, alice.page]) {
    const message = messageInLog(page, 'Try this:');
    const block = message.locator('pre');
    await expect(block).toHaveText(longLine);
    for (const viewport of [{ width: 1280, height: 720 }, PHONE]) {
      await page.setViewportSize(viewport);
      const at = `at ${viewport.width} px`;
      await expect.poll(() => overflowX(block), `the block scrolls ${at}`).toBeGreaterThan(0);
      expect(await overflowX(messageLog(page)), `the log does not scroll ${at}`).toBe(0);
      expect(await sidewaysScroll(page), `the page does not scroll ${at}`).toBeLessThanOrEqual(0);
      const bubble = (await message.locator('.bubble').boundingBox())!;
      const log = (await messageLog(page).boundingBox())!;
      expect(bubble.x + bubble.width, `the bubble fits in the log ${at}`).toBeLessThanOrEqual(
        log.x + log.width,
      );
      // The block can be scrolled from the keyboard too.
      await block.focus();
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => block.evaluate((element) => element.scrollLeft)).toBeGreaterThan(0);
      await block.evaluate((element) => (element.scrollLeft = 0));
    }
  }
});
