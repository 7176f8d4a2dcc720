import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clientTypesFile, generateClientTypes } from '../../src/client/generate.js';

describe('the committed client types', () => {
  it('are what openapi-typescript generates from the live OpenAPI document', async () => {
    const committed = readFileSync(new URL(`../../${clientTypesFile}`, import.meta.url), 'utf8');
    const fresh = await generateClientTypes();
    expect(
      committed === fresh,
      `${clientTypesFile} is stale: a route or schema changed. Run \`npm run client:types\` and commit the file.`,
    ).toBe(true);
  });
});
