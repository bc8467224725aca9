import fs from 'node:fs';
import S3rver from 's3rver';
import { makeSharedTempDir } from './temp-dir.js';

export const s3rverCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** A local S3-compatible server (s3rver) with one bucket, on a free port. */
export async function startS3rver(bucket: string) {
  const directory = makeSharedTempDir('atas-s3rver-');
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  return {
    server,
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      await server.close().catch(() => undefined);
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
