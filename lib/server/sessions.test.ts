import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { SqliteStore } from '../store/sqlite-store';
import { Sessions, sessionIdOf } from './sessions';

describe('sessions', () => {
  it('recognises the tokens it issued and gives each its own stable ID', async () => {
    const sessions = new Sessions(SqliteStore.open(':memory:'), randomBytes);
    const first = await sessions.issue();
    const second = await sessions.issue();
    expect(first.token).not.toBe(second.token);
    expect(await sessions.resolve(first.token)).toBe(first.sessionId);
    expect(first.sessionId).toBe(sessionIdOf(first.token));
    expect(first.sessionId).not.toContain(first.token);
  });

  it('reads the signing key once and writes nothing per session it issues', async () => {
    const store = SqliteStore.open(':memory:');
    const secret = vi.spyOn(store, 'serverSecret');
    const sessions = new Sessions(store, randomBytes);
    for (let i = 0; i < 100; i++) await sessions.issue();
    expect(secret).toHaveBeenCalledTimes(1);
  });

  it('accepts tokens across processes and restarts that share the store, not another store’s', async () => {
    const shared = SqliteStore.open(':memory:');
    const issued = await new Sessions(shared, randomBytes).issue();
    expect(await new Sessions(shared, randomBytes).resolve(issued.token)).toBe(issued.sessionId);
    expect(
      await new Sessions(SqliteStore.open(':memory:'), randomBytes).resolve(issued.token),
    ).toBeUndefined();
  });

  it('refuses a tampered token and anything that is not a token', async () => {
    const sessions = new Sessions(SqliteStore.open(':memory:'), randomBytes);
    const { token } = await sessions.issue();
    const [nonce, signature] = token.split('.') as [string, string];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const swap = (char: string, mask: number) => alphabet[alphabet.indexOf(char) ^ mask]!;
    const tampered = `${nonce}.${swap(signature[0]!, 32)}${signature.slice(1)}`;
    // Same signature bytes, other spelling: the last character's two unused bits set.
    const respelled = `${nonce}.${signature.slice(0, -1)}${swap(signature.at(-1)!, 1)}`;
    expect(Buffer.from(respelled.split('.')[1]!, 'base64url')).toEqual(
      Buffer.from(signature, 'base64url'),
    );
    for (const bad of [
      tampered,
      respelled,
      token + 'A',
      token.replace('.', ''),
      '',
      42,
      null,
      {},
    ]) {
      expect(await sessions.resolve(bad)).toBeUndefined();
    }
  });

  it('refuses an unsigned 256-bit token, the format of sessions before signing', async () => {
    const sessions = new Sessions(SqliteStore.open(':memory:'), randomBytes);
    expect(
      await sessions.resolve(Buffer.from(randomBytes(32)).toString('base64url')),
    ).toBeUndefined();
  });
});
