import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientEvent } from '../../lib/protocol/events';
import type { Logger } from '../../lib/server/logger';
import { eventually, expectOk, startHarness, type Harness } from '../helpers/chat-harness';

/** Every line logged, at every level, as `level message` plus its fields. */
function recordingLogger() {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
  const at =
    (level: string) =>
    (fields: Record<string, unknown>, message: string): void =>
      void lines.push({ level, message, fields });
  const logger: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
  return { logger, lines, said: () => lines.map((line) => `${line.level} ${line.message}`) };
}

describe('debug log lines', () => {
  let harness: Harness;
  afterEach(() => harness.close());

  it('trace a session from handshake to room deletion, never with message text', async () => {
    const log = recordingLogger();
    harness = await startHarness({ logger: log.logger, memberGraceMs: 100 });
    const alice = await harness.connect();
    const { roomId } = expectOk(await alice.request(ClientEvent.RoomCreate, {}));
    expectOk(await alice.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' }));
    const secret = `the password is ${randomUUID()}`;
    expectOk(
      await alice.request(ClientEvent.MessageSend, {
        roomId,
        clientId: randomUUID(),
        text: secret,
      }),
    );
    const again = await harness.connect({ token: alice.token });
    expectOk(await again.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' }));
    alice.close();
    again.close();
    await eventually(() => log.said().includes('info room deleted'));

    expect(log.said()).toEqual(
      expect.arrayContaining([
        'debug session issued',
        'debug session identified',
        'debug tab joined',
        'debug grace period started',
        'debug grace period ended',
        'info member left',
        'info room deleted',
      ]),
    );
    const joins = log.lines.filter((line) => line.message === 'tab joined');
    expect(joins.map((line) => line.fields.returning)).toEqual([false, true]);
    const ended = log.lines.find((line) => line.message === 'grace period ended');
    expect(ended?.fields).toMatchObject({ roomId, whereabouts: 'gone' });
    expect(JSON.stringify(log.lines)).not.toContain(secret);
  });
});
