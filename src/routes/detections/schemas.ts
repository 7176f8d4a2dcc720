import { z } from '@hono/zod-openapi';
import {
  detectionListQuery as listQuery,
  miningSummarySchema as summary,
} from '../../domain/reports/mining-outside-concessions.js';
import { areaSchema, pointSchema } from '../../domain/shared/geojson.js';
import { detectionKinds } from '../../domain/shared/vocabulary.js';
import { bboxQuery, pageQuery } from '../../http/openapi.js';

export const miningSummarySchema = summary.openapi('MiningByDistrict');

export const detectionSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(detectionKinds),
    source: z.string(),
    period: z.string(),
    observedFrom: z.string(),
    observedTo: z.string(),
    polygonAreaHa: z.string().nullable(),
    minedAreaHa: z.string().nullable(),
    geometry: z.union([pointSchema, areaSchema]),
  })
  .openapi('Detection');

/** GET /v1/detections: by bounding box, period and kind. */
export const detectionListQuery = listQuery.extend({ bbox: bboxQuery, ...pageQuery });
