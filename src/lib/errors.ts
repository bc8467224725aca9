/**
 * Stable error codes and their HTTP statuses. Codes are API: clients branch on them;
 * messages are for people and may change.
 */
export const errorStatuses = {
  bad_request: 400,
  validation_failed: 400,
  invalid_json: 400,
  token_missing: 401,
  token_malformed: 401,
  token_algorithm_invalid: 401,
  token_signature_invalid: 401,
  token_expired: 401,
  token_type_invalid: 401,
  token_claims_invalid: 401,
  session_revoked: 401,
  user_disabled: 401,
  invalid_credentials: 401,
  refresh_token_invalid: 401,
  refresh_token_expired: 401,
  refresh_token_reused: 401,
  webhook_signature_invalid: 401,
  forbidden: 403,
  not_found: 404,
  link_invalid: 404,
  link_expired: 410,
  route_not_found: 404,
  conflict: 409,
  email_taken: 409,
  last_admin: 409,
  meeting_cancelled: 409,
  meeting_not_on_zoom: 409,
  transcript_missing: 409,
  generation_in_progress: 409,
  minutes_frozen: 409,
  pdf_not_ready: 409,
  minutes_not_finalized: 409,
  envelope_active: 409,
  webhook_event_processed: 409,
  webhook_event_dismissed: 409,
  test_minutes: 409,
  payload_too_large: 413,
  idempotency_key_reused: 422,
  unprocessable_transcript: 422,
  content_refused: 422,
  integration_not_configured: 424,
  integration_invalid: 424,
  consent_required: 424,
  unsupported_media_type: 415,
  rate_limited: 429,
  too_many_streams: 429,
  request_timeout: 408,
  uri_too_long: 414,
  headers_too_large: 431,
  internal_error: 500,
  provider_error: 502,
  generation_failed: 502,
  service_unavailable: 503,
  database_unavailable: 503,
  provider_unavailable: 503,
  provider_rate_limited: 503,
  provider_timeout: 504,
} as const;

export type ErrorCode = keyof typeof errorStatuses;

/** An error a service throws on purpose; the error handler turns it into `{ error, code, details? }`. */
export class AppError extends Error {
  readonly statusCode: number;
  readonly headers: Record<string, string> | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.statusCode = errorStatuses[code];
    this.headers = options?.headers;
  }
}
