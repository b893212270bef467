import type { Page } from '@playwright/test';
import { seriousViolations } from './axe';
import {
  expect,
  joinByLink,
  leaveRoom,
  messageInLog,
  messageLog,
  selfLine,
  sendMessage,
  test,
} from './fixtures';

/** The end-to-end server keeps a departed tab's membership this long (MEMBER_GRACE_SECONDS). */
const GRACE_MS = 10_000;

function recentRooms(page: Page) {
  return page.getByRole('list', { name: 'Your recent rooms' });
}

/** The log's rows in order, each as its first line of text. */
async function logRows(page: Page) {
  const texts = await messageLog(page).getByRole('listitem').allInnerTexts();
  return texts.map((text) => text.split('\n')[0]!.trim());
}

test('the start page lists the rooms this browser was in, rejoins in one click, and forgets', async ({
  pair,
}) => {
  const { alice, bob, roomUrl } = pair;
  const roomId = new URL(roomUrl).pathname.split('/').pop()!;
  await leaveRoom(bob.page);
  await expect(bob.page).toHaveURL(/\/$/);
  const entry = recentRooms(bob.page).getByRole('listitem');
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText(roomId);
  await expect(entry).toContainText('Open · 1 person in it · as Bob');
  expect(await seriousViolations(bob.page), 'axe, recent rooms').toEqual([]);

  await entry.getByRole('button', { name: `Rejoin ${roomId} as Bob` }).click();
  await expect(selfLine(bob.page)).toHaveText('You are Bob');
  await expect(bob.page).toHaveURL(roomUrl);
  await expect(messageLog(alice.page).getByText('Bob joined')).toHaveCount(2);

  // Once everyone has gone, the room is closed: said in the list and on its link.
  await leaveRoom(bob.page);
  await leaveRoom(alice.page);
  await expect(async () => {
    await bob.page.reload();
    await expect(entry).toContainText('Closed: everyone left', { timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
  await bob.page.goto(roomUrl);
  await expect(bob.page.getByRole('heading', { name: 'This room has closed' })).toBeVisible();
  await bob.page.getByRole('button', { name: 'Create a new room as Bob' }).click();
  await expect(selfLine(bob.page)).toHaveText('You are Bob');
  await expect(bob.page).not.toHaveURL(roomUrl);

  await leaveRoom(bob.page);
  await expect(recentRooms(bob.page).getByRole('listitem')).toHaveCount(2);
  await bob.page.getByRole('button', { name: `Forget ${roomId}` }).click();
  await expect(recentRooms(bob.page).getByRole('listitem')).toHaveCount(1);
  await expect(recentRooms(bob.page)).not.toContainText(roomId);
});

test('back after the grace period: the link welcomes you back with a glance at the room', async ({
  pair,
}) => {
  test.setTimeout(test.info().timeout + GRACE_MS);
  const { alice, bob, roomUrl } = pair;
  await bob.page.close();
  await expect(messageLog(alice.page).getByText('Bob left')).toBeVisible({
    timeout: GRACE_MS + 10_000,
  });

  const page = await bob.context.newPage();
  await page.goto(roomUrl);
  await expect(page.getByRole('heading', { name: 'Welcome back' })).toBeVisible();
  await expect(page.getByText('1 person is in it · a private room')).toBeVisible();
  expect(await seriousViolations(page), 'axe, welcome back').toEqual([]);
  await page.getByRole('button', { name: 'Rejoin as Bob' }).click();
  await expect(selfLine(page)).toHaveText('You are Bob');
  await expect(messageLog(alice.page).getByText('Bob joined')).toHaveCount(2);
});

test('the log heads each day and marks where the reader left off', async ({ pair, newPerson }) => {
  const { alice, bob, roomUrl } = pair;
  await sendMessage(alice.page, 'before you went');
  await expect(messageInLog(bob.page, 'before you went')).toBeVisible();

  // Bob closes the tab; two messages arrive; he opens the link again within the grace period.
  await bob.page.close();
  await sendMessage(alice.page, 'while you were away');
  await sendMessage(alice.page, 'and another');
  const page = await bob.context.newPage();
  await page.goto(roomUrl);
  await expect(messageInLog(page, 'and another')).toBeVisible();
  const rows = await logRows(page);
  expect(rows[0]).toBe('Today');
  const marked = rows.indexOf('New messages');
  expect(marked, 'a "new messages" line').toBeGreaterThan(0);
  const after = (
    await messageLog(page)
      .getByRole('listitem')
      .nth(marked + 1)
      .innerText()
  ).trim();
  expect(after).toContain('while you were away');
  await expect(messageLog(page).getByRole('heading', { name: 'Today' })).toBeVisible();

  // A reader whose clock says tomorrow sees the same messages under "Yesterday".
  const carol = await newPerson();
  await carol.page.clock.setFixedTime(new Date(Date.now() + 24 * 60 * 60_000));
  await joinByLink(carol.page, roomUrl, 'Carol');
  await expect(messageLog(carol.page).getByRole('heading', { name: 'Yesterday' })).toBeVisible();
});
