// Importing @hono/zod-openapi gives every zod schema its `.openapi()`, which names the
// domain's shapes as components of the OpenAPI document.
import '@hono/zod-openapi';
import {
  flagSchema as flag,
  flagListItemSchema as flagListItem,
  flagSummarySchema as flagSummary,
  raisedFlagSchemaOf,
  reviewPreviewSchema as reviewPreview,
} from '../../domain/screening/schemas.js';

/** A flag with its review, as GET /v1/flags answers it. */
export const flagSchema = flag.openapi('Flag');
/** The flag as lots and movements carry it. */
export const flagSummarySchema = flagSummary.openapi('FlagSummary');
/** A flag a write raised (or would raise, in a dry run), with its subject. */
export const raisedFlagSchema = raisedFlagSchemaOf(flagSummarySchema).openapi('RaisedFlag');
/** A flag as the queue lists it, with its subject's printed code. */
export const flagListItemSchema = flagListItem.openapi('FlagListItem');
/** What a review would change (`?dryRun=true`). */
export const reviewPreviewSchema = reviewPreview.openapi('ReviewPreview');
