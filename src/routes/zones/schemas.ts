import { z } from '@hono/zod-openapi';
import { zoneSchema as zone } from '../../domain/reference/schemas.js';
import { zoneKinds } from '../../domain/shared/vocabulary.js';
import { bboxQuery, listDetailQuery, pageQuery } from '../../http/openapi.js';

export const zoneSchema = zone.openapi('Zone');

/** GET /v1/zones: by bounding box and kind. */
export const zoneListQuery = z.object({
  bbox: bboxQuery,
  kind: z.enum(zoneKinds).optional(),
  detail: listDetailQuery,
  ...pageQuery,
});
