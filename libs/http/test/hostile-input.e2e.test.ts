import { Body, Controller, Get, Module, Param, Post } from '@nestjs/common';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ZodPipe,
  commonErrors,
  createServiceApp,
  safeText,
  singleLineText,
  type ServiceApp,
} from '@lateral/http';
import { createLogger, createMetrics } from '@lateral/observability';

const createThing = z.object({
  name: singleLineText().min(1).max(100),
  body: safeText().max(10_000).default(''),
});
const created: unknown[] = [];

@Controller('things')
class ThingsController {
  @Post()
  create(@Body(new ZodPipe(createThing)) body: z.infer<typeof createThing>) {
    created.push(body);
    return body;
  }

  @Get(':key')
  get(@Param('key') key: string) {
    return { key };
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

describe('the shared bootstrap refuses hostile input as 4xx JSON', () => {
  let app: ServiceApp;
  const metrics = createMetrics({ service: 'things', version: 't', gitSha: 'abc' });

  beforeAll(async () => {
    app = await createServiceApp(ThingsModule, {
      logger: createLogger({ service: 'things', level: 'silent' }),
      metrics,
      errors: commonErrors,
    });
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());

  it('answers NUL in a path segment or the query with 400 invalid_characters', async () => {
    for (const path of ['/things/a%00b', '/things/a?x=%00', '/things/x%2F%00']) {
      const res = await http().get(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.code).toBe('invalid_characters');
    }
  });

  it('answers NUL or control characters in a field with 400 invalid_characters and stores nothing', async () => {
    for (const body of [
      { name: 'a\u0000b' },
      { name: 'ok', body: 'line\u0000' },
      { name: 'ok', body: 'bell\u0007' },
      { name: 'c1\u0085' },
      { name: 'tab\tname' },
      { name: 'abc\u202egnp.exe' },
    ]) {
      const res = await http().post('/things').send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_characters');
    }
    expect(created).toEqual([]);
  });

  it('keeps tabs and line breaks in multi-line text and normalises names', async () => {
    const res = await http()
      .post('/things')
      .send({ name: ' ad\u200bmin\ufeff ', body: 'a\tb\r\nc' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ name: 'admin', body: 'a\tb\r\nc' });
  });

  it('answers deeply nested JSON with 400 malformed_json, not a stack overflow', async () => {
    for (const text of ['['.repeat(100_000), `{"name":${'['.repeat(65)}${']'.repeat(65)}}`]) {
      const res = await http().post('/things').set('content-type', 'application/json').send(text);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('malformed_json');
    }
    // Brackets inside strings do not count; 64 levels are fine.
    const fine = await http()
      .post('/things')
      .send({ name: '[[[[', body: JSON.stringify(JSON.parse('['.repeat(63) + ']'.repeat(63))) });
    expect(fine.status).toBe(201);
    const proto = await http()
      .post('/things')
      .set('content-type', 'application/json')
      .send('{"name":"x","__proto__":{"polluted":1}}');
    expect(proto.status).toBe(400);
  });

  it('routes a 120-character key and answers an over-long one with our JSON, no URL echo', async () => {
    const slug = 'a'.repeat(120);
    const ok = await http().get(`/things/${slug}`);
    expect(ok.status).toBe(200);
    expect(ok.body.key).toBe(slug);
    const encoded = await http().get(`/things/${'%C3%A9'.repeat(200)}`);
    expect(encoded.status).toBe(200);

    const long = 'b'.repeat(5000);
    const res = await http().get(`/things/${long}`);
    expect(res.status).toBe(414);
    expect(res.body).toEqual({
      error: { code: 'uri_too_long', message: 'The address is too long.' },
    });
    expect(res.text).not.toContain(long);
    // Counted like every other answer (the route is unknown, so the unmatched label).
    expect(await metrics.registry.metrics()).toMatch(/status_code="414"/);
  });
});
