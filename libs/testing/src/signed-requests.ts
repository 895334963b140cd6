import { IDENTITY_HEADER, STREAMED_BODY, signIdentity, type Identity } from '@lateral/identity';
import request from 'supertest';

interface OutgoingTest {
  method: string;
  req: { path: string; getHeader(name: string): unknown; setHeader(name: string, v: string): void };
  _data?: unknown;
  _formData?: unknown;
}

/**
 * Signs supertest requests to notes or media as the gateway does: for the caller, the method,
 * the path with its query and the body digest (a multipart form is a streamed body). A test
 * asks for `header(who)` before it knows the request, so the header is a placeholder that
 * `request(server)` re-signs once supertest has built the request; a header a test tampered
 * with is no placeholder and is sent as it is.
 */
export class IdentitySigner {
  private readonly placeholders = new Map<string, Identity>();

  constructor(private readonly secret: string) {}

  /** The header the gateway would send for `who` (signed for the actual request when sent). */
  header(who: Identity): Record<string, string> {
    const placeholder = signIdentity(who, this.secret, { method: 'GET', path: '/' });
    this.placeholders.set(placeholder, who);
    return { [IDENTITY_HEADER]: placeholder };
  }

  /** supertest for `server`, re-signing placeholder identity headers as each request is sent. */
  request(server: Parameters<typeof request>[0]): ReturnType<typeof request> {
    const agent = request(server);
    const resign = (test: OutgoingTest) => this.resign(test);
    return new Proxy(agent, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const test = (value as (...a: unknown[]) => unknown).apply(target, args);
          if (test instanceof request.Test) test.on('request', resign);
          return test;
        };
      },
    });
  }

  private resign(test: OutgoingTest): void {
    const header = test.req.getHeader(IDENTITY_HEADER);
    const who = typeof header === 'string' ? this.placeholders.get(header) : undefined;
    if (!who) return;
    const data = test._data;
    const body = test._formData
      ? STREAMED_BODY
      : typeof data === 'string' || Buffer.isBuffer(data)
        ? data
        : data === undefined
          ? null
          : JSON.stringify(data);
    test.req.setHeader(
      IDENTITY_HEADER,
      signIdentity(who, this.secret, { method: test.method, path: test.req.path, body }),
    );
  }
}
