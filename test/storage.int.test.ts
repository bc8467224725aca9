import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../src/config.js';
import {
  createLocalStorage,
  createS3Storage,
  createStorage,
  StorageKeyError,
  StorageNotFoundError,
  type S3StorageOptions,
  type Storage,
} from '../src/lib/storage.js';
import { s3rverCredentials, startS3rver } from './helpers/s3.js';
import { makeSharedTempDir } from './helpers/temp-dir.js';

const bucket = 'atas-test';
let s3: Awaited<ReturnType<typeof startS3rver>>;
const localRoot = makeSharedTempDir('atas-storage-');

const s3Options = (overrides: Partial<S3StorageOptions> = {}): S3StorageOptions => ({
  bucket,
  region: 'us-east-1',
  endpoint: s3.endpoint,
  forcePathStyle: true,
  ...s3rverCredentials,
  ...overrides,
});

beforeAll(async () => {
  s3 = await startS3rver(bucket);
});
afterAll(async () => {
  await s3.stop();
  fs.rmSync(localRoot, { recursive: true, force: true });
});

const backends: { name: string; create: () => Storage }[] = [
  { name: 'local', create: () => createLocalStorage(localRoot) },
  { name: 's3', create: () => createS3Storage(s3Options({ prefix: 'suite/' })) },
];

describe.each(backends)('$name storage', ({ create }) => {
  let storage: Storage;
  beforeAll(() => {
    storage = create();
  });

  it('returns the exact bytes it stored', async () => {
    const content = Buffer.concat([randomBytes(4096), Buffer.from('Ata da reunião — deliberações, ç, ü', 'utf8')]);
    await storage.put('transcripts/m1/t1.vtt', content);
    expect((await storage.get('transcripts/m1/t1.vtt')).equals(content)).toBe(true);
  });

  it('stores a string as UTF-8', async () => {
    await storage.put('notes/olá.txt', 'Votação aprovada ✔');
    expect((await storage.get('notes/olá.txt')).toString('utf8')).toBe('Votação aprovada ✔');
  });

  it('replaces a file on overwrite', async () => {
    await storage.put('minutes/m2.md', 'first version, longer than the second');
    await storage.put('minutes/m2.md', 'second');
    expect((await storage.get('minutes/m2.md')).toString()).toBe('second');
  });

  it('tells whether a key exists, and deletes idempotently', async () => {
    await storage.put('minutes/m3.pdf', Buffer.from('%PDF-1.7'), { contentType: 'application/pdf' });
    expect(await storage.exists('minutes/m3.pdf')).toBe(true);
    expect(await storage.exists('minutes/never.pdf')).toBe(false);
    expect(await storage.exists('minutes')).toBe(false);

    await storage.delete('minutes/m3.pdf');
    expect(await storage.exists('minutes/m3.pdf')).toBe(false);
    await expect(storage.delete('minutes/m3.pdf')).resolves.toBeUndefined();
  });

  it('throws StorageNotFoundError for a missing key', async () => {
    await expect(storage.get('transcripts/none/missing.vtt')).rejects.toBeInstanceOf(StorageNotFoundError);
    await expect(storage.get('transcripts/none/missing.vtt')).rejects.toMatchObject({ key: 'transcripts/none/missing.vtt' });
  });

  it('streams a file as it stored it, and rejects a missing key before streaming', async () => {
    const content = randomBytes(3 * 1024 * 1024 + 17); // several chunks
    await storage.put('streamed/big.pdf', content);
    const chunks: Buffer[] = [];
    for await (const chunk of await storage.getStream('streamed/big.pdf')) chunks.push(chunk as Buffer);
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).equals(content)).toBe(true);
    await expect(storage.getStream('streamed/missing.pdf')).rejects.toBeInstanceOf(StorageNotFoundError);
    await expect(storage.getStream('streamed/missing.pdf')).rejects.toMatchObject({ key: 'streamed/missing.pdf' });
    await expect(storage.getStream('../escape')).rejects.toBeInstanceOf(StorageKeyError);
  });

  it('lists every stored file with when it was written, under its own key', async () => {
    const before = Date.now() - 2000;
    await storage.put('listing/a/deep/one.vtt', 'one');
    await storage.put('listing/two.pdf', 'two');
    const listed = (await Array.fromAsync(storage.list())).filter((file) => file.key.startsWith('listing/'));
    expect(listed.map((file) => file.key).sort()).toEqual(['listing/a/deep/one.vtt', 'listing/two.pdf']);
    for (const file of listed) expect(file.modifiedAt.getTime()).toBeGreaterThan(before);
  });

  it.each(['../escape.txt', 'a/../../b', 'a/../b', '..', '/etc/passwd', '', 'a\\..\\b'])('refuses the unsafe key %j', async (key) => {
    await expect(storage.put(key, 'x')).rejects.toBeInstanceOf(StorageKeyError);
    await expect(storage.get(key)).rejects.toBeInstanceOf(StorageKeyError);
    await expect(storage.exists(key)).rejects.toBeInstanceOf(StorageKeyError);
    await expect(storage.delete(key)).rejects.toBeInstanceOf(StorageKeyError);
  });
});

describe('S3 storage', () => {
  const rawClient = () =>
    new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: s3rverCredentials });

  it('keeps the content type and puts keys under the prefix', async () => {
    await createS3Storage(s3Options({ prefix: 'atas/' })).put('minutes/m1.pdf', Buffer.from('%PDF-1.7'), { contentType: 'application/pdf' });
    const head = await rawClient().send(new HeadObjectCommand({ Bucket: bucket, Key: 'atas/minutes/m1.pdf' }));
    expect(head.ContentType).toBe('application/pdf');
    expect(head.ContentLength).toBe(8);
  });

  it('surfaces a stopped server as an error', async () => {
    const stopped = await startS3rver(bucket);
    const storage = createS3Storage(s3Options({ endpoint: stopped.endpoint }));
    await storage.put('a.txt', 'a');
    await stopped.stop();
    await expect(storage.get('a.txt')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('gives up on a server that never answers, after the request timeout and bounded retries', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const storage = createS3Storage(s3Options({ endpoint: `http://127.0.0.1:${port}`, requestTimeoutMs: 300, maxAttempts: 2 }));
    try {
      // The server never answers: only the request timeout ends an attempt (the default, 60 s, would
      // outlast the test's own timeout), and the one retry is the last.
      await expect(storage.get('a.txt')).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(sockets.size).toBe(2);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('refuses half a set of credentials', () => {
    expect(() => createS3Storage(s3Options({ secretAccessKey: undefined }))).toThrow(/both/);
  });
});

describe('createStorage', () => {
  const s3Config = (overrides: Partial<Config['storage']['s3']> = {}): Config['storage']['s3'] => {
    const { bucket: name, region, endpoint, accessKeyId, secretAccessKey } = s3Options();
    return { bucket: name, region, endpoint, accessKeyId, secretAccessKey, forcePathStyle: true, ...overrides };
  };

  it('keeps local files under <dataDir>/files, where they have always been', async () => {
    const dataDir = makeSharedTempDir('atas-data-');
    try {
      await createStorage({ type: 'local', s3: s3Config() }, dataDir).put('transcripts/m1/t1.vtt', 'WEBVTT');
      expect(fs.readFileSync(path.join(dataDir, 'files', 'transcripts/m1/t1.vtt'), 'utf8')).toBe('WEBVTT');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('uses the bucket when the type is s3', async () => {
    await createStorage({ type: 's3', s3: s3Config() }, '/nonexistent').put('from-config.txt', 'hello');
    expect((await createS3Storage(s3Options()).get('from-config.txt')).toString()).toBe('hello');
  });

  it('refuses s3 without a bucket', () => {
    expect(() => createStorage({ type: 's3', s3: s3Config({ bucket: undefined }) }, '/nonexistent')).toThrow(/bucket/);
  });
});
