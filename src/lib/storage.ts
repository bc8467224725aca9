import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type * as S3Sdk from '@aws-sdk/client-s3';

/**
 * Where files live: local disk under DATA_DIR by default, or an S3-compatible bucket.
 * Keys are relative paths such as `transcripts/<meeting>/<id>.vtt`.
 * Every method rejects a key that is empty, starts with `/` or has a `..` segment with `StorageKeyError`.
 */
export interface Storage {
  /** Creates or replaces the file. `contentType` is kept by S3 only. */
  put(key: string, content: string | Buffer, options?: { contentType?: string }): Promise<void>;
  /** @throws StorageNotFoundError when nothing is stored under the key. */
  get(key: string): Promise<Buffer>;
  /**
   * The file as a stream, read as it is consumed (a large file is never held whole). Resolves
   * once the file is open, so a missing file rejects here and not midway through the stream.
   * @throws StorageNotFoundError when nothing is stored under the key.
   */
  getStream(key: string): Promise<Readable>;
  exists(key: string): Promise<boolean>;
  /** Idempotent: deleting a missing key succeeds. */
  delete(key: string): Promise<void>;
  /** Every stored file (a page at a time underneath), with when it was last written. */
  list(): AsyncIterable<StoredFile>;
}

export interface StoredFile {
  key: string;
  modifiedAt: Date;
}

export class StorageNotFoundError extends Error {
  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`no stored file under ${key}`, options);
    this.name = 'StorageNotFoundError';
  }
}

export class StorageKeyError extends Error {
  constructor(readonly key: string) {
    super(`unsafe storage key: ${JSON.stringify(key)}`);
    this.name = 'StorageKeyError';
  }
}

function assertSafeKey(key: string): void {
  const segments = key.split(/[\\/]/);
  if (key === '' || key.startsWith('/') || segments.includes('..')) throw new StorageKeyError(key);
}

/** Where files go: under DATA_DIR, or in an S3 bucket (STORAGE_TYPE and AWS_* in the configuration). */
export interface StorageSettings {
  type: 'local' | 's3';
  s3: Omit<S3StorageOptions, 'bucket'> & { bucket?: string };
}

export function createStorage(config: StorageSettings, dataDir: string): Storage {
  if (config.type === 'local') return createLocalStorage(path.join(dataDir, 'files'));
  const { bucket, ...s3 } = config.s3;
  if (!bucket) throw new Error('storage type s3 needs a bucket (AWS_S3_BUCKET)');
  return createS3Storage({ bucket, ...s3 });
}

// A directory or a file in place of a parent folder means no file under that key, as on S3.
const missingFileCodes = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);
const isMissingFile = (error: unknown) => missingFileCodes.has((error as NodeJS.ErrnoException).code ?? '');

export function createLocalStorage(rootDir: string): Storage {
  const root = path.resolve(rootDir);
  const pathOf = (key: string) => {
    assertSafeKey(key);
    const full = path.resolve(root, key);
    if (!full.startsWith(root + path.sep)) throw new StorageKeyError(key);
    return full;
  };
  return {
    async put(key, content) {
      const full = pathOf(key);
      await fs.mkdir(path.dirname(full), { recursive: true });
      const partial = `${full}.${process.pid}.${randomUUID()}.partial`;
      try {
        await fs.writeFile(partial, content);
        await fs.rename(partial, full); // readers never see half a file
      } catch (error) {
        await fs.rm(partial, { force: true });
        throw error;
      }
    },
    async get(key) {
      const full = pathOf(key);
      return fs.readFile(full).catch((error: unknown) => {
        throw isMissingFile(error) ? new StorageNotFoundError(key, { cause: error }) : error;
      });
    },
    async getStream(key) {
      const full = pathOf(key);
      // Opened first: a missing file rejects now; once open, a file deleted meanwhile still reads whole.
      const handle = await fs.open(full).catch((error: unknown) => {
        throw isMissingFile(error) ? new StorageNotFoundError(key, { cause: error }) : error;
      });
      return handle.createReadStream(); // closes the handle at its end or on an error
    },
    async exists(key) {
      const full = pathOf(key);
      try {
        return (await fs.stat(full)).isFile();
      } catch (error) {
        if (isMissingFile(error)) return false;
        throw error;
      }
    },
    async delete(key) {
      const full = pathOf(key);
      await fs.unlink(full).catch((error: unknown) => {
        if (!isMissingFile(error)) throw error;
      });
    },
    async *list() {
      const entries = await fs.readdir(root, { recursive: true, withFileTypes: true }).catch((error: unknown) => {
        if (isMissingFile(error)) return [];
        throw error;
      });
      for (const entry of entries) {
        if (!entry.isFile()) continue;
        const full = path.join(entry.parentPath, entry.name);
        const stats = await fs.stat(full).catch(() => undefined); // deleted meanwhile
        if (stats) yield { key: path.relative(root, full).split(path.sep).join('/'), modifiedAt: stats.mtime };
      }
    },
  };
}

export interface S3StorageOptions {
  bucket: string;
  region: string;
  /** Without both keys the SDK's default credential chain applies (environment, IAM role). */
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  /** For S3-compatible servers (MinIO, R2, s3rver); AWS S3 when absent. */
  endpoint?: string | undefined;
  forcePathStyle?: boolean | undefined;
  /** Prepended to every key, e.g. `atas/` to share a bucket. */
  prefix?: string | undefined;
  maxAttempts?: number;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/** The AWS SDK (~35 MB) is loaded only by a process that stores files on S3. */
export function createS3Storage(options: S3StorageOptions): Storage {
  const { accessKeyId, secretAccessKey } = options;
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) throw new Error('S3 storage needs both accessKeyId and secretAccessKey, or neither');
  const loading = import('@aws-sdk/client-s3').then((sdk) => ({ sdk, client: createS3Client(sdk, options) }));
  const { bucket, prefix = '' } = options;
  const objectKey = (key: string) => {
    assertSafeKey(key);
    return prefix + key;
  };
  return {
    async put(key, content, putOptions) {
      const { sdk, client } = await loading;
      const Body = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      await client.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: objectKey(key), Body, ContentType: putOptions?.contentType }));
    },
    async get(key) {
      const { sdk, client } = await loading;
      const response = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: objectKey(key) })).catch((error: unknown) => {
        throw isMissingObject(sdk, error) ? new StorageNotFoundError(key, { cause: error }) : error;
      });
      const bytes = await response.Body?.transformToByteArray();
      return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : Buffer.alloc(0);
    },
    async getStream(key) {
      const { sdk, client } = await loading;
      const response = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: objectKey(key) })).catch((error: unknown) => {
        throw isMissingObject(sdk, error) ? new StorageNotFoundError(key, { cause: error }) : error;
      });
      // In Node the body is the HTTP response itself, a Readable, read as it is consumed.
      const body = response.Body as Readable | undefined;
      return body ?? Readable.from([]);
    },
    async exists(key) {
      const { sdk, client } = await loading;
      try {
        await client.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
        return true;
      } catch (error) {
        if (isMissingObject(sdk, error)) return false;
        throw error;
      }
    },
    async delete(key) {
      const { sdk, client } = await loading;
      await client.send(new sdk.DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
    },
    async *list() {
      const { sdk, client } = await loading;
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken }));
        for (const object of page.Contents ?? []) {
          if (object.Key) yield { key: object.Key.slice(prefix.length), modifiedAt: object.LastModified ?? new Date(0) };
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },
  };
}

function createS3Client(sdk: typeof S3Sdk, options: S3StorageOptions): S3Sdk.S3Client {
  const { accessKeyId, secretAccessKey } = options;
  return new sdk.S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    maxAttempts: options.maxAttempts ?? 3,
    // S3-compatible servers often reject the SDK's default CRC32 checksum trailers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs ?? 5_000,
      requestTimeout: options.requestTimeoutMs ?? 60_000,
      // Without it a request past requestTimeout only logs a warning and keeps waiting.
      throwOnRequestTimeout: true,
    },
  });
}

/**
 * GetObject answers NoSuchKey; HeadObject has no body, so only its 404 (`NotFound`) tells, and a
 * missing bucket answers HEAD the same way: `exists` then says false, while `get` throws NoSuchBucket.
 */
function isMissingObject(sdk: typeof S3Sdk, error: unknown): boolean {
  return error instanceof sdk.S3ServiceException && (error.name === 'NoSuchKey' || error.name === 'NotFound');
}
