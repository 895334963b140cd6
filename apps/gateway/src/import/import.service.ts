import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { Injectable } from '@nestjs/common';
import { QueueFullError, WorkQueue } from '@lateral/work';
import { type SessionUser } from '../auth/current-user.js';
import { GatewayException } from '../errors/gateway-errors.js';
import { GatewayConfig } from '../gateway.config.js';
import { MediaClient } from '../upstream/media.client.js';
import { type MediaItem } from '../upstream/media.types.js';
import { NotesClient } from '../upstream/notes.client.js';
import { UpstreamResponseError } from '../upstream/upstream-errors.js';
import {
  imageContentType,
  isImagePath,
  isMarkdownPath,
  planImport,
  rewriteBody,
  type ExportFile,
} from './notion-export.js';
import { readZip, type ArchiveContents } from './zip-archive.js';

export interface ImportedNote {
  id: string;
  slug: string;
  title: string;
  path: string;
  /** False when this export was imported before and notes returned the existing page. */
  created: boolean;
}

export interface ImportedMedia extends MediaItem {
  path: string;
  url: string;
}

export interface ImportResult {
  notes: ImportedNote[];
  media: ImportedMedia[];
  /** Parts that could not be imported (an unsupported image, a page notes refused). */
  errors: { path: string; code: string; message: string }[];
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** Imports of one page that were each trashed again; past this the import of that page fails. */
const MAX_TRASHED_HOPS = 5;

/** Seconds a client is told to wait when every import slot and the waiting line are taken. */
const IMPORT_RETRY_AFTER_SECONDS = 5;

const isZip = (data: Buffer) => ZIP_MAGIC.every((byte, i) => data[i] === byte);
const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * The key notes finds an earlier import by (it answers the existing page instead of a new one).
 * Always scoped to the importer: another person's `x.md` or export is their own page, never a
 * page someone else imported. A single file is keyed by its exact content, not its name: new
 * content under the same name is a new page, the same bytes again are the same page. A page of
 * an export keeps its stable path within the export, so re-importing the export finds it.
 */
export function importKeyOf(
  caller: SessionUser | undefined,
  source: { content: Buffer } | { page: { importKey: string } },
): string {
  const what =
    'content' in source ? `content:${sha256Hex(source.content)}` : `path:${source.page.importKey}`;
  return sha256Hex(`lateral-import:v2:${caller?.id ?? 'anonymous'}:${what}`);
}

/** The URL form the web UI renders with srcset and reserved dimensions. */
export function mediaUrl(item: MediaItem): string {
  const hint = item.width && item.height ? `#w=${item.width}&h=${item.height}` : '';
  return `/api/v1/media/${encodeURIComponent(item.id)}${hint}`;
}

/** Imports a markdown file or a Notion export: images go to media, pages to notes. */
@Injectable()
export class ImportService {
  /**
   * Imports at once, with a short waiting line: each one holds its archive and everything it
   * unpacked (up to IMPORT_MAX_UNCOMPRESSED_BYTES) until its pages are stored, so more at once
   * only multiplies memory. No per-job budget: imports have their own unpack budget and
   * upstream timeouts.
   */
  private readonly queue: WorkQueue;

  constructor(
    private readonly notes: NotesClient,
    private readonly media: MediaClient,
    private readonly config: GatewayConfig,
  ) {
    this.queue = new WorkQueue({
      concurrency: config.limits.importConcurrency,
      capacity: config.limits.importQueueCapacity,
    });
  }

  /** One import at a time per slot (IMPORT_CONCURRENCY); a full waiting line answers 503. */
  async import(
    file: { filename: string; data: Buffer },
    caller: SessionUser | undefined,
  ): Promise<ImportResult> {
    try {
      return await this.queue.run(() => this.run(file, caller));
    } catch (error) {
      if (error instanceof QueueFullError) {
        throw new GatewayException(
          'service_unavailable',
          'Too many imports are running. Try again in a moment.',
          undefined,
          { 'retry-after': String(IMPORT_RETRY_AFTER_SECONDS) },
        );
      }
      throw error;
    }
  }

  private async run(
    file: { filename: string; data: Buffer },
    caller: SessionUser | undefined,
  ): Promise<ImportResult> {
    const { files, oversized } = await this.filesOf(file);
    const plan = planImport(files);
    if (plan.pages.length === 0) {
      if (oversized[0]) throw tooLargePart(oversized[0]);
      throw new GatewayException('import_invalid', 'No markdown pages were found to import.');
    }
    const result: ImportResult = { notes: [], media: [], errors: [] };
    for (const part of oversized) {
      result.errors.push({
        path: part.path,
        code: 'import_too_large',
        message: tooLargePart(part).message,
      });
    }
    const urls = new Map<string, string>();
    for (const [path, image] of plan.images) {
      try {
        const item = await this.media.uploadMedia(
          Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength),
          posix.basename(path),
          imageContentType(path),
          caller,
        );
        urls.set(path, mediaUrl(item));
        result.media.push({ ...item, path, url: mediaUrl(item) });
      } catch (error) {
        result.errors.push(this.partError(path, error));
      }
    }
    const titles = new Map(plan.pages.map((p) => [p.path, p.title]));
    const single = !isZip(file.data);
    for (const page of plan.pages) {
      try {
        const input = {
          title: page.title,
          body: rewriteBody(page, titles, urls),
          tags: page.tags,
          importKey: importKeyOf(caller, single ? { content: file.data } : { page }),
          ...(page.createdAt ? { createdAt: page.createdAt } : {}),
        };
        let { note, created } = await this.notes.createOrFind(input, caller);
        // A page in the trash is never handed back: the next key in its line makes a new page,
        // and the same import after that finds that page (idempotent again).
        for (let hop = 0; !created && note.deletedAt && hop < MAX_TRASHED_HOPS; hop++) {
          input.importKey = sha256Hex(`${input.importKey}:after-trashed:${note.id}`);
          ({ note, created } = await this.notes.createOrFind(input, caller));
        }
        if (!created && note.deletedAt) {
          throw new GatewayException(
            'import_invalid',
            'This page was imported and trashed too often.',
          );
        }
        result.notes.push({
          id: note.id,
          slug: note.slug,
          title: note.title,
          path: page.path,
          created,
        });
      } catch (error) {
        result.errors.push(this.partError(page.path, error));
      }
    }
    return result;
  }

  private async filesOf(file: { filename: string; data: Buffer }): Promise<ArchiveContents> {
    const name = file.filename || 'import.md';
    const { importPageBytes, mediaUploadBytes } = this.config.limits;
    if (isZip(file.data)) {
      return readZip(
        file.data,
        {
          maxUncompressedBytes: this.config.limits.importUncompressedBytes,
          maxFiles: this.config.limits.importFiles,
          timeoutMs: this.config.limits.importUnzipTimeoutMs,
        },
        (path) =>
          isMarkdownPath(path) ? importPageBytes : isImagePath(path) ? mediaUploadBytes : undefined,
      );
    }
    if (isMarkdownPath(name) || name.toLowerCase().endsWith('.txt')) {
      const path = posix.basename(name.replace(/\\/g, '/'));
      const page: ExportFile = { path, data: file.data };
      if (file.data.length > importPageBytes) {
        throw tooLargePart({ path, bytes: file.data.length, maxBytes: importPageBytes });
      }
      return { files: [page], oversized: [] };
    }
    throw new GatewayException(
      'import_invalid',
      'Upload a markdown file (.md) or a Notion export (.zip).',
    );
  }

  /** Upstream outages abort the import (nothing sensible to report per part); the rest is per part. */
  private partError(path: string, error: unknown): ImportResult['errors'][number] {
    if (error instanceof UpstreamResponseError) {
      return { path, code: error.upstreamCode, message: error.message };
    }
    throw error;
  }
}

function tooLargePart(part: ArchiveContents['oversized'][number]): GatewayException {
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return new GatewayException(
    'import_too_large',
    `${part.path} is ${mib(part.bytes)}; files up to ${mib(part.maxBytes)} can be imported.`,
  );
}
