import { v7 } from 'uuid';

/** Time-ordered UUIDs (RFC 9562 v7): keys sort by creation, so cursors are simple and stable. */
export const newId = (): string => v7();
