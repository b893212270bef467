import type { Page } from '@playwright/test';
import {
  createRoom,
  expect,
  joinByLink,
  memberList,
  messageBox,
  messageInLog,
  openRoomMenu,
  sendMessage,
  test,
} from './fixtures';

/** The line under the log that says who is typing. */
function typingLine(page: Page) {
  return page.locator('.typing');
}

/** Makes the page believe its tab is in the background (or in front again). */
async function setTabHidden(page: Page, hidden: boolean) {
  await page.evaluate((hide) => {
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => (hide ? 'hidden' : 'visible'),
    });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hide });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

test.describe('presence in a room', () => {
  test('the other person sees "Alice is typing…" until she sends', async ({ pair }) => {
    const { alice, bob } = pair;
    await messageBox(alice.page).fill('Hel');
    await expect(typingLine(bob.page)).toHaveText('Alice is typing…');
    await expect(typingLine(alice.page)).toHaveText('');
    await messageBox(alice.page).press('End');
    await messageBox(alice.page).pressSequentially('lo');
    await messageBox(alice.page).press('Enter');
    await expect(messageInLog(bob.page, 'Hello')).toBeVisible();
    await expect(typingLine(bob.page)).toHaveText('');
  });

  test('typing stops showing when the typist leaves the box', async ({ pair }) => {
    const { alice, bob } = pair;
    await messageBox(bob.page).fill('thinking');
    await expect(typingLine(alice.page)).toHaveText('Bob is typing…');
    await bob.page.getByRole('button', { name: 'Copy link' }).focus();
    await expect(typingLine(alice.page)).toHaveText('');
  });

  test('a hidden tab counts unread messages in its title and shows its member as idle', async ({
    pair,
  }) => {
    const { alice, bob } = pair;
    await expect(bob.page).toHaveTitle(/^Room .+ · livechat$/);
    await setTabHidden(bob.page, true);
    const bobInAlicesList = memberList(alice.page).getByRole('listitem').filter({ hasText: 'Bob' });
    await expect(bobInAlicesList).toContainText('idle');
    await sendMessage(alice.page, 'are you there?');
    await sendMessage(alice.page, 'hello?');
    await expect(bob.page).toHaveTitle(/^\(2\) Room .+ · livechat$/);
    await setTabHidden(bob.page, false);
    await expect(bob.page).toHaveTitle(/^Room .+ · livechat$/);
    await expect(bobInAlicesList).toContainText('active');
  });

  test('a member whose tab closed shows as reconnecting', async ({ pair }) => {
    const { alice, bob } = pair;
    await bob.page.close();
    await expect(
      memberList(alice.page).getByRole('listitem').filter({ hasText: 'Bob' }),
    ).toContainText('reconnecting');
  });

  test('a message that @mentions you is marked as such, for you only', async ({ pair }) => {
    const { alice, bob } = pair;
    await sendMessage(alice.page, '@bob have a look');
    await expect(messageInLog(bob.page, 'have a look')).toContainText('mentions you');
    await expect(messageInLog(alice.page, 'have a look')).not.toContainText('mentions you');
  });

  test('only after opting in, a mention in a hidden tab shows a notification', async ({ pair }) => {
    const { alice, bob } = pair;
    // A stand-in for the browser's Notification API that records what would be shown.
    await bob.page.addInitScript(() => {
      const shown: Array<{ title: string; body?: string }> = [];
      let permission: NotificationPermission = 'default';
      Object.assign(window, { shownNotifications: shown });
      window.Notification = class {
        static get permission() {
          return permission;
        }
        static async requestPermission() {
          permission = 'granted';
          return permission;
        }
        constructor(title: string, options?: NotificationOptions) {
          shown.push({ title, body: options?.body });
        }
      } as unknown as typeof Notification;
    });
    await bob.page.reload();
    await expect(messageInLog(bob.page, 'Bob joined')).toBeVisible();
    const shown = () =>
      bob.page.evaluate(
        () => (window as unknown as { shownNotifications: unknown[] }).shownNotifications,
      );

    await setTabHidden(bob.page, true);
    await sendMessage(alice.page, '@Bob before opting in');
    await expect(bob.page).toHaveTitle(/^\(1\) /);
    expect(await shown()).toEqual([]);

    await setTabHidden(bob.page, false);
    await openRoomMenu(bob.page);
    const toggle = bob.page.getByRole('button', { name: 'Notify me of mentions' });
    await expect(toggle).toHaveAccessibleDescription('Off');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await expect(toggle).toHaveAccessibleDescription('On');
    await setTabHidden(bob.page, true);
    await sendMessage(alice.page, 'no mention here');
    await sendMessage(alice.page, '@bob after opting in');
    await expect
      .poll(shown)
      .toEqual([{ title: 'Alice mentioned you', body: '@bob after opting in' }]);
  });

  test('the connection indicator gives the round-trip time to the server', async ({ pair }) => {
    const status = pair.alice.page.getByRole('status').filter({ hasText: 'Connected' });
    await expect(status).toHaveAttribute('title', /^Round trip to the server: \d+ ms$/);
  });
});

test.describe('the public lobby', () => {
  test('lists a public room live as it gains members, and never a private one', async ({
    newPerson,
  }) => {
    const watcher = await newPerson();
    const alice = await newPerson();
    const bob = await newPerson();
    await watcher.page.goto('/');
    const lobby = watcher.page.getByRole('region', { name: 'Public rooms' });
    await expect(lobby).toContainText(/(1 person in a room|\d+ people in rooms) · \d+ rooms? open/);

    const privateUrl = await createRoom(bob.page, 'Bob');
    const privateId = privateUrl.split('/').at(-1)!;

    await alice.page.goto('/');
    await alice.page.getByLabel('Nickname').fill('Alice');
    await alice.page.getByRole('checkbox', { name: 'Public room' }).check();
    await alice.page.getByRole('button', { name: 'Create room' }).click();
    await expect(alice.page).toHaveURL(/\/rooms\//);
    const publicId = alice.page.url().split('/').at(-1)!;

    const listed = lobby.getByRole('listitem').filter({ hasText: publicId });
    await expect(listed).toContainText('1 member');
    await joinByLink(bob.page, alice.page.url(), 'Bob');
    await expect(listed).toContainText('2 members');
    await expect(lobby).not.toContainText(privateId);

    // A public room's entry leads to it.
    await listed.getByRole('link').click();
    await expect(watcher.page).toHaveURL(new RegExp(`/rooms/${publicId}$`));
  });
});
