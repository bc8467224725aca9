import { randomBytes } from 'node:crypto';
import { startZoomEmulator } from './zoom/zoom-emulator.js';

/** `npm run emulators`: the provider emulators alone, for a frontend developer. Prints where they listen. */
const zoom = await startZoomEmulator({
  port: Number(process.env.ZOOM_EMULATOR_PORT ?? 0),
  credentials: {
    accountId: process.env.ZOOM_ACCOUNT_ID ?? 'emulated-account',
    clientId: process.env.ZOOM_CLIENT_ID ?? 'emulated-client',
    clientSecret: process.env.ZOOM_CLIENT_SECRET ?? randomBytes(16).toString('hex'),
    webhookSecret: process.env.ZOOM_WEBHOOK_SECRET ?? randomBytes(16).toString('hex'),
  },
});
process.stdout.write(
  [
    'Zoom emulator (not Zoom) listening:',
    `  ZOOM_API_BASE_URL=${zoom.apiBaseUrl}`,
    `  ZOOM_OAUTH_URL=${zoom.oauthUrl}`,
    `  ZOOM_ACCOUNT_ID=${zoom.credentials.accountId}`,
    `  ZOOM_CLIENT_ID=${zoom.credentials.clientId}`,
    `  ZOOM_CLIENT_SECRET=${zoom.credentials.clientSecret}`,
    `  ZOOM_WEBHOOK_SECRET=${zoom.credentials.webhookSecret}`,
    '',
  ].join('\n'),
);
const stop = () => void zoom.stop().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
