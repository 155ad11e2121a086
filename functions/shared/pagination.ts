import { z } from 'zod';
import { text } from '../../domain/shared/localized';
import { ProblemError } from './problems';
import { type IndexName, TABLE } from './table';

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

/**
 * What one attribute of a list's cursor must hold: exactly the list's
 * partition (`is`), a sort key under the list's prefix (`startsWith`), or any
 * key string (`key`: where the list's query puts no condition on the attribute).
 */
export type CursorAttribute = { readonly is: string } | { readonly startsWith: string } | 'key';

/**
 * The key a list's query returns as `LastEvaluatedKey`, attribute by
 * attribute: a cursor must decode to exactly these attributes. DynamoDB
 * refuses (a 500 here) an ExclusiveStartKey with another attribute set, a
 * value of another type, an empty or over-long key, or a key outside the
 * query's key condition; checking the shape first makes each of those a 400.
 */
export type CursorShape = Readonly<Record<string, CursorAttribute>>;

/** DynamoDB's limit on a sort key (a partition key may hold 2,048): no key the lists hand out comes near it. */
const KEY_BYTES = 1024;

/**
 * The cursor of a list that queries the table itself: its partition, and its
 * sort-key prefix when the query reads only the keys under it.
 * @example decodeCursor(page.cursor, tableCursor(keys.members(communityId)))
 */
export function tableCursor(list: { readonly PK: string; readonly SKPrefix?: string }): CursorShape {
  return {
    [TABLE.partitionKey]: { is: list.PK },
    [TABLE.sortKey]: list.SKPrefix === undefined ? 'key' : { startsWith: list.SKPrefix },
  };
}

/**
 * The cursor of a list that queries one index by its partition: the index's
 * keys and the table's (DynamoDB returns both for an index), the index's
 * partition exactly the list's.
 * @example decodeCursor(cursor, indexCursor('GSI1', keys.budgetListing(communityId).GSI1PK))
 */
export function indexCursor(index: IndexName, partition: string): CursorShape {
  const { partitionKey, sortKey } = TABLE.indexes.find((candidate) => candidate.name === index) as {
    partitionKey: string;
    sortKey: string;
  };
  return {
    [TABLE.partitionKey]: 'key',
    [TABLE.sortKey]: 'key',
    [partitionKey]: { is: partition },
    [sortKey]: 'key',
  };
}

/**
 * Whether a value from a cursor can stand as a key (or a key condition's
 * value) in a query: a non-empty string within DynamoDB's {@link KEY_BYTES}.
 * Positions that are not whole keys (an export's, a comment list's) check
 * their sort keys with it too.
 */
export function isKeyValue(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && Buffer.byteLength(value, 'utf8') <= KEY_BYTES;
}

/** Whether a cursor's value is what its attribute must hold. */
function holds(value: unknown, rule: CursorAttribute): boolean {
  if (!isKeyValue(value)) return false;
  if (rule === 'key') return true;
  if ('is' in rule) return value === rule.is;
  return value.startsWith(rule.startsWith);
}

/** A cursor read back as a JSON object (not an array, not a value), or the refusal. */
function cursorObject(cursor: string): Record<string, unknown> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalidCursor();
  return key as Record<string, unknown>;
}

/**
 * The start key of a list's next page, from a cursor it handed out.
 * @throws ProblemError `invalid_cursor` when the cursor is not exactly of the list's `shape`.
 * @example ExclusiveStartKey: decodeCursor(query.cursor, tableCursor(keys.members(communityId)))
 */
export function decodeCursor(
  cursor: string | undefined,
  shape: CursorShape,
): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  const key = cursorObject(cursor);
  const attributes = Object.keys(key);
  const expected = Object.entries(shape);
  if (
    attributes.length !== expected.length ||
    !expected.every(([attribute, rule]) => Object.hasOwn(key, attribute) && holds(key[attribute], rule))
  ) {
    throw invalidCursor();
  }
  return key as Record<string, string>;
}

/**
 * A cursor that is not a DynamoDB key but a position of its own (an export's,
 * a comment list's), tagged with what handed it out: the caller checks the
 * rest of it.
 * @throws ProblemError `invalid_cursor` when it is not a JSON object carrying the tag.
 */
export function decodeTaggedCursor(
  cursor: string | undefined,
  tag: { readonly attribute: string; readonly value: string },
): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  const position = cursorObject(cursor);
  if (position[tag.attribute] !== tag.value) throw invalidCursor();
  return position;
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
