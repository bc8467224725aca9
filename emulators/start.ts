import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDocuSignEmulator } from './docusign/docusign-emulator.js';
import { startOpenAIEmulator } from './openai/openai-emulator.js';
import { startZoomEmulator } from './zoom/zoom-emulator.js';

/**
 * `npm run emulators`: the three provider emulators alone, for a frontend developer. Credentials
 * come from the variables the app reads when they are set, so an existing `.env` keeps working;
 * the output is the `.env` lines that point the app at the emulators.
 */

/** Unset and empty are the same, as in src/config.ts. */
const env = (name: string) => process.env[name]?.trim() || undefined;
const secret = () => randomBytes(16).toString('hex');

// DOCUSIGN_PRIVATE_KEY may be written with `\n` for newlines (src/config.ts); without one, a fresh key pair.
const docusignKeyPem =
  env('DOCUSIGN_PRIVATE_KEY')?.replace(/\\n/g, '\n') ??
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const docusignHmacKeys = env('DOCUSIGN_WEBHOOK_SECRET')?.split(',').map((key) => key.trim()).filter(Boolean) ?? [secret()];

const openaiContextTokens = Number(env('OPENAI_CONTEXT_TOKENS') ?? 16_384);

const [zoom, openai, docusign] = await Promise.all([
  startZoomEmulator({
    port: Number(env('ZOOM_EMULATOR_PORT') ?? 0),
    credentials: {
      accountId: env('ZOOM_ACCOUNT_ID') ?? 'emulated-account',
      clientId: env('ZOOM_CLIENT_ID') ?? 'emulated-client',
      clientSecret: env('ZOOM_CLIENT_SECRET') ?? secret(),
      webhookSecret: env('ZOOM_WEBHOOK_SECRET') ?? secret(),
    },
  }),
  startOpenAIEmulator({
    port: Number(env('OPENAI_EMULATOR_PORT') ?? 0),
    apiKey: env('OPENAI_API_KEY') ?? `sk-emulated-${secret()}`,
    contextTokens: openaiContextTokens,
    models: [env('OPENAI_MODEL')].filter((model): model is string => model !== undefined),
  }),
  startDocuSignEmulator({
    port: Number(env('DOCUSIGN_EMULATOR_PORT') ?? 0),
    httpsPort: Number(env('DOCUSIGN_EMULATOR_HTTPS_PORT') ?? 0),
    integrationKey: env('DOCUSIGN_INTEGRATION_KEY') ?? randomUUID(),
    userId: env('DOCUSIGN_USER_ID') ?? randomUUID(),
    accountId: env('DOCUSIGN_ACCOUNT_ID'),
    publicKeyPem: createPublicKey(createPrivateKey(docusignKeyPem)).export({ type: 'spki', format: 'pem' }).toString(),
    hmacKeys: docusignHmacKeys,
  }),
]);

// DocuSign's SDKs reach OAuth on https only: a program using one trusts this certificate (NODE_EXTRA_CA_CERTS).
const docusignCertificatePath = path.join(os.tmpdir(), `atas-docusign-emulator-${process.pid}.pem`);
fs.writeFileSync(docusignCertificatePath, docusign.certificatePem);

process.stdout.write(
  [
    '# Local emulators, NOT the real Zoom, OpenAI or DocuSign: nothing sent to them leaves this machine.',
    '# Export these variables (or save them to a file for `node --env-file`) to point the app at them.',
    '',
    '# Zoom emulator',
    `ZOOM_API_BASE_URL=${zoom.apiBaseUrl}`,
    `ZOOM_OAUTH_URL=${zoom.oauthUrl}`,
    `ZOOM_ACCOUNT_ID=${zoom.credentials.accountId}`,
    `ZOOM_CLIENT_ID=${zoom.credentials.clientId}`,
    `ZOOM_CLIENT_SECRET=${zoom.credentials.clientSecret}`,
    `ZOOM_WEBHOOK_SECRET=${zoom.credentials.webhookSecret}`,
    '',
    '# OpenAI emulator (not a language model: its minutes say so)',
    `OPENAI_API_KEY=${openai.apiKey}`,
    `OPENAI_BASE_URL=${openai.url}`,
    `OPENAI_CONTEXT_TOKENS=${openaiContextTokens}`,
    '',
    '# DocuSign emulator',
    `DOCUSIGN_INTEGRATION_KEY=${docusign.integrationKey}`,
    `DOCUSIGN_USER_ID=${docusign.userId}`,
    `DOCUSIGN_ACCOUNT_ID=${docusign.accountId}`,
    `DOCUSIGN_PRIVATE_KEY="${docusignKeyPem.trim().replace(/\r?\n/g, '\\n')}"`,
    `DOCUSIGN_OAUTH_BASE_PATH=${docusign.oauthBasePath}`,
    `DOCUSIGN_BASE_PATH=${docusign.apiBasePath}`,
    `DOCUSIGN_WEBHOOK_SECRET=${docusignHmacKeys.join(',')}`,
    '# act as a signer: POST <DOCUSIGN_OAUTH_BASE_PATH>/emulator/envelopes/<envelopeId>/signers/<email>/sign (or /deliver, or /decline with {"reason": "..."})',
    `# DocuSign's SDKs (on https): oAuthBasePath ${docusign.sdk.oAuthBasePath}, basePath ${docusign.sdk.basePath}; run them with NODE_EXTRA_CA_CERTS=${docusignCertificatePath}`,
    '',
    '# Ctrl-C stops the emulators.',
    '',
  ].join('\n'),
);

const stop = () => {
  // A request left hanging must not keep the terminal waiting.
  setTimeout(() => process.exit(1), 3000).unref();
  fs.rmSync(docusignCertificatePath, { force: true });
  void Promise.allSettled([zoom.stop(), openai.stop(), docusign.stop()]).then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
