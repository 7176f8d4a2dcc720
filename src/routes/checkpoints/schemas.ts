import '@hono/zod-openapi';
import { checkpointSchema as checkpoint } from '../../domain/reference/schemas.js';

export const checkpointSchema = checkpoint.openapi('Checkpoint');
