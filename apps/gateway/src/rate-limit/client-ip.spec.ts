import { type FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { clientIp } from './client-ip.js';

const request = (xff: string | undefined, socket = '10.0.0.9') =>
  ({
    headers: xff === undefined ? {} : { 'x-forwarded-for': xff },
    raw: { socket: { remoteAddress: socket } },
  }) as unknown as FastifyRequest;

describe('clientIp', () => {
  it('ignores X-Forwarded-For unless proxies are trusted', () => {
    expect(clientIp(request('1.2.3.4'), 0)).toBe('10.0.0.9');
  });

  it('takes the address our own proxy appended, not what the client claimed', () => {
    expect(clientIp(request('6.6.6.6, 1.2.3.4'), 1)).toBe('1.2.3.4');
    expect(clientIp(request('6.6.6.6, 1.2.3.4, 10.0.0.2'), 2)).toBe('1.2.3.4');
    expect(clientIp(request(undefined), 1)).toBe('10.0.0.9');
  });
});
