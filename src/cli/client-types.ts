import { writeFileSync } from 'node:fs';
import { clientTypesFile, generateClientTypes } from '../client/generate.js';

/**
 * npm run client:types
 * Writes the API's TypeScript types (src/client/openapi.ts) from the OpenAPI document the routes
 * build: what the web apps' typed client checks its paths, parameters and bodies against.
 * test/client/types-fresh.test.ts fails while the committed file differs from what this writes.
 */
writeFileSync(clientTypesFile, await generateClientTypes());
process.stdout.write(`${clientTypesFile} written\n`);
