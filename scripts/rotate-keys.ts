import { runTask } from './run-task.js';

/**
 * `npm run keys:rotate`: after setting a new ENCRYPTION_KEY and moving the old one to
 * ENCRYPTION_KEYS, re-encrypts every stored credential under the new key. Then the old key can go.
 */
await runTask(async ({ integrations }) => {
  const { rotated, total } = await integrations.rotateKeys();
  return `re-encrypted ${rotated} of ${total} stored credentials under the current key`;
});
