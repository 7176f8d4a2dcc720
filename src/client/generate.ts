import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { createApp } from '../app.js';
import { openApiDocument } from '../routes/docs/index.js';

/** Where the generated types live, relative to the repository root (npm run client:types writes it). */
export const clientTypesFile = 'src/client/openapi.ts';

/**
 * The TypeScript types of our OpenAPI document (openapi-typescript), as committed in
 * src/client/openapi.ts: the document is built from the routes alone, with no services and no
 * database, so the same source gives the same text on any machine. The deployment's address
 * only fills `servers`, which the types do not carry.
 */
export async function generateClientTypes(): Promise<string> {
  const app = createApp({
    services: () => {
      throw new Error('the OpenAPI document is built from the routes, without services');
    },
  });
  const document = openApiDocument(app, 'http://localhost:8787');
  // The document is plain JSON built in memory; openapi-typescript's own type for it is stricter
  // about extension members than zod-openapi's, which describe the same thing.
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0], { alphabetize: false });
  return `${COMMENT_HEADER.replace(
    'Do not make direct changes to the file.',
    'Do not edit: run `npm run client:types` after changing a route or a schema.',
  )}${astToString(ast)}`;
}
