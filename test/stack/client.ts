import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { Agent, request, type Dispatcher } from 'undici';
import { BOOTSTRAP_TOKEN } from './stack.js';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json<T = Record<string, unknown>>(): T;
}

export interface NoteRef {
  id: string;
  slug: string;
  version: number;
}

/**
 * The public API through the gateway, as a script or an integration would call it: bearer
 * token, keep-alive connections (undici), an `x-request-id` per call when asked.
 */
export class WikiClient {
  readonly agent: Dispatcher;

  constructor(
    readonly baseUrl: string,
    readonly token = BOOTSTRAP_TOKEN,
    connections = 16,
  ) {
    this.agent = new Agent({ connections, keepAliveTimeout: 30_000 });
  }

  async call(
    method: Dispatcher.HttpMethod,
    path: string,
    options: { json?: unknown; body?: Buffer; contentType?: string; requestId?: string } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (options.requestId) headers['x-request-id'] = options.requestId;
    let body: string | Buffer | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.body) {
      headers['content-type'] = options.contentType ?? 'application/octet-stream';
      body = options.body;
    }
    const res = await request(`${this.baseUrl}${path}`, {
      method,
      headers,
      body,
      dispatcher: this.agent,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    const bytes = Buffer.from(await res.body.arrayBuffer());
    return {
      status: res.statusCode,
      headers: res.headers,
      body: bytes,
      json: <T>() => JSON.parse(bytes.toString('utf8')) as T,
    };
  }

  async createNote(title: string, body: string, tags: string[] = [], requestId?: string) {
    const res = await this.call('POST', '/api/v1/notes', {
      json: { title, body, tags },
      requestId,
    });
    expectStatus(res, 201, 'create note');
    return res.json<NoteRef>();
  }

  async updateNote(note: NoteRef, body: string): Promise<Reply> {
    return this.call('PUT', `/api/v1/notes/${note.id}`, {
      json: { body, version: note.version },
    });
  }

  async uploadImage(image: Buffer, requestId?: string): Promise<{ id: string }> {
    const res = await this.call('POST', '/api/v1/media', {
      ...multipart(image, 'image/png', 'photo.png'),
      requestId,
    });
    expectStatus(res, 201, 'upload image');
    return res.json<{ id: string }>();
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

export function expectStatus(res: Reply, status: number, what: string): void {
  if (res.status !== status)
    throw new Error(
      `${what}: expected ${status}, got ${res.status}: ${res.body.toString().slice(0, 300)}`,
    );
}

/** A small photo-like PNG (a gradient, so encoders have real work). */
export async function samplePng(width = 320, height = 240): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = (y * width + x) * 3;
      pixels[i] = (x * 255) / width;
      pixels[i + 1] = (y * 255) / height;
      pixels[i + 2] = ((x + y) * 127) / (width + height);
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** A multipart/form-data body with one `file` part, as a browser sends an upload. */
export function multipart(
  bytes: Buffer,
  type: string,
  filename: string,
): { body: Buffer; contentType: string } {
  const boundary = `----lateral${randomUUID()}`;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${filename}"\r\n` +
          `content-type: ${type}\r\n\r\n`,
      ),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}
