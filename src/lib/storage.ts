import fs from 'node:fs/promises';
import path from 'node:path';

/** Where files live: local disk under DATA_DIR by default. Keys are relative paths such as `transcripts/<meeting>/<id>.vtt`. */
export interface Storage {
  put(key: string, content: string | Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
}

export function createLocalStorage(rootDir: string): Storage {
  const pathOf = (key: string) => {
    const full = path.resolve(rootDir, key);
    if (!full.startsWith(path.resolve(rootDir) + path.sep)) throw new Error(`storage key escapes its folder: ${key}`);
    return full;
  };
  return {
    async put(key, content) {
      const full = pathOf(key);
      await fs.mkdir(path.dirname(full), { recursive: true });
      const partial = `${full}.${process.pid}.partial`;
      await fs.writeFile(partial, content);
      await fs.rename(partial, full); // readers never see half a file
    },
    get: (key) => fs.readFile(pathOf(key)),
  };
}
