import { createRoom, expect, formAlert, leaveRoom, messageLog, selfLine, test } from './fixtures';

test.describe('landing page', () => {
  test('says in words what is wrong and keeps everything typed', async ({ newPerson }) => {
    const { page } = await newPerson();
    await page.goto('/');
    const nickname = page.getByLabel('Nickname');
    const roomId = page.getByLabel('Room ID');
    const alert = formAlert(page);

    await page.getByRole('button', { name: 'Create room' }).click();
    await expect(alert).toHaveText('Please choose a nickname.');
    await expect(nickname).toBeFocused();

    await nickname.fill('Zoë');
    await page.getByRole('button', { name: 'Join room' }).click();
    await expect(alert).toHaveText('Please enter a room ID, or paste a room link.');
    await expect(roomId).toBeFocused();

    await roomId.fill('not a room');
    await page.getByRole('button', { name: 'Join room' }).click();
    await expect(alert).toHaveText('That is not a room ID. Room IDs look like k3vq-8m2x-d7tp.');

    await roomId.fill('zzzz-zzzz-zzzz');
    await page.getByRole('button', { name: 'Join room' }).click();
    await expect(alert).toContainText('There is no room with that ID');
    await expect(nickname).toHaveValue('Zoë');
    await expect(roomId).toHaveValue('zzzz-zzzz-zzzz');

    await nickname.fill('x'.repeat(33));
    await page.getByRole('button', { name: 'Create room' }).click();
    await expect(alert).toHaveText('A nickname can be at most 32 characters long.');
  });

  test('remembers the last nickname and prefills it', async ({ newPerson }) => {
    const { page } = await newPerson();
    await createRoom(page, 'Zoë');
    await leaveRoom(page);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByLabel('Nickname')).toHaveValue('Zoë');
    await page.reload();
    await expect(page.getByLabel('Nickname')).toHaveValue('Zoë');
  });

  test('works with the keyboard alone, in a logical order', async ({ newPerson }) => {
    const { page } = await newPerson();
    await page.goto('/');
    await expect(page.getByRole('status')).toHaveText('Connected');
    await page.getByLabel('Nickname').focus();
    await page.keyboard.type('Keyla');
    await page.keyboard.press('Tab');
    await expect(page.getByRole('checkbox', { name: 'Public room' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Create room' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Room ID')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Join room' })).toBeFocused();

    // Enter in the nickname box with no room ID creates a room.
    await page.getByLabel('Nickname').press('Enter');
    await expect(page).toHaveURL(/\/rooms\//);
    await expect(selfLine(page)).toHaveText('You are Keyla');
    await expect(page.getByRole('textbox', { name: 'Message', exact: true })).toBeVisible();
  });

  test('joins a room from a pasted full link', async ({ newPerson }) => {
    const alice = await newPerson();
    const carol = await newPerson();
    const roomUrl = await createRoom(alice.page, 'Alice');

    await carol.page.goto('/');
    await carol.page.getByLabel('Nickname').fill('Carol');
    await carol.page.getByLabel('Room ID').fill(`  ${roomUrl}?from=chat  `);
    await carol.page.getByLabel('Room ID').press('Enter');
    await expect(carol.page).toHaveURL(roomUrl);
    await expect(selfLine(carol.page)).toHaveText('You are Carol');
    await expect(messageLog(alice.page).getByText('Carol joined')).toBeVisible();
  });
});

test.describe('room links', () => {
  test('a room ID typed loosely is redirected to its canonical link', async ({ newPerson }) => {
    const alice = await newPerson();
    const bob = await newPerson();
    const roomUrl = await createRoom(alice.page, 'Alice');
    const roomId = new URL(roomUrl).pathname.split('/').pop()!;

    await bob.page.goto(`/rooms/${roomId.replaceAll('-', '').toUpperCase()}`);
    await expect(bob.page).toHaveURL(roomUrl);
    await expect(bob.page.getByRole('heading', { name: `Join room ${roomId}` })).toBeVisible();
  });

  test('a room that is not open says it closed and leads to a new one', async ({ newPerson }) => {
    const { page } = await newPerson();
    await page.goto('/rooms/zzzz-zzzz-zzzz');
    await expect(page.getByRole('heading', { name: 'This room has closed' })).toBeVisible();
    await expect(formAlert(page)).toContainText('A room closes when everyone has left it');
    await page.getByRole('link', { name: 'Create a new room' }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByLabel('Nickname')).toBeVisible();
  });

  test('a link that cannot be a room says so', async ({ newPerson }) => {
    const { page } = await newPerson({
      expectedConsoleErrors: [/status of 404/],
    });
    const response = await page.goto('/rooms/hello-there');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'That is not a room link' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Go to the start page' })).toBeVisible();
  });

  test('a newcomer with a remembered nickname is still asked before joining', async ({
    newPerson,
  }) => {
    const alice = await newPerson();
    const bob = await newPerson();
    const roomUrl = await createRoom(alice.page, 'Alice');
    // Bob used livechat before: his nickname is remembered, but he is not in this room.
    await createRoom(bob.page, 'Bob');
    await bob.page.goto(roomUrl);
    await expect(bob.page.getByLabel('Nickname')).toHaveValue('Bob');
    await bob.page.getByRole('button', { name: 'Join room' }).click();
    await expect(selfLine(bob.page)).toHaveText('You are Bob');
    await expect(messageLog(alice.page).getByText('Bob joined')).toBeVisible();
  });
});
