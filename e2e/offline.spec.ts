import { createRoom, expect, joinByLink, messageInLog, messageLog, test } from './fixtures';

test('two people chatting; one goes offline and writes two messages, the other one; all arrive once, in one order', async ({
  newPerson,
}) => {
  // While offline the browser reports its refused reconnection attempts.
  const alice = await newPerson({ expectedConsoleErrors: [/ERR_INTERNET_DISCONNECTED|WebSocket/] });
  const bob = await newPerson();
  const roomUrl = await createRoom(alice.page, 'Alice');
  await joinByLink(bob.page, roomUrl, 'Bob');
  await expect(messageLog(alice.page).getByText('Bob joined')).toBeVisible();

  await alice.context.setOffline(true);
  await expect(alice.page.getByRole('status').filter({ hasText: 'Offline' })).toBeVisible();
  const box = alice.page.getByRole('textbox', { name: 'Message', exact: true });
  for (const text of ['offline one', 'offline two']) {
    await box.fill(text);
    await box.press('Enter');
    await expect(messageInLog(alice.page, text)).toContainText('Sending…');
  }
  const bobBox = bob.page.getByRole('textbox', { name: 'Message', exact: true });
  await bobBox.fill('while you were gone');
  await bobBox.press('Enter');
  await expect(messageInLog(bob.page, 'while you were gone')).toBeVisible();

  await alice.context.setOffline(false);
  await expect(alice.page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible({
    timeout: 20_000,
  });
  const texts = ['offline one', 'offline two', 'while you were gone'];
  for (const person of [alice, bob]) {
    for (const text of texts) await expect(messageInLog(person.page, text)).toHaveCount(1);
    await expect(messageInLog(person.page, 'offline two')).not.toContainText('Sending…');
  }
  // The same order in both windows: the server's sequence order.
  const order = async (page: typeof alice.page) =>
    (await messageLog(page).getByRole('listitem').allInnerTexts())
      .map((item) => texts.find((text) => item.includes(text)))
      .filter(Boolean);
  expect(await order(alice.page)).toEqual(await order(bob.page));
  expect((await order(alice.page)).indexOf('offline one')).toBeLessThan(
    (await order(alice.page)).indexOf('offline two'),
  );
});
