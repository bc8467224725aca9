import dns, { type LookupAddress } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';

/** A connection refused because it would reach this machine or a private network. */
export class ForbiddenAddressError extends Error {
  readonly code = 'ERR_FORBIDDEN_ADDRESS';
  constructor(host: string) {
    super(`refused to connect to ${host}: not a public address`);
    this.name = 'ForbiddenAddressError';
  }
}

/** Public unicast only: not loopback, RFC 1918, link-local (cloud metadata), unique-local, CGNAT, multicast… */
export function isPublicAddress(address: string): boolean {
  return ipaddr.isValid(address) && ipaddr.process(address).range() === 'unicast';
}

type Resolve = (hostname: string, callback: (error: Error | null, addresses: LookupAddress[]) => void) => void;
const systemResolve: Resolve = (hostname, callback) => dns.lookup(hostname, { all: true }, callback);

/**
 * The one `fetch` of every outbound call to a provider, whose destinations a user's input can
 * steer (an OpenAI-compatible base URL, a DocuSign account's base URI, a Zoom download link and
 * its redirects). Hosts the operator configured (`trustedHosts`: the endpoints in the
 * environment, the local emulators) are reached as usual; any other only at public addresses,
 * checked on the very addresses each connection uses: after DNS (a name resolving to 127.0.0.1
 * is caught, and no second lookup can answer differently), on every redirect hop. With
 * `allowPrivate` (outside production) nothing is refused.
 */
export function createOutboundFetch(options: { trustedHosts: readonly string[]; allowPrivate: boolean; resolve?: Resolve }): typeof fetch {
  const resolve = options.resolve ?? systemResolve;
  const trusted = new Set(options.trustedHosts.map((host) => host.toLowerCase()));
  const lookup = (hostname: string, lookupOptions: { all?: boolean }, callback: (...args: unknown[]) => void) =>
    resolve(hostname, (error, addresses) => {
      if (error) return callback(error);
      if (addresses.length === 0 || addresses.some((entry) => !isPublicAddress(entry.address))) return callback(new ForbiddenAddressError(hostname));
      return lookupOptions.all ? callback(null, addresses) : callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  const anywhere = buildConnector({});
  const publicOnly = buildConnector({ lookup } as buildConnector.BuildOptions);
  const agent = new Agent({
    connect(connectOptions, callback) {
      const host = connectOptions.hostname.replace(/^\[|\]$/g, '').toLowerCase();
      if (options.allowPrivate || trusted.has(host) || trusted.has(`${host}:${connectOptions.port}`)) return anywhere(connectOptions, callback);
      // An address in the URL is connected to without a lookup: checked here.
      if (ipaddr.isValid(host)) return isPublicAddress(host) ? anywhere(connectOptions, callback) : callback(new ForbiddenAddressError(host), null);
      return publicOnly(connectOptions, callback);
    },
  });
  return (input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: agent });
}
