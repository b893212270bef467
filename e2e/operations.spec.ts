import { E2E_ADMIN_TOKEN } from './admin-token';
import { createRoom, expect, joinByLink, messageLog, test } from './fixtures';

test('an operator announcement appears as a banner for everyone, in rooms and on the start page', async ({
  newPerson,
  request,
}) => {
  const alice = await newPerson();
  const bob = await newPerson();
  const carol = await newPerson();
  const roomUrl = await createRoom(alice.page, 'Alice');
  await joinByLink(bob.page, roomUrl, 'Bob');
  await carol.page.goto('/');
  await expect(carol.page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();

  const response = await request.post('/admin/announce', {
    headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` },
    data: { text: 'Maintenance at 22:00 <b>UTC</b>' },
  });
  expect(response.status()).toBe(202);

  for (const person of [alice, bob, carol]) {
    const banner = person.page.getByRole('alert', { name: 'Announcement' });
    await expect(banner).toContainText('Maintenance at 22:00 <b>UTC</b>');
  }
  await alice.page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(alice.page.getByRole('alert', { name: 'Announcement' })).toHaveCount(0);
  await expect(bob.page.getByRole('alert', { name: 'Announcement' })).toBeVisible();
  await expect(messageLog(alice.page).getByText('Bob joined')).toBeVisible();
});
