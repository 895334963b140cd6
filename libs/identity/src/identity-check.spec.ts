import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  IDENTITY_HEADER,
  STREAMED_BODY,
  installIdentityCheck,
  signIdentity,
  type Identity,
  type SignedBody,
} from './index.js';

const secret = 'a'.repeat(32);
const ada: Identity = { userId: 'u-1', name: 'Ada', role: 'editor' };
const reader: Identity = { ...ada, role: 'reader' };
const multipart = 'multipart/form-data; boundary=x';
const form = '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n';

async function service() {
  const app = Fastify();
  installIdentityCheck(app, {
    secret,
    streamedBodyRoutes: [{ method: 'POST', url: '/upload' }],
    unauthorized: (error) => Object.assign(new Error(error.message), { statusCode: 401 }),
    readerWrite: () => Object.assign(new Error('readers cannot write'), { statusCode: 403 }),
  });
  // Like @fastify/multipart: the parser leaves the body to the handler.
  app.addContentTypeParser('multipart/form-data', (_request, _payload, done) => done(null));
  const whoAmI = (request: { caller: unknown }) => request.caller;
  app.post('/upload', whoAmI);
  app.post('/notes', whoAmI);
  app.get('/healthz', () => 'ok');
  await app.ready();
  return app;
}

const send = (
  app: Awaited<ReturnType<typeof service>>,
  url: string,
  signed: SignedBody,
  contentType = 'application/json',
  who = ada,
) =>
  app.inject({
    method: 'POST',
    url,
    headers: {
      'content-type': contentType,
      [IDENTITY_HEADER]: signIdentity(who, secret, { method: 'POST', path: url, body: signed }),
    },
    payload: contentType === multipart ? form : '{"a":1}',
  });

describe('installIdentityCheck', () => {
  it('sets request.caller for a header signed for this body, and leaves the probes anonymous', async () => {
    const app = await service();
    const res = await send(app, '/notes', '{"a":1}');
    expect([res.statusCode, res.json()]).toEqual([200, ada]);
    expect((await send(app, '/notes', '{"a":2}')).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/notes', payload: {} })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('takes a "streamed" digest only for a multipart body on a streamed-body route', async () => {
    const app = await service();
    expect((await send(app, '/upload', STREAMED_BODY, multipart)).statusCode).toBe(200);
    expect((await send(app, '/notes', STREAMED_BODY, multipart)).statusCode).toBe(401);
    expect((await send(app, '/upload', STREAMED_BODY)).statusCode).toBe(401);
    expect((await send(app, '/upload', '{"a":1}')).statusCode).toBe(200);
  });

  it("refuses a reader's write before the body is read, when the app asks for it", async () => {
    const app = await service();
    expect((await send(app, '/notes', '{"a":1}', 'application/json', reader)).statusCode).toBe(403);
  });
});
