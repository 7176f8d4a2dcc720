import '@hono/zod-openapi';
import { watchlistSchema as watchlist } from '../../domain/inputs/schemas.js';
import { checkpointSchema as checkpoint } from '../../domain/reference/schemas.js';

export const checkpointSchema = checkpoint.openapi('Checkpoint');
export const watchlistSchema = watchlist.openapi('CheckpointWatchlist');
