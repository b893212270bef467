import type { Page } from '@playwright/test';
import {
  expect,
  joinByLink,
  messageBox,
  messageInLog,
  messageLog,
  sendMessage,
  test,
} from './fixtures';
import { seedMessages } from './seed-messages';

/** The message whose own text is `text` (not a reply quoting it). */
function said(page: Page, text: string) {
  return messageLog(page)
    .getByRole('listitem')
    .filter({ has: page.locator('.message-text', { hasText: text }) });
}

/** The actions toolbar of the message with `text`, shown as hovering it shows it. */
async function actionsOf(page: Page, text: string) {
  const message = said(page, text);
  await message.hover();
  return message.getByRole('toolbar');
}

test('edit, reply, react and delete are seen live by the other person and after a reload', async ({
  pair,
}) => {
  const { alice, bob } = pair;
  await sendMessage(alice.page, 'Lunch at noon?');
  await expect(said(bob.page, 'Lunch at noon?')).toBeVisible();

  // Alice fixes her message in place.
  await (
    await actionsOf(alice.page, 'Lunch at noon?')
  )
    .getByRole('button', { name: 'Edit' })
    .click();
  const editor = alice.page.getByRole('textbox', { name: 'Edit message' });
  await editor.fill('Lunch at 12:30?');
  await editor.press('Enter');
  await expect(said(bob.page, 'Lunch at 12:30?')).toContainText('(edited)');
  await expect(said(bob.page, 'Lunch at noon?')).toHaveCount(0);
  await expect(messageBox(alice.page)).toBeFocused();

  // Bob answers it, with the quote above his message.
  await (
    await actionsOf(bob.page, 'Lunch at 12:30?')
  )
    .getByRole('button', { name: 'Reply' })
    .click();
  await expect(bob.page.getByText('Replying to')).toBeVisible();
  await expect(messageBox(bob.page)).toBeFocused();
  await sendMessage(bob.page, 'Works for me');
  await expect(bob.page.getByText('Replying to')).toHaveCount(0);
  const reply = said(alice.page, 'Works for me');
  await expect(
    reply.getByRole('button', { name: /Replying to Alice: Lunch at 12:30\?/ }),
  ).toBeVisible();

  // Bob reacts from the keyboard: the toolbar's React button, then the picker.
  const toolbar = await actionsOf(bob.page, 'Lunch at 12:30?');
  await toolbar.getByRole('button', { name: 'React' }).focus();
  await bob.page.keyboard.press('Enter');
  await expect(bob.page.getByRole('button', { name: 'React with thumbs up' })).toBeFocused();
  await bob.page.keyboard.press('ArrowRight');
  await bob.page.keyboard.press('ArrowLeft');
  await bob.page.keyboard.press('Enter');
  const aliceReaction = said(alice.page, 'Lunch at 12:30?').getByRole('button', {
    name: /👍 1 reaction/,
  });
  await expect(aliceReaction).toBeVisible();
  await aliceReaction.click();
  const both = said(bob.page, 'Lunch at 12:30?').getByRole('button', {
    name: '👍 2 reactions, including yours',
  });
  await expect(both).toHaveAttribute('aria-pressed', 'true');
  await both.hover();
  await expect(said(bob.page, 'Lunch at 12:30?').getByRole('tooltip')).toHaveText('Bob, Alice');

  // Clicking the quote goes to the original.
  await reply.getByRole('button', { name: /Replying to Alice/ }).click();
  await expect(said(alice.page, 'Lunch at 12:30?')).toBeFocused();

  // Everything holds after a reload.
  await bob.page.reload();
  await expect(said(bob.page, 'Lunch at 12:30?')).toContainText('(edited)');
  await expect(
    said(bob.page, 'Lunch at 12:30?').getByRole('button', { name: /👍 2 reactions/ }),
  ).toBeVisible();

  // Alice deletes the original, after confirming.
  await (
    await actionsOf(alice.page, 'Lunch at 12:30?')
  )
    .getByRole('button', { name: 'Delete' })
    .click();
  const dialog = alice.page.getByRole('dialog', { name: 'Delete this message?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Delete' }).click();
  for (const page of [alice.page, bob.page]) {
    await expect(messageLog(page).getByText('Message deleted')).toBeVisible();
    await expect(messageLog(page).getByText('Lunch at 12:30?')).toHaveCount(0);
    await expect(said(page, 'Works for me')).toContainText('Replying to a deleted message');
  }
  await alice.page.reload();
  await expect(messageLog(alice.page).getByText('Message deleted')).toBeVisible();
  await expect(said(alice.page, 'Works for me')).toContainText('Replying to a deleted message');
});

test('arrow up in the empty box edits one’s last message; Escape leaves it as it was', async ({
  pair,
}) => {
  const { alice } = pair;
  await sendMessage(alice.page, 'first thought');
  await sendMessage(alice.page, 'second thought');
  // Only a message the server has acknowledged can be edited: wait until it is.
  await expect(messageInLog(alice.page, 'second thought')).not.toContainText('Sending…');
  await messageBox(alice.page).press('ArrowUp');
  const editor = alice.page.getByRole('textbox', { name: 'Edit message' });
  await expect(editor).toHaveValue('second thought');
  await editor.press('Escape');
  await expect(editor).toHaveCount(0);
  await expect(messageBox(alice.page)).toBeFocused();
  await expect(said(alice.page, 'second thought')).not.toContainText('(edited)');
});

test('the quote of a reply to an old message loads older history to show it', async ({ pair }) => {
  const { alice, bob } = pair;
  await sendMessage(alice.page, 'The very first question');
  await (
    await actionsOf(bob.page, 'The very first question')
  )
    .getByRole('button', { name: 'Reply' })
    .click();
  const roomId = new URL(pair.roomUrl).pathname.split('/').at(-1)!;
  await seedMessages(
    new URL(pair.roomUrl).origin,
    roomId,
    Array.from({ length: 60 }, (_, n) => `filler ${n}`),
  );
  await sendMessage(bob.page, 'An answer, much later');
  await alice.page.reload();
  await expect(said(alice.page, 'An answer, much later')).toBeVisible();
  await expect(said(alice.page, 'The very first question')).toHaveCount(0);
  await said(alice.page, 'An answer, much later')
    .getByRole('button', { name: /Replying to Alice/ })
    .click();
  await expect(said(alice.page, 'The very first question')).toBeFocused();
});

test('on a phone, the “…” button opens a message’s actions', async ({ newPerson, pair }) => {
  const phone = await newPerson({ viewport: { width: 360, height: 740 }, touch: true });
  await joinByLink(phone.page, pair.roomUrl, 'Cy');
  await sendMessage(pair.alice.page, 'Tap me');
  const message = said(phone.page, 'Tap me');
  await expect(message.getByRole('button', { name: 'React' })).not.toBeVisible();
  await message.getByRole('button', { name: 'Actions for Alice’s message' }).tap();
  await message.getByRole('button', { name: 'React' }).tap();
  await phone.page.getByRole('button', { name: 'React with party' }).tap();
  await expect(message.getByRole('button', { name: /🎉 1 reaction/ })).toBeVisible();
  await expect(
    said(pair.alice.page, 'Tap me').getByRole('button', { name: /🎉 1 reaction/ }),
  ).toBeVisible();
  const overflow = await phone.page.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
  );
  expect(overflow).toBe(false);
});
