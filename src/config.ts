import { z } from 'zod';

/** Environment of the service, parsed once before the app runs. */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  /** Unset: the embedded PGlite (with PostGIS) in DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  /** What QR URLs and docs links start with; default http://localhost:PORT. */
  BASE_URL: z.string().url().optional(),
  /** Identity provider's key set; unset on Node: the locally generated key (see keys.ts). */
  JWKS_URL: z.string().url().optional(),
  /** An inline JSON Web Key Set, for deployments whose identity provider publishes no URL. */
  JWT_PUBLIC_JWKS: z.string().optional(),
  JWT_ISSUER: z.string().min(1).default('orotrace-local'),
  JWT_AUDIENCE: z.string().min(1).default('orotrace'),
  /** auto: load the Madre de Dios demo on first start of the embedded database only. */
  DEMO_DATA: z.enum(['auto', 'on', 'off']).default('auto'),
});

export type Config = z.infer<typeof configSchema> & { BASE_URL: string };

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = configSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  );
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${fields}`);
  }
  const base = (parsed.data.BASE_URL ?? `http://localhost:${parsed.data.PORT}`).replace(/\/+$/, '');
  return { ...parsed.data, BASE_URL: base };
}
