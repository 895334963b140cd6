import { describe, expect, it } from 'vitest';
import { classifyStoreError, isStoreOutage } from './store-errors.js';

/** Errors shaped as the AWS SDK throws them: `name` is S3's code, `$metadata` the status. */
const sdk = (name: string, status?: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
const socket = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

describe('classifyStoreError', () => {
  it('tells an outage from a missing object', () => {
    expect(classifyStoreError(socket('ECONNREFUSED'))).toBe('unreachable');
    expect(classifyStoreError(socket('ECONNRESET'))).toBe('unreachable');
    expect(classifyStoreError(sdk('TimeoutError'))).toBe('timeout');
    expect(classifyStoreError(sdk('InternalError', 500))).toBe('server');
    expect(classifyStoreError(sdk('SlowDown', 503))).toBe('server');
    expect(classifyStoreError(sdk('SignatureDoesNotMatch', 403))).toBe('denied');
    expect(classifyStoreError(sdk('Unknown', 403))).toBe('denied');
    expect(classifyStoreError(sdk('NoSuchBucket', 404))).toBe('denied');
    expect(classifyStoreError(sdk('NoSuchKey', 404))).toBe('not_found');
    expect(classifyStoreError(sdk('NotFound', 404))).toBe('not_found');
    expect(classifyStoreError(new Error('socket hang up'))).toBe('unreachable');
    expect(classifyStoreError(new Error('wrapped', { cause: socket('EPIPE') }))).toBe(
      'unreachable',
    );
    expect(classifyStoreError('a string')).toBe('other');
  });

  it('answers 503 for outages only: a missing object is not one', () => {
    expect(isStoreOutage('unreachable')).toBe(true);
    expect(isStoreOutage('timeout')).toBe(true);
    expect(isStoreOutage('denied')).toBe(true);
    expect(isStoreOutage('server')).toBe(true);
    expect(isStoreOutage('not_found')).toBe(false);
    expect(isStoreOutage('other')).toBe(false);
  });
});
