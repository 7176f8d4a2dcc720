import { createApp } from '../app.js';
import { loadNodeConfig } from '../config.node.js';
import { openApiDocument } from '../routes/docs/index.js';

/**
 * npm run -s openapi > openapi.json
 * Prints the OpenAPI document the server serves at /openapi.json, for BASE_URL, without starting
 * the server or opening the database (the document is built from the routes alone): what CI lints
 * (npm run lint:openapi) and what code generators read.
 */
const app = createApp({
  services: () => {
    throw new Error('the OpenAPI document is built from the routes, without services');
  },
});
process.stdout.write(`${JSON.stringify(openApiDocument(app, loadNodeConfig().BASE_URL), null, 2)}\n`);
