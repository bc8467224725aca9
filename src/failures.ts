import { AppError, type ErrorCode } from './lib/errors.js';
import { ProviderError } from './providers/provider-error.js';

/*
 * What a failure means to the user, as a stable code and a message, whoever reports it: the HTTP
 * error handler answers with it, a job records it on the row the user reads.
 */

/** What a provider's failure means to our client, without the provider's own words (they may echo input). */
export function providerFailure(error: ProviderError): { code: ErrorCode; message: string } {
  const name = error.provider === 'docusign' ? 'DocuSign' : error.provider === 'openai' ? 'OpenAI' : 'Zoom';
  if (error.code === 'circuit_open') return { code: 'provider_unavailable', message: `${name} is unavailable; try again later` };
  if (error.code === 'timeout') return { code: 'provider_timeout', message: `${name} did not answer in time` };
  if (error.status === 429) return { code: 'provider_rate_limited', message: `${name} is limiting requests; try again later` };
  if (error.code === 'content_refused') return { code: 'content_refused', message: `${name} refused to write this content` };
  if (error.code === 'consent_required') return { code: 'consent_required', message: `${name} needs your consent before this app can act for you` };
  if (error.status === 401 || error.status === 403 || error.code === 'invalid_client' || error.code === 'invalid_api_key') {
    return { code: 'integration_invalid', message: `${name} refused the configured credentials` };
  }
  return { code: 'provider_error', message: `${name} failed to complete the request` };
}

/**
 * What a failed job records for the user: an AppError's own code and message, a provider's
 * failure as `providerFailure` says it, anything else as `fallback` (its cause stays in the log).
 */
export function failureOf(error: unknown, fallback: { code: ErrorCode; message: string }): { code: ErrorCode; message: string } {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  if (error instanceof ProviderError) return providerFailure(error);
  return fallback;
}
