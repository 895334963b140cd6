import { Readable } from 'node:stream';
import { STREAMED_BODY, verifyIdentity } from '@lateral/identity';
import { requestContext } from '@lateral/observability';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { GatewayMetrics } from '../gateway.metrics.js';
import { isRetryable, unavailable } from './upstream-errors.js';
import { UpstreamHttp } from './upstream-http.js';

const SECRET = 's'.repeat(32);

describe('UpstreamHttp identity forwarding', () => {
  const http = new UpstreamHttp({
    name: 'notes',
    baseUrl: 'http://127.0.0.1:1',
    secret: SECRET,
    connectTimeoutMs: 100,
    headersTimeoutMs: 100,
    bodyTimeoutMs: 100,
    connections: 1,
    metrics: new GatewayMetrics(new Registry()),
  });

  const put = { method: 'PUT' as const, path: '/api/v1/notes/n1?x=1', body: '{"title":"T"}' };

  it('signs the caller for this request and forwards the request id of the current request', () => {
    const headers = requestContext.run({ requestId: 'req-42' }, () =>
      http.identityHeaders({ id: 'u1', name: 'Ana Lima', role: 'editor' }, put),
    );
    expect(headers['x-request-id']).toBe('req-42');
    expect(verifyIdentity(headers['x-lateral-identity'], SECRET, put)).toEqual({
      userId: 'u1',
      name: 'Ana Lima',
      role: 'editor',
    });
    expect(() =>
      verifyIdentity(headers['x-lateral-identity'], SECRET, { ...put, body: '{"title":"X"}' }),
    ).toThrow('another body');
  });

  it('signs a streamed upload as streamed', () => {
    const upload = { method: 'POST' as const, path: '/api/v1/media', body: Readable.from([]) };
    const headers = http.identityHeaders({ id: 'u1', name: 'Ana', role: 'editor' }, upload);
    expect(
      verifyIdentity(headers['x-lateral-identity'], SECRET, { ...upload, body: STREAMED_BODY }),
    ).toMatchObject({ userId: 'u1' });
  });

  it('sends no identity for anonymous calls', () => {
    expect(http.identityHeaders(undefined, put)).toEqual({});
  });
});

describe('upstream failures', () => {
  it('retry only connection failures, and map them to 503 with Retry-After', () => {
    expect(isRetryable({ code: 'ECONNREFUSED' })).toBe(true);
    expect(isRetryable({ code: 'UND_ERR_HEADERS_TIMEOUT' })).toBe(false);
    const down = unavailable('media', { code: 'ECONNREFUSED' });
    expect(down.code).toBe('upstream_unavailable');
    expect(down.headers).toEqual({ 'retry-after': '5' });
    expect(unavailable('media', { code: 'UND_ERR_HEADERS_TIMEOUT' }).code).toBe(
      'upstream_unavailable',
    );
    expect(unavailable('notes', new Error('weird')).code).toBe('bad_gateway');
  });
});
