import { setTimeout as sleep } from 'node:timers/promises';
import { type Readable } from 'node:stream';
import { IDENTITY_HEADER, STREAMED_BODY, signIdentity, type SignedBody } from '@lateral/identity';
import { currentRequestId } from '@lateral/observability';
import { Pool, type Dispatcher } from 'undici';
import { type SessionUser } from '../auth/current-user.js';
import { GatewayException } from '../errors/gateway-errors.js';
import { type GatewayMetrics } from '../gateway.metrics.js';
import {
  UpstreamResponseError,
  isRetryable,
  unavailable,
  type UpstreamName,
} from './upstream-errors.js';

export interface UpstreamOptions {
  name: UpstreamName;
  baseUrl: string;
  secret: string;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  connections: number;
  metrics: GatewayMetrics;
  /**
   * Told of every write sent (any method but GET/HEAD/OPTIONS) once it is answered or failed,
   * before the caller hears: the page-view cache drops what it may change.
   */
  afterWrite?: (method: string, path: string) => void;
}

export interface UpstreamRequest {
  method: Dispatcher.HttpMethod;
  /** Path with query, e.g. `/api/v1/notes?limit=20`. */
  path: string;
  /** Who the call is for; signed into `x-lateral-identity`. */
  caller: SessionUser | undefined;
  headers?: Record<string, string>;
  body?: string | Buffer | Readable | null;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface UpstreamResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
  /** Records the duration metric; call when the body has been consumed or abandoned. */
  done(): void;
}

/** Retries only idempotent calls, and only for connection failures: a timeout is not retried. */
const RETRY_DELAYS_MS = [50, 250];
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * One upstream service behind a keep-alive pool. Sockets idle for 30 s are closed on our side,
 * before the services' 65 s keep-alive, so we rarely write to a socket the server is closing.
 * A pool has no "down" state: after the service returns, the next request simply connects.
 */
export class UpstreamHttp {
  private readonly pool: Pool;

  constructor(private readonly options: UpstreamOptions) {
    this.pool = new Pool(new URL(options.baseUrl).origin, {
      connections: options.connections,
      pipelining: 1,
      connectTimeout: options.connectTimeoutMs,
      headersTimeout: options.headersTimeoutMs,
      bodyTimeout: options.bodyTimeoutMs,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 60_000,
    });
  }

  get name(): UpstreamName {
    return this.options.name;
  }

  /**
   * The identity is bound to this exact request: method, path with query as sent, and the body
   * bytes. A streamed body (uploads) cannot be hashed before it is sent; it is signed as streamed
   * and only media's upload route accepts that (see apps/media/src/auth/identity.guard.ts).
   */
  identityHeaders(
    caller: SessionUser | undefined,
    req: Pick<UpstreamRequest, 'method' | 'path' | 'body'>,
  ): Record<string, string> {
    const headers: Record<string, string> = {};
    const requestId = currentRequestId();
    if (requestId) headers['x-request-id'] = requestId;
    if (caller) {
      const body: SignedBody = isStream(req.body) ? STREAMED_BODY : (req.body as SignedBody);
      headers[IDENTITY_HEADER] = signIdentity(
        { userId: caller.id, name: caller.name, role: caller.role },
        this.options.secret,
        { method: req.method, path: req.path, body },
      );
    }
    return headers;
  }

  /** Sends a request; throws `upstream_unavailable`/`bad_gateway` when no answer comes. */
  async request(req: UpstreamRequest): Promise<UpstreamResponse> {
    if (this.options.afterWrite && !IDEMPOTENT.has(req.method)) {
      try {
        return await this.send(req);
      } finally {
        this.options.afterWrite(req.method, req.path);
      }
    }
    return this.send(req);
  }

  private async send(req: UpstreamRequest): Promise<UpstreamResponse> {
    const retries = IDEMPOTENT.has(req.method) && !isStream(req.body) ? RETRY_DELAYS_MS : [];
    const started = process.hrtime.bigint();
    const observe = (status: string) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.options.metrics.upstreamDuration.observe(
        { upstream: this.options.name, method: req.method, status_code: status },
        seconds,
      );
    };
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await this.pool.request({
          method: req.method,
          path: req.path,
          headers: { ...req.headers, ...this.identityHeaders(req.caller, req) },
          body: req.body ?? null,
          headersTimeout: req.headersTimeoutMs ?? this.options.headersTimeoutMs,
          bodyTimeout: req.bodyTimeoutMs ?? this.options.bodyTimeoutMs,
          signal: req.signal,
        });
        let recorded = false;
        return {
          statusCode: response.statusCode,
          headers: response.headers,
          body: response.body,
          done: () => {
            if (recorded) return;
            recorded = true;
            observe(String(response.statusCode));
          },
        };
      } catch (error) {
        // Our own refusal while streaming the body (the upload limit) keeps its meaning.
        const own = ownError(error);
        if (own) {
          observe('error');
          throw own;
        }
        const delay = retries[attempt];
        if (delay !== undefined && isRetryable(error) && !req.signal?.aborted) {
          await sleep(delay);
          continue;
        }
        observe('error');
        throw unavailable(this.options.name, error);
      }
    }
  }

  /** A JSON call for typed clients: 2xx → parsed body; an error answer → UpstreamResponseError. */
  async json<T>(req: UpstreamRequest & { json?: unknown }): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let body = req.body;
    if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    }
    const response = await this.request({ ...req, headers, body });
    try {
      const text = await response.body.text();
      const parsed: unknown = text ? safeJson(text) : undefined;
      if (response.statusCode >= 200 && response.statusCode < 300) {
        if (text && parsed === undefined)
          throw unavailable(this.options.name, new Error('not JSON'));
        return { status: response.statusCode, body: parsed as T };
      }
      const error = (parsed as { error?: { code?: unknown; message?: unknown } } | undefined)
        ?.error;
      throw new UpstreamResponseError(
        this.options.name,
        response.statusCode,
        typeof error?.code === 'string' ? error.code : `http_${response.statusCode}`,
        typeof error?.message === 'string'
          ? error.message
          : `The ${this.options.name} service answered ${response.statusCode}.`,
        parsed,
      );
    } catch (error) {
      if (error instanceof GatewayException) throw error;
      throw unavailable(this.options.name, error);
    } finally {
      response.done();
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

function ownError(error: unknown): GatewayException | undefined {
  if (error instanceof GatewayException) return error;
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  return cause instanceof GatewayException ? cause : undefined;
}

function isStream(body: unknown): boolean {
  return typeof (body as Readable | undefined)?.pipe === 'function';
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
