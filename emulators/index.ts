import type { LocalEmulators } from '../src/server.js';
import { startDocuSignEmulator } from './docusign/docusign-emulator.js';
import { startOpenAIEmulator } from './openai/openai-emulator.js';
import { startZoomEmulator } from './zoom/zoom-emulator.js';

/**
 * What src/server.ts starts where a provider has no credentials, outside production. It imports
 * this file by a specifier the compiler does not follow, so the compiled build
 * (tsconfig.build.json) and the Docker image leave emulators/ out; `satisfies` checks here, in the
 * typecheck of the whole tree, that this file gives what server.ts expects.
 */
export const emulators = {
  startZoom: startZoomEmulator,
  startOpenAI: startOpenAIEmulator,
  startDocuSign: startDocuSignEmulator,
} satisfies LocalEmulators;
