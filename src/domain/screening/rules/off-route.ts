import { sql } from 'drizzle-orm';
import type { InspectionRule } from './types.js';

/**
 * OFF_ROUTE: a movement inspected at a checkpoint that does not sit on its declared fiscal route
 * (Decreto Legislativo 1103 and its rules: controlled inputs bound for mining areas travel on
 * the fiscal routes the authority sets, past its control posts): it left the route, where inputs are
 * diverted. High. One flag per checkpoint it was seen at.
 */
export const offRoute: InspectionRule = {
  code: 'OFF_ROUTE',
  kind: 'inspection',
  screen: (inspection) => sql`
    SELECT m.id AS subject_id, 'high'::text AS severity, cp.id::text AS fingerprint,
           jsonb_build_object(
             'movementCode', m.code, 'declaredRoute', m.route,
             'inspectionId', ${inspection.inspectionId}::uuid,
             'occurredAt', ${inspection.occurredAt}::timestamptz,
             'checkpointId', cp.id, 'checkpointCode', cp.code, 'checkpointName', cp.name,
             'checkpointRoutes', to_jsonb(cp.routes), 'checkpointLocation', ST_AsGeoJSON(cp.location)::jsonb
           ) AS evidence
      FROM movements m
      JOIN checkpoints cp ON cp.id = ${inspection.checkpointId}::uuid
     WHERE m.id = ${inspection.movementId}::uuid AND NOT (m.route = ANY(cp.routes))`,
  summarize: (e) =>
    `${e.movementCode}, declared on route "${e.declaredRoute}", was inspected at ${e.checkpointCode} (${e.checkpointName}), which controls ${JSON.stringify(e.checkpointRoutes)}: off its route`,
};
