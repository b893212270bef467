import { randomUUID } from 'node:crypto';
import type { Page, WebSocketRoute } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';
import { ErrorCode } from '../lib/protocol/errors';
import {
  ClientEvent,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../lib/protocol/events';
import {
  createRoom,
  expect,
  joinByLink,
  messageInLog,
  messageLog,
  sendMessage,
  test,
} from './fixtures';

/** A `message:send` request as Socket.IO frames it: `42<ackId>["message:send",{…}]`. */
interface SendFrame {
  ackId: string;
  text: string;
}

function parseSendFrame(frame: string | Buffer): SendFrame | undefined {
  if (typeof frame !== 'string') return undefined;
  const match = /^42(\d+)(\[.*)$/s.exec(frame);
  if (!match) return undefined;
  const [event, payload] = JSON.parse(match[2]!) as [string, { text?: string }];
  if (event !== ClientEvent.MessageSend || typeof payload?.text !== 'string') return undefined;
  return { ackId: match[1]!, text: payload.text };
}

/**
 * Puts itself between a page and the server's WebSocket, so that a test can hold back or
 * refuse chosen messages: a stand-in for a slow or failing server.
 */
async function interceptSends(page: Page) {
  let upgraded = false;
  const held: Array<() => void> = [];
  const refuseOnce = new Set<string>();
  const holdBack = new Set<string>();

  await page.routeWebSocket(/\/socket\.io\//, (ws: WebSocketRoute) => {
    const server = ws.connectToServer();
    ws.onMessage((frame) => {
      // Engine.IO's "upgrade" packet: from now on every request travels on this socket.
      if (frame === '5') upgraded = true;
      const send = parseSendFrame(frame);
      if (send && refuseOnce.delete(send.text)) {
        const failure = {
          ok: false,
          error: { code: 'INTERNAL', message: 'The server could not store the message.' },
        };
        ws.send(`43${send.ackId}${JSON.stringify([failure])}`);
        return;
      }
      if (send && holdBack.has(send.text)) {
        held.push(() => server.send(frame));
        return;
      }
      server.send(frame);
    });
  });

  return {
    /** Resolves once the page's socket runs over the intercepted WebSocket. */
    upgraded: () => expect.poll(() => upgraded).toBe(true),
    refuseOnce: (text: string) => refuseOnce.add(text),
    holdBack: (text: string) => holdBack.add(text),
    /** Lets everything through from now on; what was held back is lost, as in a crash. */
    dropHeld() {
      holdBack.clear();
      held.length = 0;
    },
    release() {
      holdBack.clear();
      for (const send of held.splice(0)) send();
    },
  };
}

test.describe('your own messages', () => {
  test('show as sending at once, then as sent', async ({ newPerson }) => {
    const alice = await newPerson();
    const bob = await newPerson();
    const network = await interceptSends(alice.page);
    const roomUrl = await createRoom(alice.page, 'Alice');
    await joinByLink(bob.page, roomUrl, 'Bob');
    await network.upgraded();

    network.holdBack('On its way');
    await sendMessage(alice.page, 'On its way');
    const mine = messageInLog(alice.page, 'On its way');
    await expect(mine).toContainText('Sending…');
    await expect(messageInLog(bob.page, 'On its way')).toHaveCount(0);

    network.release();
    await expect(mine).not.toContainText('Sending…');
    await expect(mine).toContainText('Sent');
    await expect(messageInLog(bob.page, 'On its way')).toBeVisible();
  });

  test('a refused message says why and can be retried', async ({ newPerson }) => {
    const alice = await newPerson();
    const bob = await newPerson();
    const network = await interceptSends(alice.page);
    const roomUrl = await createRoom(alice.page, 'Alice');
    await joinByLink(bob.page, roomUrl, 'Bob');
    await network.upgraded();

    network.refuseOnce('Try me');
    await sendMessage(alice.page, 'Try me');
    const mine = messageInLog(alice.page, 'Try me');
    await expect(mine).toContainText('Not sent: The server could not store the message.');
    await expect(messageInLog(bob.page, 'Try me')).toHaveCount(0);

    await mine.getByRole('button', { name: 'Retry' }).click();
    await expect(mine).not.toContainText('Not sent');
    await expect(mine).toContainText('Sent');
    await expect(messageInLog(bob.page, 'Try me')).toHaveCount(1);
    await expect(messageLog(alice.page).getByText('Try me', { exact: true })).toHaveCount(1);
  });

  test('a message still unsent at a reload is kept and sent once after it', async ({ pair }) => {
    const { alice, bob } = pair;
    const network = await interceptSends(alice.page);
    // Reload once so the page's socket runs through the interceptor.
    await alice.page.reload();
    await expect(messageInLog(alice.page, 'Bob joined')).toBeVisible();
    await network.upgraded();

    network.holdBack('Kept across a reload');
    await sendMessage(alice.page, 'Kept across a reload');
    await expect(messageInLog(alice.page, 'Kept across a reload')).toContainText('Sending…');
    network.dropHeld();
    await alice.page.reload();

    const mine = messageInLog(alice.page, 'Kept across a reload');
    await expect(mine).toContainText('Sent');
    await expect(messageInLog(bob.page, 'Kept across a reload')).toHaveCount(1);
    await expect(mine).toHaveCount(1);
  });

  test('messages sent faster than allowed wait out the limit and all arrive once, in order, without a click', async ({
    pair,
    baseURL,
  }) => {
    const { alice, bob, roomUrl } = pair;
    // Alice's other tab runs a script that pastes messages as fast as the server answers, so
    // her session's budget stays spent however slowly this machine lets the page type.
    const roomId = new URL(roomUrl).pathname.split('/').at(-1)!;
    const cookie = (await alice.context.cookies())
      .map(({ name, value }) => `${name}=${value}`)
      .join('; ');
    const script: Socket<ServerToClientEvents, ClientToServerEvents> = io(baseURL!, {
      transports: ['websocket'],
      forceNew: true,
      extraHeaders: { origin: baseURL!, cookie },
    });
    let flooding = true;
    let refusedToScript = 0;
    const flood = (async () => {
      while (flooding) {
        const reply = await script
          .timeout(5_000)
          .emitWithAck(ClientEvent.MessageSend, { roomId, clientId: randomUUID(), text: 'flood' });
        if (!reply.ok) {
          expect(reply.error.code).toBe(ErrorCode.RateLimited);
          refusedToScript += 1;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    })();
    const texts: string[] = [];
    try {
      await expect.poll(() => refusedToScript).toBeGreaterThan(0);
      // The budget comes back at the start of each window and the script spends it again
      // within a round trip or two: keep typing until the page shows one message waiting.
      const waiting = messageLog(alice.page).getByText(/Too fast: sending again in \d+ s/);
      for (let n = 1; n <= 12 && (await waiting.count()) === 0; n++) {
        texts.push(`typed in a flood #${n}`);
        await sendMessage(alice.page, texts.at(-1)!);
      }
      await expect(waiting.first()).toBeVisible();
    } finally {
      flooding = false;
      await flood;
      script.disconnect();
    }

    // Nobody clicks: each message goes out once its wait is over, and arrives once, in order.
    for (const text of texts) {
      await expect(messageInLog(alice.page, text)).toContainText('Sent');
      await expect(messageInLog(bob.page, text)).toHaveCount(1);
    }
    await expect(messageLog(alice.page).getByRole('button', { name: 'Retry' })).toHaveCount(0);
    await expect(messageLog(alice.page)).not.toContainText('Not sent');
    const arrived = await messageLog(bob.page)
      .getByRole('listitem')
      .filter({ hasText: 'typed in a flood' })
      .allTextContents();
    expect(arrived.map((item) => /typed in a flood #\d+/.exec(item)?.[0])).toEqual(texts);
  });
});
