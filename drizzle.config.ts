import { defineConfig } from 'drizzle-kit';

// Migrations are generated for the postgresql dialect (drizzle-kit cannot load PGlite's
// PostGIS extension) and applied by drizzle's migrator on PGlite and PostgreSQL alike.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './drizzle',
  tablesFilter: ['!spatial_ref_sys', '!geography_columns', '!geometry_columns'],
});
