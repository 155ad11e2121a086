import { z } from 'zod';
import { text } from '../../domain/shared/localized';
import { ProblemError } from './problems';

/** `?limit=&cursor=`, the same on every list. */
export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(2048).optional(),
});

/**
 * An opaque cursor: the last key DynamoDB returned, base64url-encoded. Opaque so
 * that clients do not build keys; checked on the way back so that a cursor from
 * one community's list can never read another's partition.
 */
export function encodeCursor(lastKey: Record<string, unknown> | undefined): string | undefined {
  return lastKey ? Buffer.from(JSON.stringify(lastKey)).toString('base64url') : undefined;
}

/** The refusal of a cursor this list did not hand out. */
export const invalidCursor = (): ProblemError =>
  new ProblemError(
    'invalid_cursor',
    text(
      'Курсор не належить цьому списку. Почніть з першої сторінки без cursor.',
      'The cursor does not belong to this list. Start again from the first page without a cursor.',
    ),
    [{ pointer: '/query/cursor', detail: 'unknown cursor' }],
  );

/** @throws ProblemError `invalid_cursor` when the cursor is not one this list handed out. */
export function decodeCursor(
  cursor: string | undefined,
  expected: { attribute: string; value: string },
): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  const invalid = invalidCursor;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (
    typeof key !== 'object' ||
    key === null ||
    (key as Record<string, unknown>)[expected.attribute] !== expected.value
  ) {
    throw invalid();
  }
  return key as Record<string, unknown>;
}

/**
 * A store's page: the items, and the cursor to go on from when DynamoDB
 * stopped before the end (`lastKey`); no cursor on the last page.
 */
export function pageAfter<T>(
  items: T[],
  lastKey: Record<string, unknown> | undefined,
): { items: T[]; cursor?: string } {
  const cursor = encodeCursor(lastKey);
  return { items, ...(cursor ? { cursor } : {}) };
}

/** The page a list asks a store for, from its `?limit=&cursor=` (no cursor: the first page). */
export function pageRequest(query: { readonly limit: number; readonly cursor?: string | undefined }): {
  limit: number;
  cursor?: string;
} {
  return { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) };
}

/**
 * A list route's body: each item of the page in its view, and the page's
 * cursor when there is a next page.
 * @example return { status: 200, body: pageBody(page, budgetView) };
 */
export function pageBody<T, V>(
  page: { readonly items: readonly T[]; readonly cursor?: string | undefined },
  view: (item: T) => V,
): { items: V[]; cursor?: string } {
  return { items: page.items.map((item) => view(item)), ...(page.cursor ? { cursor: page.cursor } : {}) };
}
