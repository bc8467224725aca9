import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './openapi.js';

export type { components, operations, paths } from './openapi.js';

/** Every error's body: a message for people, a stable `code` for programs, the request's id. */
export type AtasErrorBody = components['schemas']['Error'];
export type AtasClient = Client<paths>;

/** An answer of Atas that is an error. */
export class AtasError extends Error {
  override readonly name = 'AtasError';
  readonly code: AtasErrorBody['code'];
  readonly requestId: string;
  readonly details: unknown;

  constructor(
    readonly status: number,
    body: AtasErrorBody,
  ) {
    super(body.error);
    this.code = body.code;
    this.requestId = body.requestId;
    this.details = body.details;
  }
}

export interface AtasClientOptions {
  /** Where Atas answers, e.g. `https://atas.example.com`. */
  baseUrl: string;
  /** The access token, or a function that gives the current one (after a refresh, say). */
  token?: string | (() => string | undefined | Promise<string | undefined>);
  fetch?: typeof globalThis.fetch;
}

/** A client for every operation of the document, typed by its path, method, parameters and answers. */
export function createAtasClient(options: AtasClientOptions): AtasClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const { token } = options;
  if (token !== undefined) {
    client.use({
      async onRequest({ request }) {
        const current = typeof token === 'function' ? await token() : token;
        if (current) request.headers.set('authorization', `Bearer ${current}`);
        return request;
      },
    });
  }
  return client;
}

/** The data of a call that succeeded; an `AtasError` for one that did not. */
export async function orThrow<Data>(call: Promise<{ data?: Data; error?: unknown; response: Response }>): Promise<Data> {
  const { data, error, response } = await call;
  if (!response.ok) throw new AtasError(response.status, error as AtasErrorBody);
  return data as Data;
}
