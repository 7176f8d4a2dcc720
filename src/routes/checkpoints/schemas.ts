import { z } from '@hono/zod-openapi';
import { watchlistSchema as watchlist } from '../../domain/inputs/schemas.js';
import { airLinkSchema as airLink, checkpointSchema as checkpoint } from '../../domain/reference/schemas.js';
import { pageQuery } from '../../http/openapi.js';

export const checkpointSchema = checkpoint.openapi('Checkpoint');

/** GET /v1/checkpoints: page by page. */
export const checkpointListQuery = z.object(pageQuery);

export const watchlistSchema = watchlist.openapi('CheckpointWatchlist');

const airLinkSchema = airLink.openapi('AirLink');

/** The links a declaration wrote (one, or two with bothWays), as they now stand. */
export const airLinksSchema = z.object({ items: z.array(airLinkSchema) }).openapi('AirLinks');
