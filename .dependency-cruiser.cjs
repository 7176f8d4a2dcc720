/**
 * The architecture as rules that CI checks (npm run check:deps): no import cycles, and no
 * import against the layering app → routes → domain → db. A type-only import counts too: a
 * cycle of types is still a knot a reader has to untie.
 */
const notTypeOnly = { dependencyTypesNot: ['type-only'] };

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Modules that import each other, directly or through others.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'db-below-everything',
      severity: 'error',
      comment:
        "The database layer (schema, clients, migrations) knows nothing of the business or of HTTP, but for the business's closed lists (domain/shared/vocabulary.ts, which imports nothing): the tables name their enums from them.",
      from: { path: '^src/db/' },
      to: {
        path: '^src/(domain|routes|http|web|cli|demo|keys)/|^src/(app|node|worker|services[.]node)[.]ts$',
        pathNot: '^src/domain/shared/vocabulary[.]ts$',
      },
    },
    {
      name: 'domain-free-of-http',
      severity: 'error',
      comment:
        'The business is plain functions over a database handle: no routes, no HTTP, no entries, no apps.',
      from: { path: '^src/domain/' },
      to: { path: '^src/(routes|http|web|cli|demo)/|^src/(app|node|worker|services[.]node)[.]ts$' },
    },
    {
      name: 'shared-is-a-leaf',
      severity: 'error',
      comment:
        'domain/shared (grams, ids, paging, errors, principal) is used by every concept and uses none.',
      from: { path: '^src/domain/shared/' },
      to: { path: '^src/domain/(?!shared/)' },
    },
    {
      name: 'ledger-below-the-business',
      severity: 'error',
      comment: 'The log records events of every concept; it must not depend on any of them.',
      from: { path: '^src/domain/ledger/' },
      to: { path: '^src/domain/(lots|inputs|screening|reference|reports)/' },
    },
    {
      name: 'http-below-routes',
      severity: 'error',
      comment: 'Middleware and helpers of the HTTP layer are used by routes, never the reverse.',
      from: { path: '^src/http/' },
      to: { path: '^src/(routes|web|cli)/|^src/(app|node|worker)[.]ts$' },
    },
    {
      name: 'routes-below-the-app',
      severity: 'error',
      comment: 'A route module is mounted by app.ts; it does not reach for the app or an entry.',
      from: { path: '^src/routes/' },
      to: { path: '^src/(web|cli)/|^src/(app|node|worker|services[.]node)[.]ts$' },
    },
    {
      name: 'apps-bundle-no-server',
      severity: 'error',
      comment:
        'The web apps run in a browser: they may bundle pure domain code (grams, verdicts, QR checks) and read server types, but never the database, HTTP or route modules at run time.',
      from: { path: '^src/web/(?!build[.]ts$)' },
      to: {
        path: '^src/(db|http|routes|cli|keys)/|^src/(app|node|worker|services[.]node)[.]ts$',
        ...notTypeOnly,
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
