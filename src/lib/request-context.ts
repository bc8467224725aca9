import type { FastifyRequest } from 'fastify';

/** Who sent a request, as the audit log records it. `ip` honours TRUST_PROXY through Fastify. */
export interface RequestContext {
  ip: string | undefined;
  userAgent: string | undefined;
}

export function requestContextOf(request: FastifyRequest): RequestContext {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: userAgent?.slice(0, 1000) };
}
