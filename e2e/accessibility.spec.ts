import { seriousViolations } from './axe';
import { expect, messageInLog, openRoomMenu, renameAlert, sendMessage, test } from './fixtures';

const SCHEMES = ['light', 'dark'] as const;

/** Every kind of Markdown a message shows, with a code line long enough to scroll. */
const MARKDOWN_SAMPLE = [
  '**Markdown sample** with *emphasis*, ~~strikethrough~~ and `inline code`',
  '',
  '> a quoted line',
  '',
  '- an item',
  '- another item',
  '',
  '1. first',
  '2. second',
  '',
  '```',
  `const long = ${'"scroll me" + '.repeat(20)}"";`,
  '```',
  '',
  '[a described link](https://example.com/docs), https://example.com and someone@example.com',
].join('\n');

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

      await openRoomMenu(alice.page);
      await alice.page.getByRole('button', { name: 'Change nickname' }).click();
      await alice.page.getByLabel('New nickname').fill('Bob');
      await alice.page.getByLabel('New nickname').press('Enter');
      await expect(renameAlert(alice.page)).not.toBeEmpty();
      expect(await seriousViolations(alice.page)).toEqual([]);
    });

    test('a room with Markdown messages, ours and theirs', async ({ pair }) => {
      const { alice, bob } = pair;
      await alice.page.emulateMedia({ colorScheme });
      for (const page of [alice.page, bob.page]) await sendMessage(page, MARKDOWN_SAMPLE);
      await expect(messageInLog(alice.page, 'Markdown sample').locator('pre')).toHaveCount(2);
      expect(await seriousViolations(alice.page)).toEqual([]);
    });

    test('edited, replied-to and reacted messages, the toolbar, the picker and the delete dialog', async ({
      pair,
    }) => {
      const { alice, bob } = pair;
      await alice.page.emulateMedia({ colorScheme });
      await sendMessage(alice.page, 'Ship on Friday?');
      const original = messageInLog(alice.page, 'Ship on Friday?').first();
      await original.hover();
      await original.getByRole('button', { name: 'Edit' }).click();
      await alice.page.getByRole('textbox', { name: 'Edit message' }).fill('Ship on Monday?');
      expect(await seriousViolations(alice.page)).toEqual([]);
      await alice.page.getByRole('textbox', { name: 'Edit message' }).press('Enter');
      const theirs = messageInLog(bob.page, 'Ship on Monday?').first();
      await theirs.hover();
      await theirs.getByRole('button', { name: 'Reply' }).click();
      await sendMessage(bob.page, 'Monday works');
      await theirs.hover();
      await theirs.getByRole('button', { name: 'React', exact: true }).click();
      await bob.page.getByRole('button', { name: 'React with heart' }).click();
      await expect(
        messageInLog(alice.page, 'Ship on Monday?').first().getByRole('button', { name: /❤️ 1/ }),
      ).toBeVisible();
      await expect(messageInLog(alice.page, 'Monday works')).toBeVisible();
      // The toolbar and the picker open on Alice's own message, then the delete dialog.
      const own = messageInLog(alice.page, 'Ship on Monday?').first();
      await own.hover();
      await own.getByRole('button', { name: 'React', exact: true }).click();
      expect(await seriousViolations(alice.page)).toEqual([]);
      await alice.page.keyboard.press('Escape');
      await own.hover();
      await own.getByRole('button', { name: 'Delete' }).click();
      await expect(alice.page.getByRole('dialog')).toBeVisible();
      expect(await seriousViolations(alice.page)).toEqual([]);
      await alice.page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
      await expect(messageInLog(alice.page, 'Monday works')).toContainText('deleted message');
      expect(await seriousViolations(alice.page)).toEqual([]);
    });
  });
}
