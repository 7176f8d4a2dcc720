import { readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

// GS1's own schema, read where it lives (../shared/data, see SOURCES.md §8), never copied here.
const schemaUrl = new URL('../../../shared/data/epcis/gs1/EPCIS-JSON-Schema.json', import.meta.url);
let compiled: ValidateFunction | undefined;

/**
 * GS1's EPCIS 2.0 JSON schema as ajv checks it, compiled once per test file. Draft-07, as the
 * schema declares, with ajv's default strictness. ajv-formats makes `format` an assertion (uri,
 * date-time), which JSON Schema leaves optional: without it, a bizStep such as "refining" would
 * pass as a "URI" of the schema's own extension branch.
 */
export function gs1EpcisSchema(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true });
    addFormats(ajv);
    compiled = ajv.compile(JSON.parse(readFileSync(schemaUrl, 'utf8')));
  }
  return compiled;
}
