import type { Context } from 'hono';
import { toFeatureCollection } from '../domain/shared/geojson.js';
import type { Page } from '../domain/shared/page.js';

/** True when the client asked for GeoJSON (`Accept: application/geo+json`). */
export const wantsGeoJson = (c: Context): boolean =>
  /application\/geo\+json/i.test(c.req.header('accept') ?? '');

/**
 * A page as a GeoJSON FeatureCollection (RFC 7946); the next page is linked in a `Link` header
 * (RFC 8288), since a FeatureCollection has no place for a cursor.
 */
export function geoJsonPage<T extends { id: string }>(c: Context, page: Page<T>, geometryKey: keyof T) {
  const headers: Record<string, string> = { 'content-type': 'application/geo+json' };
  if (page.nextCursor) {
    const next = new URL(c.req.url);
    next.searchParams.set('cursor', page.nextCursor);
    headers.link = `<${next.pathname}${next.search}>; rel="next"`;
  }
  // c.json keeps a content-type given in headers, so the body is served as application/geo+json.
  return c.json(toFeatureCollection(page.items, geometryKey), 200, headers);
}
