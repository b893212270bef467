import type { Page, WebSocketRoute } from '@playwright/test';
import {
  createRoom,
  expect,
  joinByLink,
  messageInLog,
  messageLog,
  sendMessage,
  test,
} from './fixtures';

/**
 * Lets a test cut a page off from the chat server and restore it: both of Socket.IO's
 * transports (HTTP long-polling and WebSocket) go through here.
 */
async function serverLink(page: Page) {
  let cut = false;
  const sockets = new Set<WebSocketRoute>();
  await page.route(/\/socket\.io\//, (route) => (cut ? route.abort() : route.continue()));
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    if (cut) return void ws.close();
    ws.connectToServer();
    sockets.add(ws);
  });
  return {
    async cut() {
      cut = true;
      await Promise.all([...sockets].map((ws) => ws.close()));
      sockets.clear();
    },
    restore() {
      cut = false;
    },
  };
}

test('a dropped connection keeps the room on screen and catches up when back', async ({
  newPerson,
}) => {
  // The outage and the reconnection take real time on a small machine.
  test.slow();
  // The browser reports the refused reconnection attempts while the link is cut.
  const alice = await newPerson({ expectedConsoleErrors: [/ERR_FAILED|WebSocket/] });
  const bob = await newPerson();
  const link = await serverLink(alice.page);
  const roomUrl = await createRoom(alice.page, 'Alice');
  await joinByLink(bob.page, roomUrl, 'Bob');
  await sendMessage(bob.page, 'Before the cut');
  await expect(messageInLog(alice.page, 'Before the cut')).toBeVisible();

  await link.cut();
  const status = alice.page.getByRole('status').filter({ hasText: /Reconnecting|Offline/ });
  await expect(status).toBeVisible();
  // What was on screen stays there.
  await expect(messageInLog(alice.page, 'Before the cut')).toBeVisible();
  await expect(messageLog(alice.page).getByText('Bob joined')).toBeVisible();

  await sendMessage(bob.page, 'While you were away');
  await sendMessage(alice.page, 'Written while cut off');
  await expect(messageInLog(alice.page, 'Written while cut off')).toContainText('Sending…');

  link.restore();
  await expect(alice.page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible({
    timeout: 20_000,
  });
  await expect(messageInLog(alice.page, 'While you were away')).toBeVisible();
  await expect(messageInLog(alice.page, 'Written while cut off')).toContainText('Sent');
  await expect(messageInLog(bob.page, 'Written while cut off')).toHaveCount(1);
  await expect(messageInLog(alice.page, 'Before the cut')).toHaveCount(1);
});
