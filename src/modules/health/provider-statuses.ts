import type { ServerCredentials } from '../integrations/server-credentials.js';
import type { Health } from './health.schemas.js';

/**
 * Each provider as the server sees it: `emulated` when a local emulator stands in, `ok` with
 * credentials, `down` while its circuit is open after repeated failures, else `not_configured`.
 */
export function providerStatuses(
  serverCredentials: ServerCredentials,
  circuits: { isZoomCircuitOpen: () => boolean; isDocuSignCircuitOpen: () => boolean },
): Pick<Health['services'], 'zoom' | 'docusign' | 'openai'> {
  const statusOf = (provider: keyof ServerCredentials, isCircuitOpen = false) => {
    if (isCircuitOpen) return 'down' as const;
    const server = serverCredentials[provider];
    if (!server) return 'not_configured' as const;
    return server.source === 'emulator' ? ('emulated' as const) : ('ok' as const);
  };
  return { zoom: statusOf('zoom', circuits.isZoomCircuitOpen()), docusign: statusOf('docusign', circuits.isDocuSignCircuitOpen()), openai: statusOf('openai') };
}
