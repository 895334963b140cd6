import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { Injectable } from '@nestjs/common';

export type AssetName = 'app.css' | 'app.js' | 'htmx.js' | 'favicon.svg' | 'favicon.ico';

export interface Asset {
  /** The hashed file name the page links to, e.g. `app.3f9c0a1b2c.css`. */
  file: string;
  contentType: string;
  etag: string;
  body: Buffer;
  gzip: Buffer;
  brotli: Buffer;
}

const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
};

/** Our own files live beside the sources; the built app (dist/web/render) finds them in src. */
function assetsDir(): string {
  const candidates = [
    new URL('../assets/', import.meta.url),
    new URL('../../../src/web/assets/', import.meta.url),
  ];
  for (const url of candidates) {
    const dir = fileURLToPath(url);
    if (existsSync(`${dir}app.css`)) return dir;
  }
  throw new Error(
    `web assets not found (looked in ${candidates.map((c) => fileURLToPath(c)).join(', ')})`,
  );
}

function load(name: string, path: string): Asset {
  const body = readFileSync(path);
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const dot = name.lastIndexOf('.');
  const ext = name.slice(dot + 1);
  return {
    file: `${name.slice(0, dot)}.${hash}.${ext}`,
    contentType: TYPES[ext] ?? 'application/octet-stream',
    etag: `"${hash}"`,
    body,
    gzip: gzipSync(body, { level: 9 }),
    brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
  };
}

/**
 * The stylesheet, scripts and icons, read and compressed once at boot. URLs carry a content hash, so
 * they are cached forever and a deploy changes them.
 */
@Injectable()
export class AssetRegistry {
  private readonly byName = new Map<string, Asset>();
  private readonly byFile = new Map<string, Asset>();

  constructor() {
    const dir = assetsDir();
    const require = createRequire(import.meta.url);
    const sources: Record<string, string> = {
      'app.css': `${dir}app.css`,
      'app.js': `${dir}app.js`,
      'favicon.svg': `${dir}favicon.svg`,
      'favicon.ico': `${dir}favicon.ico`,
      'htmx.js': require.resolve('htmx.org/dist/htmx.min.js'),
    };
    for (const [name, path] of Object.entries(sources)) {
      const asset = load(name, path);
      this.byName.set(name, asset);
      this.byFile.set(asset.file, asset);
    }
  }

  /** `/assets/app.<hash>.css` for `app.css`. */
  url(name: AssetName): string {
    return `/assets/${this.named(name).file}`;
  }

  /** An asset by its plain name (`/favicon.ico` is served under its well-known path too). */
  named(name: AssetName): Asset {
    const asset = this.byName.get(name);
    if (!asset) throw new Error(`unknown asset ${name}`);
    return asset;
  }

  find(file: string): Asset | undefined {
    return this.byFile.get(file);
  }
}
