import type { Page } from '@playwright/test';
import { seriousViolations } from './axe';
import {
  createRoom,
  expect,
  formAlert,
  joinByLink,
  memberList,
  messageBox,
  messageInLog,
  messageLog,
  openRoomMenu,
  selfLine,
  sendMessage,
  test,
  type Person,
  type PersonOptions,
} from './fixtures';

/** The members list's row for `nickname`. */
function memberRow(page: Page, nickname: string) {
  return memberList(page)
    .getByRole('listitem')
    .filter({ has: page.locator('.member-name', { hasText: nickname }) });
}

function optionsFor(page: Page, nickname: string) {
  return page.getByRole('button', { name: `Options for ${nickname}` });
}

/** Chooses `action` in the members list's menu for `nickname`. */
async function memberAction(page: Page, nickname: string, action: string) {
  await optionsFor(page, nickname).click();
  await memberRow(page, nickname).getByRole('button', { name: action }).click();
}

/** What the start page says after the keepers took this person out of a room. */
function removalNotice(page: Page) {
  return page.getByRole('alert').filter({ hasText: / you from room / });
}

/** The room menu's "Room settings", there for keepers only (hidden while the menu is shut). */
function settingsButton(page: Page) {
  return page.getByRole('button', { name: 'Room settings', includeHidden: true });
}

/** Opens the room settings from the room menu; returns the dialog. */
async function openSettings(page: Page) {
  await openRoomMenu(page);
  await settingsButton(page).click();
  return settingsDialog(page);
}

function settingsDialog(page: Page) {
  return page.getByRole('dialog', { name: 'Room settings' });
}

/** Olga creates a room; Mo and Bob join it, and Olga makes Mo a moderator. */
async function roomWithKeepers(newPerson: (options?: PersonOptions) => Promise<Person>) {
  const olga = await newPerson();
  const mo = await newPerson({ colorScheme: 'dark' });
  const bob = await newPerson();
  const roomUrl = await createRoom(olga.page, 'Olga');
  await joinByLink(mo.page, roomUrl, 'Mo');
  await joinByLink(bob.page, roomUrl, 'Bob');
  await expect(memberRow(olga.page, 'Olga')).toContainText('owner');

  await memberAction(olga.page, 'Mo', 'Make moderator');
  await expect(messageInLog(bob.page, 'Olga made Mo a moderator')).toBeVisible();
  await expect(memberRow(bob.page, 'Mo')).toContainText('moderator');
  await expect(settingsButton(mo.page)).toHaveCount(1);
  await expect(settingsButton(bob.page)).toHaveCount(0);
  return { olga, mo, bob, roomUrl };
}

test('keepers name the room, lock it and slow it down; everyone sees it', async ({ newPerson }) => {
  const { olga, mo, bob, roomUrl } = await roomWithKeepers(newPerson);

  // A moderator names the room and sets its topic.
  const settings = await openSettings(mo.page);
  await settings.getByLabel('Title').fill('Book club');
  await settings.getByLabel('Topic').fill('Chapter 3 this week');
  expect(await seriousViolations(mo.page), 'axe, settings open, dark theme').toEqual([]);
  await settings.getByRole('button', { name: 'Save' }).click();
  await expect(settings).toHaveCount(0);
  await expect(bob.page.getByRole('heading', { level: 1 })).toHaveText('Book club');
  await expect(bob.page.getByText('Chapter 3 this week', { exact: true })).toBeVisible();
  await expect(bob.page).toHaveTitle('Book club · livechat');
  await expect(messageInLog(bob.page, 'Mo named the room “Book club”')).toBeVisible();

  // The owner locks it: people in it stay, nobody new gets in.
  await (await openSettings(olga.page)).getByLabel('Locked').check();
  await settingsDialog(olga.page).getByRole('button', { name: 'Save' }).click();
  await expect(bob.page.getByRole('list', { name: 'Room rules' })).toContainText('Locked');
  const carol = await newPerson();
  await carol.page.goto(roomUrl);
  await carol.page.getByLabel('Nickname').fill('Carol');
  await carol.page.getByRole('button', { name: 'Join room' }).click();
  await expect(formAlert(carol.page)).toContainText('This room is locked');

  // Slow mode holds members back, not keepers.
  await (
    await openSettings(olga.page)
  )
    .getByLabel(/Slow mode/)
    .selectOption({ label: '30 seconds' });
  await settingsDialog(olga.page).getByRole('button', { name: 'Save' }).click();
  await expect(bob.page.getByRole('list', { name: 'Room rules' })).toContainText('Slow mode: 30 s');
  await sendMessage(bob.page, 'first words');
  await expect(messageInLog(olga.page, 'first words')).toBeVisible();
  await sendMessage(bob.page, 'too soon');
  await expect(messageInLog(bob.page, 'too soon')).toContainText(/Too fast: sending again in/);
  await sendMessage(mo.page, 'keepers one');
  await sendMessage(mo.page, 'keepers two');
  await expect(messageInLog(olga.page, 'keepers two')).toBeVisible();
  await expect(messageInLog(olga.page, 'too soon')).toHaveCount(0);
});

test('a moderator deletes a message, removes and bans a member; the owner lifts the ban', async ({
  newPerson,
}) => {
  const { olga, mo, bob, roomUrl } = await roomWithKeepers(newPerson);
  // A moderator cannot act on the owner: muting is all the menu offers.
  await optionsFor(mo.page, 'Olga').click();
  const olgaRow = memberRow(mo.page, 'Olga');
  await expect(olgaRow.getByRole('button', { name: 'Mute' })).toBeVisible();
  await expect(olgaRow.getByRole('button', { name: /Remove|Ban|moderator/ })).toHaveCount(0);
  await optionsFor(mo.page, 'Olga').click();

  // Delete for everyone.
  await sendMessage(bob.page, 'buy cheap pills');
  const spam = messageInLog(mo.page, 'buy cheap pills');
  await spam.hover();
  await spam.getByRole('toolbar').getByRole('button', { name: 'Delete' }).click();
  await mo.page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(messageLog(bob.page).getByText('Message deleted by a moderator')).toBeVisible();
  await expect(messageLog(olga.page).getByText('buy cheap pills')).toHaveCount(0);

  // A kick, from the keyboard: Bob is taken to the start page, told why, and may come back.
  await optionsFor(mo.page, 'Bob').focus();
  await mo.page.keyboard.press('Enter');
  await mo.page.keyboard.press('Tab');
  await expect(mo.page.getByRole('button', { name: 'Remove from room…' })).toBeFocused();
  await mo.page.keyboard.press('Enter');
  const confirm = mo.page.getByRole('dialog', { name: 'Remove Bob from the room?' });
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await mo.page.keyboard.press('Tab');
  await mo.page.keyboard.press('Enter');
  await expect(bob.page).toHaveURL(/\/$/);
  await expect(removalNotice(bob.page)).toContainText('Mo removed you from room');
  await expect(messageInLog(olga.page, 'Mo removed Bob')).toBeVisible();
  await expect(memberRow(olga.page, 'Bob')).toHaveCount(0);
  expect(await seriousViolations(bob.page), 'axe, the removal notice').toEqual([]);
  // The start page's recent rooms take him back in one click.
  await bob.page.getByRole('button', { name: /^Rejoin .+ as Bob$/ }).click();
  await expect(selfLine(bob.page)).toHaveText('You are Bob');

  // A ban: out again, and the link no longer lets Bob in.
  await memberAction(mo.page, 'Bob', 'Ban…');
  const ban = mo.page.getByRole('dialog', { name: 'Ban Bob?' });
  await ban.getByLabel('For how long').selectOption({ label: '10 minutes' });
  expect(await seriousViolations(mo.page), 'axe, ban dialog, dark theme').toEqual([]);
  await ban.getByRole('button', { name: 'Ban' }).click();
  await expect(bob.page).toHaveURL(/\/$/);
  await expect(removalNotice(bob.page)).toContainText('Mo banned you from room');
  await expect(messageInLog(olga.page, 'Mo banned Bob for 10 minutes')).toBeVisible();
  await bob.page.goto(roomUrl);
  await bob.page.getByRole('button', { name: 'Rejoin as Bob' }).click();
  await expect(formAlert(bob.page)).toContainText('You are banned from this room for 10 more');

  // The owner lifts it from the room settings, and Bob can join again.
  const settings = await openSettings(olga.page);
  await expect(settings.getByRole('listitem')).toContainText('Bob, by Mo');
  expect(await seriousViolations(olga.page), 'axe, bans listed, light theme').toEqual([]);
  await settings.getByRole('button', { name: 'Lift the ban on Bob' }).click();
  await expect(settings.getByText('Nobody is banned.')).toBeVisible();
  await olga.page.keyboard.press('Escape');
  await expect(settings).toHaveCount(0);
  await expect(messageInLog(olga.page, 'Olga lifted the ban on Bob')).toBeVisible();
  await bob.page.getByRole('button', { name: 'Join room' }).click();
  await expect(messageBox(bob.page)).toBeVisible();
});

test('muting hides a person’s messages in this browser only, and lasts across a reload', async ({
  pair,
}) => {
  const { alice, bob } = pair;
  await sendMessage(bob.page, 'noise one');
  await sendMessage(bob.page, 'noise two');
  const noise = messageInLog(alice.page, 'noise two');
  await noise.hover();
  await noise.getByRole('toolbar').getByRole('button', { name: 'Mute Bob' }).click();
  const folded = messageLog(alice.page).getByText('2 messages from a muted person.');
  await expect(folded).toBeVisible();
  await expect(messageLog(alice.page).getByText('noise one')).toHaveCount(0);
  // Bob sees his own messages as before.
  await expect(messageInLog(bob.page, 'noise one')).toBeVisible();

  await alice.page.reload();
  await expect(folded).toBeVisible();
  await sendMessage(alice.page, 'quiet now');
  await sendMessage(bob.page, 'noise three');
  await expect(messageLog(alice.page).getByText('1 message from a muted person.')).toBeVisible();

  // Shown on demand, and unmuted from the members list.
  await messageLog(alice.page).getByRole('button', { name: 'Show' }).first().click();
  await expect(messageInLog(alice.page, 'noise one')).toBeVisible();
  await memberAction(alice.page, 'Bob', 'Unmute');
  await expect(messageInLog(alice.page, 'noise three')).toBeVisible();
  await expect(messageLog(alice.page).getByText(/from a muted person/)).toHaveCount(0);
});

test('muting from the members list works on someone who has not written yet', async ({ pair }) => {
  const { alice, bob } = pair;
  await memberAction(alice.page, 'Bob', 'Mute');
  await sendMessage(bob.page, 'first words');
  await expect(messageLog(alice.page).getByText('1 message from a muted person.')).toBeVisible();
  await expect(messageLog(alice.page).getByText('first words')).toHaveCount(0);
  await memberAction(alice.page, 'Bob', 'Unmute');
  await expect(messageInLog(alice.page, 'first words')).toBeVisible();
});
