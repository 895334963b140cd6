import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKubeTarget } from './kube-access.js';

const IN_POD = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };

describe('loadKubeTarget', () => {
  it('in a pod: the API address from the environment, the namespace from the ServiceAccount', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-'));
    writeFileSync(join(dir, 'token'), 'token');
    writeFileSync(join(dir, 'namespace'), 'lateral-dev\n');
    expect(loadKubeTarget({ mode: 'in-cluster' }, IN_POD, dir)).toMatchObject({
      server: 'https://10.96.0.1:443',
      namespace: 'lateral-dev',
    });
  });

  it('says why in-cluster access cannot work instead of failing at the first request', () => {
    const empty = mkdtempSync(join(tmpdir(), 'sa-'));
    expect(() => loadKubeTarget({ mode: 'in-cluster' }, {}, empty)).toThrow(/not running in a pod/);
    expect(() => loadKubeTarget({ mode: 'in-cluster' }, IN_POD, empty)).toThrow(
      /no ServiceAccount token at .*\/token \(is automountServiceAccountToken false\?\)/,
    );
  });

  it('out of cluster: the kubeconfig context, and its namespace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kc-'));
    const path = join(dir, 'config');
    writeFileSync(
      path,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: 'https://k8s.example.test:6443' } }],
        users: [{ name: 'u', user: { token: 't' } }],
        contexts: [
          { name: 'dev', context: { cluster: 'c', user: 'u', namespace: 'lateral-dev' } },
          { name: 'prod', context: { cluster: 'c', user: 'u' } },
        ],
        'current-context': 'dev',
      }),
    );
    expect(loadKubeTarget({ mode: 'kubeconfig', path })).toMatchObject({
      namespace: 'lateral-dev',
    });
    expect(loadKubeTarget({ mode: 'kubeconfig', path, context: 'prod' }).namespace).toBe('default');
    expect(() => loadKubeTarget({ mode: 'kubeconfig', path, context: 'staging' })).toThrow(
      'kubeconfig has no context named "staging"',
    );
  });
});
