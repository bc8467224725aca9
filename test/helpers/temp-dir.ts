import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A folder every user can traverse: the embedded PostgreSQL runs as `postgres` when tests run as root. */
export function makeSharedTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  return dir;
}
