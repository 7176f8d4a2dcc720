import { ApiError } from './errors.js';

export interface PageRequest {
  cursor?: string | undefined;
  limit: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The id after which the next page starts; cursors are opaque to clients (base64url of the id). */
export function afterId(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  let id: string;
  try {
    id = Buffer.from(cursor, 'base64url').toString('utf8');
  } catch {
    id = '';
  }
  if (!uuidPattern.test(id)) {
    throw new ApiError('validation', 'cursor is not one this API issued', {
      errors: [{ field: 'cursor', message: 'unknown cursor' }],
    });
  }
  return id;
}

/** Rows were fetched with `limit + 1`: the extra one says whether a next page exists. */
export function pageFrom<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last ? Buffer.from(last.id, 'utf8').toString('base64url') : null,
  };
}
