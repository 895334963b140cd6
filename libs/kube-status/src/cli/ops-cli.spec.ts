import { describe, expect, it } from 'vitest';
import { EXIT, parseDuration, runOpsCli } from './ops-cli.js';

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runOpsCli(args, { env: {}, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('npm run ops', () => {
  it('exits 2 with the usage for a missing or unknown command or a bad flag', async () => {
    for (const args of [[], ['deploy'], ['status', '--bogus']]) {
      const result = await run(args);
      expect(result.code).toBe(EXIT.usage);
      expect(result.err).toContain('Usage: npm run ops -- <command>');
    }
  });

  it('exits 2 when wait has no revision or an unreadable timeout', async () => {
    expect((await run(['wait'])).err).toMatch(/^wait needs --revision <sha>/);
    expect((await run(['wait', '--revision', 'abc1234', '--timeout', 'soon'])).code).toBe(
      EXIT.usage,
    );
  });

  it('exits 3 naming the problem when the kubeconfig cannot be loaded', async () => {
    const result = await run(['status', '--kubeconfig', '/nonexistent/kubeconfig']);
    expect(result.code).toBe(EXIT.unavailable);
    expect(result.err).toMatch(/^cannot load Kubernetes credentials: .*\/nonexistent\/kubeconfig/);
  });

  it('exits 3 when asked to use a ServiceAccount outside a pod', async () => {
    const result = await run(['wait', '--in-cluster', '--revision', 'abc1234']);
    expect(result.code).toBe(EXIT.unavailable);
    expect(result.err).toBe(
      'cannot load Kubernetes credentials: not running in a pod: KUBERNETES_SERVICE_HOST/PORT are not set',
    );
  });

  it('prints the usage with exit 0 on --help', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(EXIT.ok);
    expect(result.out).toContain('Exit codes: 0 ok, 1 wait timed out');
  });
});

describe('parseDuration', () => {
  it('reads seconds, minutes, hours and milliseconds', () => {
    expect([
      parseDuration('90'),
      parseDuration('90s'),
      parseDuration('10m'),
      parseDuration('1h'),
      parseDuration('1500ms'),
    ]).toEqual([90_000, 90_000, 600_000, 3_600_000, 1500]);
    expect(parseDuration('ten minutes')).toBeUndefined();
  });
});
