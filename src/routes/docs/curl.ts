/**
 * A curl command per operation, made from the OpenAPI document itself: the method, the path with
 * example parameters, the bearer header when the operation is secured, and for writes a JSON body
 * built from the request schema (its examples where it has them, plausible values of Madre de
 * Dios otherwise). A reader copies it, sets $TOKEN and gets a real answer, not a 400.
 */

export type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  example?: unknown;
  examples?: unknown[];
  default?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  description?: string;
  minItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};

export interface CurlOperation {
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema; example?: unknown }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  security?: Record<string, string[]>[];
}

const exampleId = '01936f4e-7d1a-7c3e-9f00-3a1b2c3d4e5f';
/** A point inside the demo's Madre de Dios, and a small square around it. */
const lon = -70.1;
const lat = -12.945;
const square = [
  [
    [lon - 0.01, lat - 0.01],
    [lon + 0.01, lat - 0.01],
    [lon + 0.01, lat + 0.01],
    [lon - 0.01, lat + 0.01],
    [lon - 0.01, lat - 0.01],
  ],
];

/** Values for fields whose schema says little (decimals as text, tax ids), by name. */
function byName(name: string): unknown {
  if (/WeightG$|^quantity$|^observedQuantity$|^monthly$/.test(name)) return '1000.000';
  if (name === 'fineness') return '870';
  if (name === 'amount') return '112000.00';
  if (name === 'taxId') return '20600000011';
  if (name === 'destinationCountry') return 'AE';
  if (name === 'customsDeclaration') return 'DAM 118-2026-40-000777';
  if (/^(occurredAt)$/.test(name)) return '2026-11-20T14:03:00.000Z';
  return undefined;
}

function resolveRef(ref: string, schemas: Record<string, Schema>): Schema | undefined {
  const m = /^#\/components\/schemas\/(.+)$/.exec(ref);
  return m ? schemas[m[1] as string] : undefined;
}

/** An example value of a schema; `name` is the property's name (hints), `depth` stops cycles. */
function exampleOf(
  schema: Schema | undefined,
  schemas: Record<string, Schema>,
  name = '',
  depth = 0,
): unknown {
  if (!schema || depth > 8) return null;
  if (schema.$ref) return exampleOf(resolveRef(schema.$ref, schemas), schemas, name, depth + 1);
  if (schema.example !== undefined) return schema.example;
  if (schema.examples?.length) return schema.examples[0];
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const hinted = byName(name);
  if (hinted !== undefined) return hinted;
  if (schema.default !== undefined) return schema.default;
  const options = schema.oneOf ?? schema.anyOf;
  if (options?.length) {
    // A decimal may be text or a number: the text keeps it exact, as the API advises.
    const text = options.find((o) => o.type === 'string');
    return exampleOf(text ?? options[0], schemas, name, depth + 1);
  }
  if (schema.allOf?.length) {
    return Object.assign({}, ...schema.allOf.map((s) => exampleOf(s, schemas, name, depth + 1) as object));
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const props = schema.properties ?? {};
      // GeoJSON: a point or a small square in Madre de Dios, not arrays of zeros.
      const geo = props.type?.enum?.[0];
      if (geo === 'Point') return { type: 'Point', coordinates: [lon, lat] };
      if (geo === 'Polygon') return { type: 'Polygon', coordinates: square };
      if (geo === 'MultiPolygon') return { type: 'MultiPolygon', coordinates: [square] };
      const required = new Set(schema.required ?? []);
      const keys = Object.keys(props).filter((k) => required.size === 0 || required.has(k));
      return Object.fromEntries(keys.map((k) => [k, exampleOf(props[k], schemas, k, depth + 1)]));
    }
    case 'array': {
      const item = exampleOf(schema.items, schemas, name.replace(/s$/, ''), depth + 1);
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => item);
    }
    case 'integer':
    case 'number':
      return schema.minimum !== undefined && schema.minimum > 1 ? schema.minimum : 1;
    case 'boolean':
      return false;
    case 'string':
      switch (schema.format) {
        case 'uuid':
          return exampleId;
        case 'date':
          return '2026-10-01';
        case 'date-time':
          return '2026-11-20T14:03:00.000Z';
        case 'email':
          return 'someone@example.pe';
        case 'uri':
        case 'url':
          return 'https://example.pe/';
        default: {
          const digits = /^\^(?:\\d|\[0-9\])\{(\d+)\}\$$/.exec(schema.pattern ?? '');
          if (digits) return '2'.repeat(Number(digits[1]));
          return 'text'.padEnd(schema.minLength ?? 0, 'x');
        }
      }
    default:
      return null;
  }
}

/** Single-quoted for a POSIX shell. */
const shellQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** The curl command of one operation, one option a line. */
export function curlCommand(
  method: string,
  path: string,
  op: CurlOperation,
  schemas: Record<string, Schema>,
  baseUrl: string,
): string {
  const params = op.parameters ?? [];
  const value = (p: (typeof params)[number]) => String(p.example ?? exampleOf(p.schema, schemas, p.name));
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const p = params.find((x) => x.in === 'path' && x.name === name);
    return encodeURIComponent(p ? value(p) : exampleId);
  });
  const query = params
    .filter((p) => p.in === 'query' && p.required)
    .map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(value(p))}`)
    .join('&');
  const url = `${baseUrl}${filled}${query ? `?${query}` : ''}`;
  const lines = [`curl${method === 'get' ? '' : ` -X ${method.toUpperCase()}`} ${shellQuote(url)}`];
  const secured = (op.security ?? []).some((s) => 'bearerAuth' in s);
  if (secured) lines.push(`-H "Authorization: Bearer $TOKEN"`);
  const content = op.requestBody?.content ?? {};
  const schema = content['application/json']?.schema;
  const other = Object.keys(content).find((type) => type !== 'application/json');
  if (schema && method !== 'get') {
    lines.push(`-H 'Content-Type: application/json'`);
    lines.push(`-d ${shellQuote(JSON.stringify(exampleOf(schema, schemas)))}`);
  } else if (other && method !== 'get') {
    // A body that is not JSON (a witness's cosignature note): sent from a file, byte for byte.
    lines.push(`-H ${shellQuote(`Content-Type: ${other}`)}`);
    lines.push('--data-binary @body.txt');
  }
  return lines.join(' \\\n  ');
}
