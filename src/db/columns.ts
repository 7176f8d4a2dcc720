import { customType } from 'drizzle-orm/pg-core';

/** Column types that drizzle-orm lacks or gets wrong, declared once for every table. */

/**
 * PostGIS geometry columns with an explicit type and SRID. drizzle-orm 0.45's own `geometry()`
 * handles points only and drops the SRID (drizzle-orm#2675), so the column types are declared
 * here. Values are written with ST_GeomFromGeoJSON and read with ST_AsGeoJSON in the queries
 * that need them (see domain/reference/geometry.ts); the driver value itself is never parsed in JS.
 */
export const multiPolygon = customType<{ data: string; driverData: string }>({
  dataType: () => 'geometry(MultiPolygon,4326)',
});

/** Any geometry in WGS 84, where a table holds more than one kind (a check names which). */
export const anyGeometry = customType<{ data: string; driverData: string }>({
  dataType: () => 'geometry(Geometry,4326)',
});

export const point = customType<{ data: string; driverData: string }>({
  dataType: () => 'geometry(Point,4326)',
});

/** PostgreSQL's 64-bit transaction id (never wraps around). */
export const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

/** Raw bytes (hashes). */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});
