import { describe, expect, it } from 'vitest';
import { classifySourceError } from './source-error.js';

describe('classifySourceError', () => {
  it("passes on the API server's forbidden sentence, which names the user, verb and resource", () => {
    const body = JSON.stringify({
      kind: 'Status',
      message:
        'pods is forbidden: User "nobody" cannot list resource "pods" in API group "" in the namespace "wiki"',
      code: 403,
    });
    expect(classifySourceError('pods', 'wiki', { code: 403, body })).toEqual({
      state: 'forbidden',
      message:
        'pods is forbidden: User "nobody" cannot list resource "pods" in API group "" in the namespace "wiki"',
    });
    expect(classifySourceError('pods', 'wiki', { statusCode: 403, message: 'Forbidden' })).toEqual({
      state: 'forbidden',
      message: 'forbidden: cannot list/watch pods in namespace "wiki"',
    });
  });

  it('explains a missing Argo CD CRD, rejected credentials and an unreachable server', () => {
    expect(classifySourceError('applications', 'argocd', { code: 404 }).message).toMatch(
      /Application CRD .* not installed/,
    );
    expect(classifySourceError('pods', 'wiki', { code: 401 }).message).toMatch(
      /rejected the credentials/,
    );
    const refused = new TypeError('fetch failed', {
      cause: new Error('connect ECONNREFUSED 127.0.0.1:6443'),
    });
    expect(classifySourceError('pods', 'wiki', refused)).toEqual({
      state: 'unavailable',
      message: 'cannot reach the API server: fetch failed: connect ECONNREFUSED 127.0.0.1:6443',
    });
  });
});
