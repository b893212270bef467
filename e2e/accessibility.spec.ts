import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, messageInLog, renameAlert, sendMessage, test } from './fixtures';

const SCHEMES = ['light', 'dark'] as const;
/** A full axe run takes seconds on a small machine; each one adds this to the test's budget. */
const AXE_RUN_MS = 10_000;

/** The serious and critical problems axe finds on the page as it is now. */
async function seriousViolations(page: Page) {
  test.info().setTimeout(test.info().timeout + AXE_RUN_MS);
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      rule: violation.id,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
}

for (const colorScheme of SCHEMES) {
  test.describe(`accessibility in the ${colorScheme} theme`, () => {
    test('the landing page, also with an error shown', async ({ newPerson }) => {
      const { page } = await newPerson({ colorScheme });
      await page.goto('/');
      await expect(page.getByRole('status')).toHaveText('Connected');
      expect(await seriousViolations(page)).toEqual([]);

      await page.getByRole('button', { name: 'Join room' }).click();
      await expect(page.getByRole('main').getByRole('alert')).not.toBeEmpty();
      expect(await seriousViolations(page)).toEqual([]);
    });

    test('a room link asking for a nickname', async ({ pair, newPerson }) => {
      const { page } = await newPerson({ colorScheme });
      await page.goto(pair.roomUrl);
      await expect(page.getByLabel('Nickname')).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });

    test('a room with messages, a rename form and a link', async ({ pair }) => {
      const { alice, bob } = pair;
      await alice.page.emulateMedia({ colorScheme });
      await sendMessage(alice.page, 'Hello from https://example.com/welcome');
      await sendMessage(bob.page, 'Hi there');
      await expect(messageInLog(alice.page, 'Hi there')).toBeVisible();
      expect(await seriousViolations(alice.page)).toEqual([]);

      await alice.page.getByRole('button', { name: 'Change nickname' }).click();
      await alice.page.getByLabel('New nickname').fill('Bob');
      await alice.page.getByLabel('New nickname').press('Enter');
      await expect(renameAlert(alice.page)).not.toBeEmpty();
      expect(await seriousViolations(alice.page)).toEqual([]);
    });
  });
}
