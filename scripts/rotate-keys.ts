import { runTask } from './run-task.js';

/**
 * `npm run keys:rotate`: after setting a new ENCRYPTION_KEY and moving the old one to
 * ENCRYPTION_KEYS, re-encrypts every stored credential and webhook signing secret under the new
 * key. Then the old key can go.
 */
await runTask(async ({ integrations, webhookEndpoints }) => {
  const credentials = await integrations.rotateKeys();
  const secrets = await webhookEndpoints.rotateKeys();
  return [
    `re-encrypted ${credentials.rotated} of ${credentials.total} stored credentials under the current key`,
    `re-encrypted ${secrets.rotated} of ${secrets.total} webhook signing secrets under the current key`,
  ].join('\n');
});
