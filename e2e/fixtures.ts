import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';

/** One person at their own browser: a separate context, so a separate session cookie. */
export interface Person {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen on this person's page. */
  problems: string[];
  /** Dialogs (alert, confirm, prompt) that opened; a chat never opens one. */
  dialogs: string[];
}

export interface PersonOptions {
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
  /** A touch screen (a coarse pointer, as on a phone). */
  touch?: boolean;
  /** Console errors this test expects (e.g. the 404 of a page that is meant to be missing). */
  expectedConsoleErrors?: RegExp[];
}

/** Two people in one room: Alice created it, Bob joined through its link. */
export interface RoomPair {
  alice: Person;
  bob: Person;
  roomUrl: string;
}

/** Time added to a test's budget for each person beyond the first. */
const EXTRA_PERSON_MS = 15_000;

interface Fixtures {
  /** Opens a fresh browser context for another person; checked for errors at the end. */
  newPerson(options?: PersonOptions): Promise<Person>;
  pair: RoomPair;
}

// Playwright names the fixture callback `use`; here it is `provide`, which React's hook lint
// rule does not mistake for React's `use`.
export const test = base.extend<Fixtures>({
  newPerson: async ({ browser }, provide, testInfo) => {
    const people: Person[] = [];
    await provide(async (options = {}) => {
      // Every browser after the first one costs real time on a small machine: budget it.
      if (people.length > 0) testInfo.setTimeout(testInfo.timeout + EXTRA_PERSON_MS);
      const context = await browser.newContext({
        viewport: options.viewport,
        colorScheme: options.colorScheme,
        hasTouch: options.touch,
        isMobile: options.touch,
        permissions: ['clipboard-read', 'clipboard-write'],
      });
      const page = await context.newPage();
      const person: Person = { context, page, problems: [], dialogs: [] };
      const expected = options.expectedConsoleErrors ?? [];
      page.on('console', (message) => {
        const text = message.text();
        if (message.type() === 'error' && !expected.some((pattern) => pattern.test(text))) {
          person.problems.push(text);
        }
      });
      page.on('pageerror', (error) => person.problems.push(`uncaught: ${error.message}`));
      page.on('dialog', (dialog) => {
        person.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
        void dialog.dismiss();
      });
      people.push(person);
      return person;
    });
    for (const person of people) {
      expect(person.problems, 'no console errors or uncaught exceptions').toEqual([]);
      expect(person.dialogs, 'no dialogs').toEqual([]);
      await person.context.close();
    }
  },

  pair: async ({ newPerson }, provide) => {
    const alice = await newPerson();
    const bob = await newPerson();
    const roomUrl = await createRoom(alice.page, 'Alice');
    await joinByLink(bob.page, roomUrl, 'Bob');
    await expect(messageLog(alice.page).getByText('Bob joined')).toBeVisible();
    await provide({ alice, bob, roomUrl });
  },
});

export { expect };

/** The room's message log. */
export function messageLog(page: Page) {
  return page.getByRole('log', { name: 'Messages' });
}

/** How far the page scrolls sideways (0 when it does not). */
export function sidewaysScroll(page: Page) {
  return page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
}

/** The list of who is in the room. */
export function memberList(page: Page) {
  return page.getByRole('list', { name: 'Members' });
}

/** The message text box (not the log, whose name also contains "Message"). */
export function messageBox(page: Page) {
  return page.getByRole('textbox', { name: 'Message', exact: true });
}

/** The form errors of the page's main content (Next.js has a route announcer alert too). */
export function formAlert(page: Page) {
  return page.getByRole('main').getByRole('alert');
}

/** The errors of the open "Change nickname" form. */
export function renameAlert(page: Page) {
  return page.getByRole('form', { name: 'Change nickname' }).getByRole('alert');
}

/** The header line that says which nickname you have in this room. */
export function selfLine(page: Page) {
  return page.getByText(/^You are /);
}

/** A user message in the log, by its exact text. */
export function messageInLog(page: Page, text: string) {
  return messageLog(page).getByRole('listitem').filter({ hasText: text });
}

/** Creates a room from the landing page and returns its URL once the room is shown. */
export async function createRoom(page: Page, nickname: string): Promise<string> {
  await page.goto('/');
  await page.getByLabel('Nickname').fill(nickname);
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page).toHaveURL(/\/rooms\/[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}$/);
  await expect(messageLog(page).getByText(`${nickname} joined`)).toBeVisible();
  return page.url();
}

/** Opens a room link as a newcomer, picks a nickname and waits to be in. */
export async function joinByLink(page: Page, roomUrl: string, nickname: string): Promise<void> {
  await page.goto(roomUrl);
  await page.getByLabel('Nickname').fill(nickname);
  await page.getByRole('button', { name: 'Join room' }).click();
  await expect(selfLine(page)).toHaveText(`You are ${nickname}`);
}

/** Types a message and sends it with Enter. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  await messageBox(page).fill(text);
  await messageBox(page).press('Enter');
  await expect(messageBox(page)).toHaveValue('');
}

/** Opens the header's room menu, which holds the room's secondary actions, unless open. */
export async function openRoomMenu(page: Page): Promise<void> {
  const toggle = page.getByRole('button', { name: 'Room menu' });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

/** Leaves the room from its menu, confirming when asked. */
export async function leaveRoom(page: Page): Promise<void> {
  await openRoomMenu(page);
  await page.getByRole('button', { name: 'Leave room' }).click();
  await page
    .getByRole('dialog', { name: 'Leave this room?' })
    .getByRole('button', { name: 'Leave' })
    .click();
}
