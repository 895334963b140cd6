import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, env, loadConfig } from './index.js';

const schema = z.object({
  PORT: env.port().default(8081),
  DATABASE_URL: env.postgresUrl(),
  MAX_UPLOAD: env.bytes().default(50 * 1024 * 1024),
  DEBUG: env.boolean().default(false),
});

describe('loadConfig', () => {
  it('parses typed values and applies defaults', () => {
    const config = loadConfig(schema, {
      DATABASE_URL: 'postgres://u@h/db',
      MAX_UPLOAD: '2MiB',
      DEBUG: 'yes',
    });
    expect(config).toEqual({
      PORT: 8081,
      DATABASE_URL: 'postgres://u@h/db',
      MAX_UPLOAD: 2097152,
      DEBUG: true,
    });
  });

  it('names each missing or malformed variable', () => {
    const attempt = () => loadConfig(schema, { PORT: '99999', MAX_UPLOAD: 'lots' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const variables = (error as ConfigError).problems.map((p) => p.variable).sort();
      expect(variables).toEqual(['DATABASE_URL', 'MAX_UPLOAD', 'PORT']);
      expect((error as ConfigError).message).toMatch(/DATABASE_URL: is required/);
    }
  });

  it('treats an empty string as unset so defaults still apply', () => {
    expect(loadConfig(schema, { DATABASE_URL: 'postgresql://x/y', PORT: '' }).PORT).toBe(8081);
  });
});
