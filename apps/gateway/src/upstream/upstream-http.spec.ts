import { verifyIdentity } from '@lateral/identity';
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

  it('signs the caller and forwards the request id of the current request', () => {
    const headers = requestContext.run({ requestId: 'req-42' }, () =>
      http.identityHeaders({ id: 'u1', name: 'Ana Lima', role: 'editor' }),
    );
    expect(headers['x-request-id']).toBe('req-42');
    expect(verifyIdentity(headers['x-lateral-identity'], SECRET)).toEqual({
      userId: 'u1',
      name: 'Ana Lima',
      role: 'editor',
    });
  });

  it('sends no identity for anonymous calls', () => {
    expect(http.identityHeaders(undefined)).toEqual({});
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
