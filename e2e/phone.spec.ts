import { MAX_NICKNAME_LENGTH } from '../lib/protocol/limits';
import { seriousViolations } from './axe';
import {
  createRoom,
  expect,
  joinByLink,
  memberList,
  messageBox,
  messageInLog,
  sendMessage,
  sidewaysScroll,
  test,
} from './fixtures';
import { seatMembers } from './seed-messages';

const PHONE = { width: 360, height: 740 };
const WIDTHS = [320, 360, 375, 414];
/** The header's share of a phone's height: one or two rows of controls at most. */
const MAX_HEADER_PX = 112;

test.describe('on a phone, in a full room', () => {
  test('50 members, long names, a long word and a long link: no sideways scroll, a short header, axe-clean in both themes', async ({
    newPerson,
    baseURL,
  }) => {
    test.setTimeout(120_000);
    const alice = await newPerson({ viewport: PHONE });
    const bob = await newPerson({ viewport: PHONE, colorScheme: 'dark' });
    const roomUrl = await createRoom(alice.page, 'Alice');
    const roomId = new URL(roomUrl).pathname.split('/').at(-1)!;
    // 32-character names, each different from its start (the members strip shows them whole).
    const names = Array.from({ length: 48 }, (_, n) =>
      `Member ${n} with a long name `.padEnd(MAX_NICKNAME_LENGTH, 'x'),
    );
    const leave = await seatMembers(baseURL!, roomId, names);
    try {
      await joinByLink(bob.page, roomUrl, 'B'.repeat(MAX_NICKNAME_LENGTH));
      const word = 'w'.repeat(300);
      const link = `https://example.com/${'path/'.repeat(30)}end`;
      await sendMessage(alice.page, word);
      await sendMessage(bob.page, link);

      for (const page of [alice.page, bob.page]) {
        await expect(messageInLog(page, 'example.com')).toBeVisible();
        await expect(page.getByRole('button', { name: /^50 members/ })).toBeVisible();
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: PHONE.height });
          expect(await sidewaysScroll(page), `sideways scroll at ${width} px`).toBeLessThanOrEqual(
            0,
          );
          const header = await page.getByRole('banner').boundingBox();
          expect(header!.height, `header height at ${width} px`).toBeLessThanOrEqual(MAX_HEADER_PX);
          await expect(messageBox(page)).toBeInViewport({ ratio: 1 });
          for (const name of ['Copy link', /^50 members/, 'Room menu', 'Send']) {
            await expect(page.getByRole('button', { name })).toBeInViewport({ ratio: 1 });
          }
          await expect(page.getByRole('status').filter({ hasText: 'Connected' })).toBeInViewport({
            ratio: 1,
          });
        }
        await page.setViewportSize(PHONE);

        // The members are one tap away, and the list scrolls inside itself.
        await page.getByRole('button', { name: /^50 members/ }).click();
        await expect(memberList(page).getByRole('listitem')).toHaveCount(50);
        await expect(memberList(page).getByText(names.at(-1)!)).toBeAttached();
        expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0);
        expect(await seriousViolations(page), 'axe, members open').toEqual([]);
        await page.getByRole('button', { name: /^50 members/ }).click();
        await expect(memberList(page)).toBeHidden();

        // The room's other actions live in one menu.
        await page.getByRole('button', { name: 'Room menu' }).click();
        for (const name of ['Change nickname', 'Leave room']) {
          await expect(page.getByRole('button', { name })).toBeInViewport({ ratio: 1 });
        }
        expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0);
        expect(await seriousViolations(page), 'axe, menu open').toEqual([]);
        await page.getByRole('button', { name: 'Room menu' }).click();
        await expect(page.getByRole('button', { name: 'Leave room' })).toBeHidden();
        expect(await seriousViolations(page), 'axe, the room').toEqual([]);
      }
    } finally {
      leave();
    }
  });
});
