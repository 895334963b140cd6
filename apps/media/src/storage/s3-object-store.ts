import { Readable } from 'node:stream';
import type * as S3 from '@aws-sdk/client-s3';
import { type S3Settings } from '../media.config.js';

/** One object as listed or probed. */
export interface ObjectInfo {
  key: string;
  size: number;
  lastModified: Date;
}

/** An object's bytes as a stream (a range of them when asked), and how many will come. */
export interface ObjectRead {
  body: Readable;
  length: number;
}

/**
 * The S3 API calls media makes, on @aws-sdk/client-s3. The SDK is imported only when a bucket
 * is configured (it costs ~350 ms and ~25 MiB at boot), so the bytea default does not pay for it.
 * No metrics or error mapping here: {@link MediaStorage} wraps every call.
 */
export class S3ObjectStore {
  private constructor(
    private readonly sdk: typeof S3,
    private readonly client: S3.S3Client,
    readonly settings: S3Settings,
  ) {}

  static async connect(settings: S3Settings): Promise<S3ObjectStore> {
    const sdk = await import('@aws-sdk/client-s3');
    const client = new sdk.S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      // Undefined: the SDK's default chain (environment, web identity token file, ...).
      credentials: settings.credentials,
      // One retry: an outage should answer 503 quickly, not after the SDK's three attempts.
      maxAttempts: 2,
      requestHandler: {
        connectionTimeout: settings.timeoutMs,
        // Idle, not total: a 50 MB object may take longer than the budget to stream.
        socketTimeout: settings.timeoutMs,
      },
      // Flexible checksums (CRC32 trailers) are refused by several S3-compatible stores; media
      // checks the SHA-256 in the key itself where it matters (migration).
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    return new S3ObjectStore(sdk, client, settings);
  }

  /** Content addressing: a file's key is its SHA-256 (base64url, as in its ETag). */
  keyOf(hash: string): string {
    return `${this.settings.prefix}${hash}`;
  }

  /** The hash a key of ours names, or undefined for any other object under the prefix. */
  hashOf(key: string): string | undefined {
    if (!key.startsWith(this.settings.prefix)) return undefined;
    const hash = key.slice(this.settings.prefix.length);
    return /^[\w-]{43}$/.test(hash) ? hash : undefined;
  }

  async put(key: string, data: Buffer): Promise<void> {
    await this.client.send(
      new this.sdk.PutObjectCommand({
        Bucket: this.settings.bucket,
        Key: key,
        Body: data,
        ContentLength: data.length,
        ContentType: 'application/octet-stream',
      }),
    );
  }

  /** Streams an object, or the inclusive byte range of it, through the store's own range read. */
  async get(key: string, range?: { start: number; end: number }): Promise<ObjectRead> {
    const reply = await this.client.send(
      new this.sdk.GetObjectCommand({
        Bucket: this.settings.bucket,
        Key: key,
        Range: range ? `bytes=${range.start}-${range.end}` : undefined,
      }),
    );
    if (!(reply.Body instanceof Readable)) throw new Error('object store sent no body stream');
    return { body: reply.Body, length: reply.ContentLength ?? 0 };
  }

  /** Size and age of an object, or null when there is none. */
  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const reply = await this.client.send(
        new this.sdk.HeadObjectCommand({ Bucket: this.settings.bucket, Key: key }),
      );
      return {
        key,
        size: reply.ContentLength ?? 0,
        lastModified: reply.LastModified ?? new Date(0),
      };
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
        return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(
      new this.sdk.DeleteObjectCommand({ Bucket: this.settings.bucket, Key: key }),
    );
  }

  /** One page of the objects under the prefix (1,000 at most), and where the next one starts. */
  async list(
    continuation: string | undefined,
  ): Promise<{ objects: ObjectInfo[]; next: string | undefined }> {
    const reply = await this.client.send(
      new this.sdk.ListObjectsV2Command({
        Bucket: this.settings.bucket,
        Prefix: this.settings.prefix || undefined,
        ContinuationToken: continuation,
      }),
    );
    const objects = (reply.Contents ?? []).flatMap((o) =>
      o.Key ? [{ key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) }] : [],
    );
    return { objects, next: reply.IsTruncated ? reply.NextContinuationToken : undefined };
  }

  /**
   * The bucket exists and our credentials may use it (readiness). HEAD has no body, so a missing
   * bucket answers a bare 404, which would read as a missing object (lost data): it is named
   * `NoSuchBucket`, as S3 names it elsewhere, so it is classified and counted as the
   * configuration problem it is.
   */
  async checkBucket(): Promise<void> {
    try {
      await this.client.send(new this.sdk.HeadBucketCommand({ Bucket: this.settings.bucket }));
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
        throw Object.assign(
          new Error(`bucket ${this.settings.bucket} not found`, { cause: error }),
          {
            name: 'NoSuchBucket',
          },
        );
      throw error;
    }
  }

  close(): void {
    this.client.destroy();
  }
}
