import { Body, Controller, Get, Module, Param, Post } from '@nestjs/common';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HealthModule, HealthService } from '@lateral/health';
import {
  DomainException,
  ZodPipe,
  createServiceApp,
  errorModel,
  type CommonErrorCode,
  type ServiceApp,
} from '@lateral/http';
import { createLogger, createMetrics } from '@lateral/observability';

class ThingsException extends DomainException<CommonErrorCode | 'thing_not_found'> {}

const createThing = z.object({ name: z.string().min(1) });

@Controller('things')
class ThingsController {
  @Post()
  create(@Body(new ZodPipe(createThing)) body: z.infer<typeof createThing>) {
    return { id: '1', ...body };
  }

  @Get(':id')
  get(@Param('id') id: string) {
    throw new ThingsException('thing_not_found', `No thing ${id}.`);
  }
}

@Module({ imports: [HealthModule], controllers: [ThingsController] })
class ThingsModule {}

describe('createServiceApp', () => {
  let app: ServiceApp;
  const metrics = createMetrics({ service: 'things', version: 't', gitSha: 'abc' });

  beforeAll(async () => {
    app = await createServiceApp(ThingsModule, {
      logger: createLogger({ service: 'things', level: 'silent' }),
      metrics,
      bodyLimit: 1024,
      errors: errorModel(ThingsException, { thing_not_found: 404 }),
    });
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());

  it('maps a domain exception to its status with a stable code and the request id', async () => {
    const res = await http().get('/things/42').set('x-request-id', 'req-abc');
    expect(res.status).toBe(404);
    expect(res.headers['x-request-id']).toBe('req-abc');
    expect(res.body).toEqual({
      error: { code: 'thing_not_found', message: 'No thing 42.', requestId: 'req-abc' },
    });
  });

  it('answers malformed JSON, invalid fields and oversized bodies with 4xx JSON', async () => {
    const malformed = await http()
      .post('/things')
      .set('content-type', 'application/json')
      .send('{"name":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('malformed_json');

    const invalid = await http().post('/things').send({ name: 42 });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('validation_failed');
    expect(invalid.body.error.details[0].path).toBe('name');

    const huge = await http()
      .post('/things')
      .send({ name: 'x'.repeat(5000) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');

    const unknownRoute = await http().get('/nope');
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.body.error.code).toBe('route_not_found');
  });

  it('records RED metrics by route template, including errors', async () => {
    await http().get('/things/7');
    const text = await metrics.registry.metrics();
    expect(text).toMatch(
      /http_server_request_duration_seconds_count\{[^}]*route="\/things\/:id",status_code="404"[^}]*\} [1-9]/,
    );
    expect(text).toMatch(/status_code="413"/);
    expect(text).toMatch(/lateral_build_info\{version="t",git_sha="abc"[^}]*\} 1/);
    expect(text).not.toMatch(/route="\/things\/7"/);
  });

  it('turns readiness to 503 while draining and keeps liveness green', async () => {
    expect((await http().get('/readyz')).status).toBe(200);
    app.get(HealthService).startDraining();
    const ready = await http().get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.shutdown).toBe('draining');
    expect((await http().get('/healthz')).status).toBe(200);
  });
});
