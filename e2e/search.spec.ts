import type { Page } from '@playwright/test';
import { seriousViolations } from './axe';
import {
  createRoom,
  expect,
  joinByLink,
  messageInLog,
  messageLog,
  sendMessage,
  test,
} from './fixtures';
import { seedMessages } from './seed-messages';

/** Enough history that the first message is far beyond what paging back would load. */
const FILLER = 230;
const PHONE = { width: 360, height: 740 };

function searchBox(page: Page) {
  return page.getByRole('searchbox', { name: 'Search messages' });
}

function results(page: Page) {
  return page.getByRole('list', { name: 'Search results' });
}

test('search finds an old message by a word without its accents, and jumps to it in context', async ({
  newPerson,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const alice = await newPerson();
  const bob = await newPerson({ viewport: PHONE, colorScheme: 'dark' });
  const roomUrl = await createRoom(alice.page, 'Alice');
  const roomId = new URL(roomUrl).pathname.split('/').pop()!;
  await sendMessage(alice.page, 'A **żółw** crossed the road');
  await seedMessages(
    baseURL!,
    roomId,
    Array.from({ length: FILLER }, (_, index) => `filler ${index + 1}`),
  );
  await joinByLink(bob.page, roomUrl, 'Bob');
  await expect(messageInLog(bob.page, `filler ${FILLER}`)).toBeVisible();

  // Keyboard only: the header's Search button, a query, the result.
  const toggle = bob.page.getByRole('button', { name: 'Search' });
  await toggle.focus();
  await bob.page.keyboard.press('Enter');
  await expect(searchBox(bob.page)).toBeFocused();
  await bob.page.keyboard.type('zolw');
  const result = results(bob.page).getByRole('button');
  await expect(result).toHaveCount(1);
  await expect(result.locator('mark')).toHaveText('żółw');
  await expect(bob.page.getByRole('status').filter({ hasText: '1 message' })).toBeVisible();
  expect(await seriousViolations(bob.page), 'axe, results on a phone, dark theme').toEqual([]);
  await bob.page.keyboard.press('Tab');
  await expect(result).toBeFocused();
  await bob.page.keyboard.press('Enter');

  // The log shows the old message in context, focused and marked for a moment.
  const found = messageInLog(bob.page, 'crossed the road');
  await expect(found).toBeInViewport();
  await expect(found).toBeFocused();
  await expect(found).toHaveAttribute('data-highlight', '');
  await expect(messageLog(bob.page).getByText('filler 1', { exact: true })).toBeAttached();
  await expect(messageLog(bob.page).getByText(`filler ${FILLER}`, { exact: true })).toHaveCount(0);

  // Back to live: new messages are there again.
  await sendMessage(alice.page, 'back to now');
  const latest = bob.page.getByRole('button', { name: /Jump to latest/ });
  await latest.focus();
  await bob.page.keyboard.press('Enter');
  await expect(messageInLog(bob.page, 'back to now')).toBeInViewport();
});

test('search on a wide screen: no match, a phrase from one person, a refused query, Escape', async ({
  pair,
}) => {
  const { alice, bob } = pair;
  for (let index = 1; index <= 3; index++) await sendMessage(alice.page, `lunch plan ${index}`);
  await bob.page.getByRole('button', { name: 'Search' }).click();
  await searchBox(bob.page).fill('pizza');
  await expect(bob.page.getByRole('status').filter({ hasText: 'No messages match' })).toBeVisible();
  await searchBox(bob.page).fill('"lunch plan" from:alice');
  await expect(results(bob.page).getByRole('listitem')).toHaveCount(3);
  await expect(results(bob.page).getByRole('listitem').first()).toContainText('lunch plan 3');
  expect(await seriousViolations(bob.page), 'axe, results, light theme').toEqual([]);
  await searchBox(bob.page).fill('x'.repeat(201));
  await expect(bob.page.getByRole('status').filter({ hasText: /200/ })).toBeVisible();
  await bob.page.keyboard.press('Escape');
  await expect(searchBox(bob.page)).toHaveCount(0);
  await expect(bob.page.getByRole('button', { name: 'Search' })).toBeFocused();
});
