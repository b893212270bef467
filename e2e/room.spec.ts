import {
  createRoom,
  expect,
  formAlert,
  joinByLink,
  leaveRoom,
  memberList,
  messageBox,
  messageInLog,
  messageLog,
  openRoomMenu,
  renameAlert,
  selfLine,
  sendMessage,
  test,
} from './fixtures';

test.describe('a room shared by link', () => {
  test('create, copy the link, and a second person joins through it', async ({ newPerson }) => {
    const alice = await newPerson();
    const bob = await newPerson();
    const roomUrl = await createRoom(alice.page, 'Alice');
    const roomId = new URL(roomUrl).pathname.split('/').pop()!;
    await expect(alice.page.getByRole('heading', { name: `Room ${roomId}` })).toBeVisible();

    await alice.page.getByRole('button', { name: 'Copy link' }).click();
    await expect(alice.page.getByText('Copied')).toBeVisible();
    const copied = await alice.page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(roomUrl);

    await bob.page.goto(copied);
    await expect(bob.page.getByRole('heading', { name: `Join room ${roomId}` })).toBeVisible();
    // Only a nickname is asked for.
    await expect(bob.page.getByRole('textbox')).toHaveCount(1);
    await bob.page.getByLabel('Nickname').fill('Bob');
    await bob.page.getByRole('button', { name: 'Join room' }).click();

    await expect(selfLine(bob.page)).toHaveText('You are Bob');
    for (const page of [alice.page, bob.page]) {
      await expect(memberList(page).getByRole('listitem')).toHaveText([/Alice/, /Bob/]);
      await expect(messageLog(page).getByText('Bob joined')).toBeVisible();
    }
    await expect(memberList(bob.page).getByRole('listitem').filter({ hasText: 'Bob' })).toHaveText(
      /\(you\)/,
    );
  });

  test('messages go both ways live, each with author, text and time', async ({ pair }) => {
    const { alice, bob } = pair;
    await sendMessage(alice.page, 'Hi Bob!');
    await messageBox(bob.page).fill('Hello Alice');
    await bob.page.getByRole('button', { name: 'Send' }).click();

    for (const page of [alice.page, bob.page]) {
      const fromAlice = messageInLog(page, 'Hi Bob!');
      await expect(fromAlice).toContainText('Alice');
      await expect(fromAlice.locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);
      const fromBob = messageInLog(page, 'Hello Alice');
      await expect(fromBob).toContainText('Bob');
      await expect(fromBob.locator('time')).toBeVisible();
    }
    await expect(messageInLog(alice.page, 'Hi Bob!')).toContainText('Sent');
    await expect(messageInLog(alice.page, 'Hi Bob!')).not.toContainText('Sending…');
  });

  test('Shift+Enter starts a new line and Enter sends', async ({ pair }) => {
    const { alice, bob } = pair;
    const box = messageBox(alice.page);
    await box.click();
    await alice.page.keyboard.type('first line');
    await alice.page.keyboard.press('Shift+Enter');
    await alice.page.keyboard.type('second line');
    await expect(box).toHaveValue('first line\nsecond line');
    await alice.page.keyboard.press('Enter');
    await expect(box).toHaveValue('');
    await expect(messageInLog(bob.page, 'first line').locator('.message-text')).toHaveText(
      'first line\nsecond line',
    );
  });

  test('a newcomer sees the earlier messages', async ({ newPerson }) => {
    const alice = await newPerson();
    const bob = await newPerson();
    const carol = await newPerson();
    const roomUrl = await createRoom(alice.page, 'Alice');
    await sendMessage(alice.page, 'Anyone here?');
    await joinByLink(bob.page, roomUrl, 'Bob');
    await sendMessage(bob.page, 'Just me.');

    await joinByLink(carol.page, roomUrl, 'Carol');
    const log = messageLog(carol.page);
    await expect(log.getByRole('listitem')).toHaveText([
      'Today',
      /^Alice joined/,
      /Anyone here\?/,
      /^Bob joined/,
      /Just me\./,
      /^Carol joined/,
    ]);
    await expect(memberList(carol.page).getByRole('listitem')).toHaveCount(3);
  });

  test('a nickname already in use is refused, in words', async ({ newPerson }) => {
    const alice = await newPerson();
    const bob = await newPerson();
    const roomUrl = await createRoom(alice.page, 'Alice');

    await bob.page.goto(roomUrl);
    await bob.page.getByLabel('Nickname').fill('alice');
    await bob.page.getByRole('button', { name: 'Join room' }).click();
    await expect(formAlert(bob.page)).toHaveText(
      'Someone in this room is already called “alice”. Please pick another nickname.',
    );
    await expect(bob.page.getByLabel('Nickname')).toHaveValue('alice');

    await bob.page.getByLabel('Nickname').fill('Bob');
    await bob.page.getByRole('button', { name: 'Join room' }).click();
    await expect(selfLine(bob.page)).toHaveText('You are Bob');
  });

  test('a nickname change is announced in both windows', async ({ pair }) => {
    const { alice, bob } = pair;
    await openRoomMenu(bob.page);
    await bob.page.getByRole('button', { name: 'Change nickname' }).click();
    const newNickname = bob.page.getByLabel('New nickname');
    await expect(newNickname).toBeFocused();

    await newNickname.fill('Alice');
    await newNickname.press('Enter');
    await expect(renameAlert(bob.page)).toContainText('already called “Alice”');

    await newNickname.fill('Robert');
    await bob.page.getByRole('button', { name: 'Save' }).click();
    await expect(newNickname).toBeHidden();
    await expect(bob.page.getByRole('button', { name: 'Change nickname' })).toBeFocused();
    await expect(selfLine(bob.page)).toHaveText('You are Robert');
    for (const page of [alice.page, bob.page]) {
      await expect(messageLog(page).getByText('Bob is now Robert')).toBeVisible();
      await expect(memberList(page).getByRole('listitem')).toHaveText([/Alice/, /Robert/]);
    }
  });

  test('leaving returns to the start and the others see it', async ({ pair }) => {
    const { alice, bob } = pair;
    await leaveRoom(bob.page);
    await expect(bob.page).toHaveURL(/\/$/);
    await expect(bob.page.getByRole('button', { name: 'Create room' })).toBeVisible();

    await expect(messageLog(alice.page).getByText('Bob left')).toBeVisible();
    await expect(memberList(alice.page).getByRole('listitem')).toHaveText([/Alice/]);
  });

  test('leaving in one tab takes your other tabs out of the room too', async ({ pair }) => {
    const { alice, bob, roomUrl } = pair;
    const secondTab = await bob.context.newPage();
    await secondTab.goto(roomUrl);
    await expect(selfLine(secondTab)).toHaveText('You are Bob');

    await leaveRoom(bob.page);
    await expect(messageLog(alice.page).getByText('Bob left')).toBeVisible();
    // The other tab offers to join again instead of showing a room Bob is no longer in.
    await expect(secondTab.getByRole('heading', { name: 'Welcome back' })).toBeVisible();
    await expect(secondTab.getByRole('button', { name: 'Rejoin as Bob' })).toBeVisible();
    await secondTab.close();
  });

  test('a reload keeps you in the room with your nickname and the history', async ({ pair }) => {
    const { alice, bob, roomUrl } = pair;
    await sendMessage(alice.page, 'Before the reload');
    await sendMessage(bob.page, 'Seen it');
    await expect(messageInLog(alice.page, 'Seen it')).toBeVisible();

    await bob.page.reload();
    await expect(bob.page).toHaveURL(roomUrl);
    await expect(selfLine(bob.page)).toHaveText('You are Bob');
    await expect(messageInLog(bob.page, 'Before the reload')).toBeVisible();
    await expect(messageInLog(bob.page, 'Seen it')).toBeVisible();
    await expect(bob.page.getByLabel('Nickname')).toHaveCount(0);

    // He can talk right away. (That a reload within the grace period is neither a leave nor a
    // join for the others is the server's promise, tested in test/integration/membership;
    // here a slow machine may take longer than the short grace the e2e server runs with.)
    await sendMessage(bob.page, 'Back again');
    await expect(messageInLog(alice.page, 'Back again')).toBeVisible();
  });

  test('a tab that was in the room goes back in without asking, even after a long absence', async ({
    pair,
  }) => {
    // It waits out the server's grace period (MEMBER_GRACE_SECONDS in playwright.config.ts).
    test.slow();
    const { alice, bob, roomUrl } = pair;
    await bob.page.goto('about:blank');
    // Away longer than the grace period: the others see Bob leave.
    await expect(messageLog(alice.page).getByText('Bob left')).toBeVisible({ timeout: 30_000 });

    await bob.page.goto(roomUrl);
    await expect(selfLine(bob.page)).toHaveText('You are Bob');
    await expect(messageLog(alice.page).getByText('Bob joined')).toHaveCount(2);
  });

  test('a renamed member keeps the new nickname after a reload', async ({ pair }) => {
    const { bob } = pair;
    await openRoomMenu(bob.page);
    await bob.page.getByRole('button', { name: 'Change nickname' }).click();
    await bob.page.getByLabel('New nickname').fill('Robert');
    await bob.page.getByLabel('New nickname').press('Enter');
    await expect(selfLine(bob.page)).toHaveText('You are Robert');

    await bob.page.reload();
    await expect(selfLine(bob.page)).toHaveText('You are Robert');
  });
});

test.describe('message text', () => {
  test('markup shows literally and links are safe', async ({ pair }) => {
    const { alice, bob } = pair;
    const attack = '<img src=x onerror=alert(1)>';
    await sendMessage(alice.page, attack);
    await sendMessage(alice.page, 'Read https://example.com/docs?a=1&b=2. Not javascript:alert(2)');

    for (const person of [alice, bob]) {
      const log = messageLog(person.page);
      await expect(log.getByText(attack, { exact: true })).toBeVisible();
      await expect(log.locator('img')).toHaveCount(0);

      const link = log.getByRole('link', { name: 'https://example.com/docs?a=1&b=2' });
      await expect(link).toHaveAttribute('href', 'https://example.com/docs?a=1&b=2');
      await expect(link).toHaveAttribute('target', '_blank');
      await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
      await expect(log.getByRole('link')).toHaveCount(1);
      await expect(log.getByText('Not javascript:alert(2)', { exact: false })).toBeVisible();
    }
    // The fixture fails the test if any dialog opened.
  });
});
