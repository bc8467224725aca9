/**
 * The feature modules' layering, checked on src/modules alone (`npm run lint`): the wiring in
 * src/ and the emulators reach every module, so a graph with them shows cycles no module has.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  extends: './.dependency-cruiser.cjs',
  forbidden: [
    {
      name: 'no-cycles-between-modules',
      comment:
        'Feature modules form layers: a module may use one below it, never one that uses it back. Where a lower module needs something of a higher one, it declares an interface and is handed the implementation at construction (see signatures/signable-minutes.ts).',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/modules/' },
      to: { path: '^src/modules/', circular: true },
    },
  ],
  options: {
    includeOnly: '^src/modules/',
  },
};
