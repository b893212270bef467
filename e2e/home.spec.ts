import { expect, test } from '@playwright/test';

test('the home page loads with the app title and a live connection', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle('livechat');
  await expect(page.getByRole('heading', { level: 1, name: 'livechat' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('Connected');
});
