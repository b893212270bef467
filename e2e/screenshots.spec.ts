import { expect, joinByLink, createRoom, messageInLog, sendMessage, test } from './fixtures';

/** Where the run leaves its pictures of the room for people to look at. */
const SCREENSHOT_DIR = 'test-results/screenshots';

const SIZES = [
  { name: 'wide', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 360, height: 740 } },
] as const;

for (const colorScheme of ['light', 'dark'] as const) {
  test(`pictures of a room in the ${colorScheme} theme, wide and on a phone`, async ({
    newPerson,
  }) => {
    const alice = await newPerson({ colorScheme, viewport: SIZES[0].viewport });
    const bob = await newPerson({ colorScheme });
    const roomUrl = await createRoom(alice.page, 'Alice');
    await joinByLink(bob.page, roomUrl, 'Bob');
    await sendMessage(bob.page, 'Morning! Coffee at 10? ☕');
    await sendMessage(bob.page, 'I’ll bring the **slides** 🎉');
    await sendMessage(alice.page, 'Sounds good 👍\n\n```\nnpm test\n```');
    await expect(messageInLog(alice.page, 'npm test')).toBeVisible();
    for (const size of SIZES) {
      await alice.page.setViewportSize(size.viewport);
      const path = `${SCREENSHOT_DIR}/room-${colorScheme}-${size.name}.png`;
      await alice.page.screenshot({ path });
      await test.info().attach(`room, ${colorScheme}, ${size.name}`, {
        path,
        contentType: 'image/png',
      });
    }
  });
}
