import type { Locator } from '@playwright/test';
import {
  createRoom,
  expect,
  joinByLink,
  messageLog,
  messageInLog,
  sendMessage,
  test,
} from './fixtures';
import { seedMessages } from './seed-messages';

const SEEDED = 120;
const label = (index: number) => `Message ${String(index).padStart(3, '0')}`;

/** The vertical position of an element relative to the top of the visible log. */
async function offsetInLog(log: Locator, item: Locator): Promise<number> {
  const [logBox, itemBox] = await Promise.all([log.boundingBox(), item.boundingBox()]);
  return itemBox!.y - logBox!.y;
}

test.describe('a long history', () => {
  test('loads older pages at the top without moving what you read', async ({
    newPerson,
    baseURL,
  }) => {
    const alice = await newPerson();
    const bob = await newPerson();
    const roomUrl = await createRoom(alice.page, 'Alice');
    const roomId = new URL(roomUrl).pathname.split('/').pop()!;
    await seedMessages(
      baseURL!,
      roomId,
      Array.from({ length: SEEDED }, (_, index) => label(index + 1)),
    );
    await expect(messageInLog(alice.page, label(SEEDED))).toBeInViewport();

    await joinByLink(bob.page, roomUrl, 'Bob');
    const log = messageLog(bob.page);
    // The join brought the newest page, and the log starts at its bottom.
    await expect(log.getByText('Bob joined')).toBeInViewport();
    await expect(log.getByText(label(SEEDED), { exact: true })).toBeVisible();
    await expect(log.getByText(label(SEEDED - 60), { exact: true })).toHaveCount(0);
    const oldestText = (await log.locator('.message-text').first().textContent())!;
    const oldestIndex = Number(oldestText.slice(-3));
    const anchor = log.getByText(oldestText, { exact: true });
    // Where the oldest message sits when the log is scrolled to its very top.
    const expectedOffset = await anchor.evaluate((element) => {
      const scroller = element.closest('[role="log"]')!;
      return (
        element.getBoundingClientRect().top -
        scroller.getBoundingClientRect().top +
        scroller.scrollTop
      );
    });

    // Scroll to the top: the next page arrives above, and the view stays where it was.
    await log.evaluate((element) => {
      element.scrollTop = 0;
    });
    await expect(log.getByText(label(oldestIndex - 1), { exact: true })).toBeAttached();
    await expect(log).toHaveAttribute('aria-busy', 'false');
    expect(Math.abs((await offsetInLog(log, anchor)) - expectedOffset)).toBeLessThan(4);

    // Keep scrolling up until the very first message and the start of the room.
    await expect(async () => {
      await log.evaluate((element) => {
        element.scrollTop = 0;
      });
      await expect(log.getByText('This is the beginning of the room.')).toBeVisible({
        timeout: 1_000,
      });
    }).toPass();
    await expect(log.getByText(label(1), { exact: true })).toBeVisible();
    await expect(log.locator('.message').first()).toHaveText(/^Alice joined/);
    // Every seeded message is there once, in order.
    const texts = await log.locator('.message-text').allTextContents();
    expect(texts).toEqual(Array.from({ length: SEEDED }, (_, index) => label(index + 1)));
  });

  test('offers "Jump to latest" with a count while you read further up', async ({
    pair,
    baseURL,
  }) => {
    const { alice, bob, roomUrl } = pair;
    const roomId = new URL(roomUrl).pathname.split('/').pop()!;
    await seedMessages(
      baseURL!,
      roomId,
      Array.from({ length: 40 }, (_, index) => label(index + 1)),
    );
    const log = messageLog(bob.page);
    await expect(log.getByText(label(40), { exact: true })).toBeInViewport();
    await expect(log.getByText('Seeder 3 left')).toBeInViewport();

    await log.evaluate((element) => {
      element.scrollTop = 0;
    });
    await expect(log.getByText(label(40), { exact: true })).not.toBeInViewport();
    const newMessages = bob.page.getByRole('button', { name: /Jump to latest/ });
    await expect(newMessages).toHaveText('Jump to latest ↓');
    await sendMessage(alice.page, 'Fresh news');
    await expect(newMessages).toHaveText('Jump to latest (1 new) ↓');
    await expect(messageInLog(bob.page, 'Fresh news')).not.toBeInViewport();

    await newMessages.click();
    await expect(messageInLog(bob.page, 'Fresh news')).toBeInViewport();
    await expect(newMessages).toBeHidden();

    // At the bottom, new messages simply appear.
    await sendMessage(alice.page, 'And more');
    await expect(messageInLog(bob.page, 'And more')).toBeInViewport();
    await expect(newMessages).toBeHidden();
  });
});
