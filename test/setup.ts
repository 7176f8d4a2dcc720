// @hono/zod-openapi adds `.openapi()` to zod's schemas when it is first imported, and zod 4 gives
// a schema its methods when the schema is built: a test file that imports domain modules (which
// build their schemas with plain zod) before the app would leave those schemas without it, and
// the app's OpenAPI registry would then fail on them. The app's entries (node.ts, worker.ts)
// import the app first; tests get the same order from here.
import '@hono/zod-openapi';
