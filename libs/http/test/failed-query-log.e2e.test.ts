import { Writable } from 'node:stream';
import { Controller, Get, Module, Param } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { commonErrors, createServiceApp, type ServiceApp } from '@lateral/http';
import { createLogger, createMetrics } from '@lateral/observability';
import { createTestDatabase, type TestDatabase } from '@lateral/testing';

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';
const EMAIL = 'victim@example.com';
let dataSource: DataSource;

/** Real failed queries: PostgreSQL echoes values in its message and detail, TypeORM keeps the parameters. */
@Controller('fail')
class FailingController {
  @Get('cast/:value')
  async cast(@Param('value') value: string): Promise<unknown> {
    return dataSource.query<unknown>('SELECT $1::uuid AS id, $2::text AS hash', [value, HASH]);
  }

  @Get('unique')
  async unique() {
    await dataSource.query('INSERT INTO people (email, password_hash) VALUES ($1, $2)', [
      EMAIL,
      HASH,
    ]);
    return { ok: true };
  }
}

@Module({ controllers: [FailingController] })
class FailingModule {}

describe('a failed query answers 500 and logs no values', () => {
  let db: TestDatabase;
  let app: ServiceApp;
  const lines: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(inject('postgresAdminUrl'), 'failedquery');
    dataSource = new DataSource({ type: 'postgres', url: db.url });
    await dataSource.initialize();
    await dataSource.query(
      'CREATE TABLE people (email text CONSTRAINT people_email_key UNIQUE, password_hash text)',
    );
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    app = await createServiceApp(FailingModule, {
      logger: createLogger({ service: 'failing', level: 'info' }, sink),
      metrics: createMetrics({ service: 'failing', version: 't', gitSha: 'abc' }),
      errors: commonErrors,
    });
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app?.close();
    await dataSource?.destroy();
    await db?.drop();
  });

  it('keeps the code, constraint and table; drops parameters, detail and echoed values', async () => {
    expect((await request(app.getHttpServer()).get('/fail/unique')).status).toBe(200);
    const duplicate = await request(app.getHttpServer()).get('/fail/unique');
    expect(duplicate.status).toBe(500);
    const cast = await request(app.getHttpServer()).get(`/fail/cast/${EMAIL}`);
    expect(cast.status).toBe(500);
    expect(cast.text).not.toContain(EMAIL);

    const errors = lines.filter((line) => line.includes('"unhandled error"'));
    expect(errors).toHaveLength(2);
    for (const line of errors) {
      expect(line).not.toContain(EMAIL);
      expect(line).not.toContain('argon2');
      expect(line).not.toContain('parameters');
    }
    const [unique, invalid] = errors.map((line) => JSON.parse(line) as { err: object });
    expect(unique!.err).toMatchObject({
      type: 'QueryFailedError',
      code: '23505',
      constraint: 'people_email_key',
      table: 'people',
    });
    expect(invalid!.err).toMatchObject({
      code: '22P02',
      message: 'invalid input syntax for type uuid: [redacted]',
    });
  });
});
