import { ConfigError, loadConfig } from '@lateral/config';
import { describe, expect, it } from 'vitest';
import { GatewayConfig, gatewayEnvSchema } from './gateway.config.js';

const BASE = {
  DATABASE_URL: 'postgres://u@h/gateway',
  NOTES_URL: 'http://notes:8081',
  MEDIA_URL: 'http://media:8082',
  PUBLIC_URL: 'https://wiki.example.com',
  SESSION_SECRET: 's'.repeat(40),
  LATERAL_INTERNAL_SECRET: 'i'.repeat(40),
};

const config = (env: Record<string, string>) =>
  new GatewayConfig(loadConfig(gatewayEnvSchema, { ...BASE, ...env }));

function problems(env: Record<string, string>): string[] {
  try {
    config(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.variable);
  }
  return [];
}

describe('gateway config: mail', () => {
  it('is off without SMTP_URL', () => {
    expect(config({}).smtp).toBeUndefined();
  });

  it('takes smtp:// and smtps:// with a sender; the timeout defaults to 10 s', () => {
    expect(
      config({ SMTP_URL: 'smtps://wiki:pw@mail.example.com:465', SMTP_FROM: 'Wiki <w@x.io>' }).smtp,
    ).toEqual({
      url: 'smtps://wiki:pw@mail.example.com:465',
      from: 'Wiki <w@x.io>',
      timeoutMs: 10_000,
    });
  });

  it('names SMTP_FROM when SMTP_URL comes without it, and refuses other URL schemes', () => {
    expect(problems({ SMTP_URL: 'smtp://mail.example.com' })).toEqual(['SMTP_FROM']);
    expect(problems({ SMTP_URL: 'https://mail.example.com', SMTP_FROM: 'w@x.io' })).toEqual([
      'SMTP_URL',
    ]);
  });
});
