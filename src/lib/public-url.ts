import ipaddr from 'ipaddr.js';

/**
 * True when `url` points at this machine or a private network (loopback, RFC 1918, link-local,
 * unique-local, `localhost`): a user-supplied endpoint must not make the server call those.
 * Names are not resolved here, to refuse at once what is plainly private: a name that resolves to
 * a private address is caught when a connection is made (outbound-fetch.ts).
 */
export function isPrivateUrl(url: string): boolean {
  const hostname = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (hostname === 'localhost' || hostname.endsWith('.localhost') || hostname.endsWith('.internal')) return true;
  if (!ipaddr.isValid(hostname)) return false;
  const address = ipaddr.process(hostname);
  return address.range() !== 'unicast';
}
