import fs from 'node:fs';
import { registerHooks } from 'node:module';

/**
 * Preloaded (`--import`) into a process a test starts: records every module it loads, by `import`
 * or `require`, and writes the list to LOADED_MODULES_FILE when it exits.
 */
const loaded = new Set<string>();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    loaded.add(resolved.url);
    return resolved;
  },
});
process.on('exit', () => {
  if (process.env.LOADED_MODULES_FILE) fs.writeFileSync(process.env.LOADED_MODULES_FILE, [...loaded].join('\n'));
});
