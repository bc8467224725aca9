/**
 * `npm run lint` checks the layers with dependency-cruiser. Each rule says what it keeps apart.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'lib-is-feature-free',
      comment: 'src/lib holds helpers any layer may use: it imports no feature, database, provider or configuration code.',
      severity: 'error',
      from: { path: '^src/lib/' },
      to: { path: '^src/(db|providers|modules|config\\.ts|app\\.ts|server\\.ts|services\\.ts|error-handler\\.ts|failures\\.ts)' },
    },
    {
      name: 'no-emulators-in-production-code',
      comment: 'The emulators are loaded only when enabled (a dynamic import in server.ts), never by a static import a production process would load.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^emulators/', dependencyTypesNot: ['dynamic-import'] },
    },
    {
      name: 'providers-know-no-features',
      comment: 'Provider clients speak the wire protocol; the rules live in the modules.',
      severity: 'error',
      from: { path: '^src/providers/' },
      to: { path: '^src/modules/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    includeOnly: '^(src|emulators)/',
  },
};
