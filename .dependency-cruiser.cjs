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
      name: 'i18n-is-feature-free',
      comment: 'src/i18n holds the words of each language: features read it, and it imports nothing of the app (feature, database, provider, configuration or lib), so the worker threads and any feature can load it.',
      severity: 'error',
      from: { path: '^src/i18n/' },
      to: { path: '^src/', pathNot: '^src/i18n/' },
    },
    {
      name: 'no-emulators-in-production-code',
      comment: 'The emulators are loaded only when enabled (a dynamic import in server.ts), never by a static import a production process would load.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^emulators/', dependencyTypesNot: ['dynamic-import'] },
    },
    {
      name: 'opentelemetry-only-when-enabled',
      comment: 'The OpenTelemetry SDK, exporter, instrumentations and loader hook load only with OTEL_EXPORTER_OTLP_ENDPOINT set: src/telemetry.sdk.ts alone imports them. @opentelemetry/api (a no-op without the SDK) may be imported anywhere.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/telemetry\\.sdk\\.ts$' },
      to: { path: '^node_modules/(@opentelemetry/(?!api/)|@fastify/otel/|import-in-the-middle/|require-in-the-middle/)' },
    },
    {
      name: 'telemetry-sdk-imported-on-demand',
      comment: 'src/telemetry.ts imports the SDK dynamically, once it has read that telemetry is on; a static import would load it in every process.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/telemetry\\.sdk\\.ts$', dependencyTypesNot: ['dynamic-import', 'type-only'] },
    },
    {
      name: 'entry-points-start-telemetry-first',
      comment: 'An entry point imports server.ts (and through it Fastify, pg, undici) only after OpenTelemetry has started, so that it instruments them: dynamically.',
      severity: 'error',
      from: { path: '^src/(main|api|worker)\\.ts$' },
      to: { path: '^src/server\\.ts$', dependencyTypesNot: ['dynamic-import', 'type-only'] },
    },
    {
      name: 'providers-know-no-features',
      comment: 'Provider clients speak the wire protocol; the rules live in the modules.',
      severity: 'error',
      from: { path: '^src/providers/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'no-file-cycles',
      comment: 'No file loads itself through others: a cycle makes the load order matter. A type-only import (a use-case file naming its service interface) loads nothing and may close one.',
      severity: 'error',
      from: {},
      to: { circular: true, dependencyTypesNot: ['type-only'], viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // node_modules/ only where a rule names a package.
    includeOnly: '^(src/|emulators/|node_modules/(@opentelemetry|@fastify/otel|import-in-the-middle|require-in-the-middle)/)',
  },
};
