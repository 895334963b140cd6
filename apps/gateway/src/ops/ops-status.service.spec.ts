import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Logger } from '@lateral/observability';
import { describe, expect, it } from 'vitest';
import { type GatewayConfig, type OpsConfig } from '../gateway.config.js';
import { opsLiveView } from '../web/pages/ops.view.js';
import { OPS_STARTING_MESSAGE, type OpsState, OpsStatusService } from './ops-status.service.js';

function service(ops: Partial<OpsConfig>) {
  const warnings: string[] = [];
  const logger = {
    info: () => undefined,
    warn: (_: unknown, msg: string) => warnings.push(msg),
  } as unknown as Logger;
  const config = {
    ops: {
      argoCdNamespace: 'argocd',
      namespace: undefined,
      applicationSelector: undefined,
      ...ops,
    },
  } as unknown as GatewayConfig;
  return { warnings, ops: new OpsStatusService(config, logger) };
}

/** Waits for the Kubernetes client to load (an import() after start-up). */
async function settled(ops: OpsStatusService): Promise<OpsState> {
  for (let i = 0; i < 200 && (ops.state() as { starting?: true }).starting; i++) {
    await new Promise((r) => setTimeout(r, 25));
  }
  return ops.state();
}

const livePanel = (state: OpsState) => {
  const view = opsLiveView(state, new Date());
  return view.kind === 'partial' ? String(view.body) : '';
};

describe('OpsStatusService', () => {
  it('is off without access, and nothing is loaded', async () => {
    const { ops } = service({ access: undefined });
    ops.onModuleInit();
    expect(ops.state()).toMatchObject({ enabled: false });
    await ops.onModuleDestroy();
  });

  it('says it is starting while the Kubernetes client loads, and the page keeps polling', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ops-'));
    const kubeconfig = join(dir, 'config');
    // Nothing listens on port 1: the watches fail, the snapshot says so.
    writeFileSync(
      kubeconfig,
      `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: 'https://127.0.0.1:1' } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u, namespace: wiki } }]
current-context: x
`,
    );
    const { ops } = service({ access: { mode: 'kubeconfig', path: kubeconfig } });
    ops.onModuleInit();
    const starting = ops.state();
    expect(starting).toEqual({
      enabled: true,
      starting: true,
      message: OPS_STARTING_MESSAGE,
      snapshot: null,
    });
    expect(livePanel(starting)).toContain('hx-trigger="every');
    expect(livePanel(starting)).toContain('class="alert info"');

    const loaded = await settled(ops);
    expect(loaded).toMatchObject({ enabled: true, snapshot: { namespace: 'wiki' } });
    await ops.onModuleDestroy();
  });

  it('says why when the credentials cannot be loaded, and stops polling', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'ops-')), 'no-such-config');
    const { ops, warnings } = service({ access: { mode: 'kubeconfig', path: missing } });
    ops.onModuleInit();
    const state = await settled(ops);
    expect(state).toEqual({
      enabled: true,
      message: expect.stringMatching(/^cannot load Kubernetes credentials \(kubeconfig\): /),
      snapshot: null,
    });
    expect(warnings).toEqual([(state as { message: string }).message]);
    expect(livePanel(state)).not.toContain('hx-trigger');
    await ops.onModuleDestroy();
  });
});
