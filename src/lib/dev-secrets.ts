import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const developmentSecretsSchema = z.object({
  jwtSecret: z.string().min(32),
  jwtRefreshSecret: z.string().min(32),
  encryptionKey: z.string().regex(/^[0-9a-f]{64}$/),
});

export type DevelopmentSecrets = z.infer<typeof developmentSecretsSchema>;

/**
 * Secrets for a machine without production settings: generated on first start and kept in
 * DATA_DIR/secrets.json (mode 600), so restarts keep sessions and encrypted data readable.
 */
export function loadOrCreateDevelopmentSecrets(dataDir: string): DevelopmentSecrets {
  const file = path.join(dataDir, 'secrets.json');
  if (fs.existsSync(file)) {
    return developmentSecretsSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  }
  const secrets: DevelopmentSecrets = {
    jwtSecret: randomBytes(48).toString('base64url'),
    jwtRefreshSecret: randomBytes(48).toString('base64url'),
    encryptionKey: randomBytes(32).toString('hex'),
  };
  fs.mkdirSync(dataDir, { recursive: true });
  // 'wx' fails if another process wrote the file first; then theirs wins.
  try {
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return developmentSecretsSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  }
  return secrets;
}
