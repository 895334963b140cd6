import { type Readable } from 'node:stream';
import { type UploadedBefore } from '@lateral/contracts';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { type SessionUser } from '../auth/current-user.js';
import { currentCaller } from '../auth/caller-context.js';
import { GatewayConfig } from '../gateway.config.js';
import { type MediaItem } from './media.types.js';
import { multipartFile } from './multipart-body.js';
import { forward } from './proxy.js';
import { UpstreamResponseError } from './upstream-errors.js';
import { type UpstreamHttp } from './upstream-http.js';

const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** Typed calls to the media service, plus the streaming proxy for `/api/v1/media*`. */
export class MediaClient {
  constructor(
    private readonly http: UpstreamHttp,
    private readonly config: GatewayConfig,
  ) {}

  /** Streams an image to media (multipart `file`); answers what media stored. */
  async uploadMedia(
    data: Buffer | Readable,
    filename: string,
    contentType: string,
    caller?: SessionUser,
  ): Promise<MediaItem> {
    const part = multipartFile(data, filename, contentType);
    const headers: Record<string, string> = { 'content-type': part.contentType };
    if (part.length !== undefined) headers['content-length'] = String(part.length);
    const res = await this.http.json<MediaItem>({
      method: 'POST',
      path: '/api/v1/media',
      caller: caller ?? currentCaller(),
      headers,
      body: part.body,
      headersTimeoutMs: this.config.upstream.mediaTimeoutMs,
    });
    return res.body;
  }

  /** Media metadata (dimensions, variants, placeholder) as JSON. */
  async getMedia(id: string, caller?: SessionUser): Promise<MediaItem> {
    const res = await this.http.json<MediaItem>({
      method: 'GET',
      path: `/api/v1/media/${encodeURIComponent(id)}/meta`,
      caller: caller ?? currentCaller(),
    });
    return res.body;
  }

  /** Images uploaded before `before`, in id order after `after` (admins; for the collection). */
  async uploadedBefore(
    before: Date,
    after: string,
    limit: number,
    caller: SessionUser,
  ): Promise<UploadedBefore> {
    const query = new URLSearchParams({
      before: before.toISOString(),
      after,
      limit: String(limit),
    });
    const res = await this.http.json<UploadedBefore>({
      method: 'GET',
      path: `/api/v1/media-collection/uploaded-before?${query.toString()}`,
      caller,
    });
    return res.body;
  }

  /** Deletes an image (admins); false when media has no such image (already gone). */
  async deleteMedia(id: string, caller: SessionUser): Promise<boolean> {
    try {
      await this.http.json({
        method: 'DELETE',
        path: `/api/v1/media/${encodeURIComponent(id)}`,
        caller,
      });
      return true;
    } catch (error) {
      // Media's own answer for an image it does not have, not any 404 (a route it lacks).
      if (error instanceof UpstreamResponseError && error.upstreamCode === 'media_not_found')
        return false;
      throw error;
    }
  }

  forward(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    return forward(this.http, request, reply, {
      caller: request.lateralAuth?.user,
      // Room for the multipart framing around a file of the largest size media accepts.
      maxBodyBytes: this.config.limits.mediaUploadBytes + MULTIPART_OVERHEAD_BYTES,
      headersTimeoutMs: request.method === 'POST' ? this.config.upstream.mediaTimeoutMs : undefined,
      privateCache: true,
    });
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
