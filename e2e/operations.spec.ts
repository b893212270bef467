import { E2E_ADMIN_TOKEN } from './admin-token';
import { createRoom, expect, joinByLink, messageBox, messageLog, test } from './fixtures';

test('an operator announcement appears as a banner for everyone, in rooms and on the start page', async ({
  newPerson,
  request,
}) => {
  const alice = await newPerson();
  // On a phone the banner takes height from the room, never the composer off screen.
  const bob = await newPerson({ viewport: { width: 360, height: 740 } });
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
  await expect(messageBox(bob.page)).toBeInViewport({ ratio: 1 });
  await expect(bob.page.getByRole('button', { name: 'Send' })).toBeInViewport({ ratio: 1 });
  await expect(messageLog(alice.page).getByText('Bob joined')).toBeVisible();
});
