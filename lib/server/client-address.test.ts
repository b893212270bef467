import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address';

const request = (forwarded?: string) =>
  ({
    headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
    socket: { remoteAddress: '10.0.0.2' },
  }) as unknown as IncomingMessage;

describe('client address', () => {
  it('is the peer address unless a proxy is trusted', () => {
    expect(clientAddress(request('203.0.113.7'), false)).toBe('10.0.0.2');
    expect(clientAddress(request(), true)).toBe('10.0.0.2');
  });

  it('behind a trusted proxy, is the address the proxy appended, not one the client sent', () => {
    expect(clientAddress(request('203.0.113.7'), true)).toBe('203.0.113.7');
    // A client that sends its own X-Forwarded-For cannot choose its address.
    expect(clientAddress(request('1.2.3.4, 203.0.113.7'), true)).toBe('203.0.113.7');
    expect(clientAddress(request(' , '), true)).toBe('10.0.0.2');
  });
});
