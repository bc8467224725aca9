import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../../lib/crypto.js';

const MAX_CLOCK_SKEW_SEC = 5 * 60;

/**
 * Zoom's webhook signature: `x-zm-signature` = `v0=` + hex HMAC-SHA256 (secret token) of
 * `v0:{x-zm-request-timestamp}:{raw body}`, the timestamp within five minutes.
 * https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events
 */
export function verifyZoomSignature(options: {
  rawBody: Buffer;
  signature: string | undefined;
  timestamp: string | undefined;
  secret: string;
  nowSec?: number;
}): { valid: true } | { valid: false; reason: string } {
  const { signature, timestamp } = options;
  if (!signature || !timestamp) return { valid: false, reason: 'unsigned' };
  const timestampSec = Number(timestamp);
  const nowSec = options.nowSec ?? Math.floor(Date.now() / 1000);
  if (!Number.isInteger(timestampSec) || Math.abs(nowSec - timestampSec) > MAX_CLOCK_SKEW_SEC) return { valid: false, reason: 'stale' };
  const expected = `v0=${createHmac('sha256', options.secret).update(`v0:${timestamp}:`).update(options.rawBody).digest('hex')}`;
  return constantTimeEqual(signature, expected) ? { valid: true } : { valid: false, reason: 'forged' };
}

/**
 * The answer to `endpoint.url_validation`: `{ plainToken, encryptedToken }`, the latter the hex
 * HMAC-SHA256 of the token under the secret. The token must look like Zoom's (letters, digits,
 * `-`, `_`): answering any string would make us an HMAC oracle for forged signatures.
 */
export function zoomUrlValidationAnswer(plainToken: unknown, secret: string): { plainToken: string; encryptedToken: string } | undefined {
  if (typeof plainToken !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(plainToken)) return undefined;
  return { plainToken, encryptedToken: createHmac('sha256', secret).update(plainToken).digest('hex') };
}
