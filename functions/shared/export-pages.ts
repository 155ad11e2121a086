import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AppConfig } from './config';
import { decodeTaggedCursor, encodeCursor } from './pagination';

/**
 * The one way an export pages. API Gateway passes at most 6 MB from a Lambda
 * and cannot stream, so an export answers one page: at most
 * {@link EXPORT_LIMIT_BYTES} and at most `exportPageRows` items read, ending at
 * a whole row. When more remains, a `Link: <…>; rel="next"` header names the
 * next page. Text pages concatenated in order are the whole file (headers only
 * on the first page).
 */
export const EXPORT_LIMIT_BYTES = 5 * 1024 * 1024;

/** Items one export page reads by default: well under the byte limit for any usual row, and a bounded read. */
export const EXPORT_PAGE_ROWS = 5_000;

/** The rows a page reads: `EXPORT_PAGE_ROWS` from the environment (tests make pages small), else the default. */
export const exportPageRows = (config: Pick<AppConfig, 'exportPageRows'>): number =>
  config.exportPageRows ?? EXPORT_PAGE_ROWS;

/**
 * An export's cursor: where the page ended and what numbering goes on, tied to
 * one export (`kind` names the export, its subject and its format), so that a
 * cursor of another export or of a list is refused with `invalid_cursor`.
 */
export const exportCursor = (kind: string, position: Record<string, unknown>): string =>
  encodeCursor({ export: kind, ...position }) as string;

/** @throws ProblemError `invalid_cursor` when the cursor was not handed out by this export. */
export function exportPosition(
  cursor: string | undefined,
  kind: string,
): Record<string, unknown> | undefined {
  return decodeTaggedCursor(cursor, { attribute: 'export', value: kind });
}

/** The `Link` header of the next page: the same path and query, and the cursor. */
export function nextPageLink(
  path: string,
  query: Readonly<Record<string, string | undefined>>,
  cursor: string,
): Record<string, string> {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, value);
  search.set('cursor', cursor);
  return { link: `<${path}?${search.toString()}>; rel="next"` };
}

/** An item with its sort key in the index the export reads. */
export interface KeyedItem {
  readonly key: string;
  readonly item: Record<string, unknown>;
}

/**
 * The items of several partitions of one index in ascending sort-key order
 * after `after`: a merge that reads each partition `chunk` items at a time,
 * only as far as the consumer takes. Sort keys are unique across the
 * partitions (they end with the item's own id), so the last key taken is a
 * cursor for all of them.
 */
export async function* mergedAfter(
  client: DynamoDBDocumentClient,
  input: {
    readonly tableName: string;
    readonly indexName: string;
    readonly partitionAttribute: string;
    readonly sortAttribute: string;
    readonly partitions: readonly string[];
    readonly after?: string;
    readonly chunk: number;
  },
): AsyncGenerator<KeyedItem> {
  const sources = input.partitions.map((partition) => ({
    partition,
    buffer: [] as Record<string, unknown>[],
    startKey: undefined as Record<string, unknown> | undefined,
    done: false,
  }));
  const refill = async (source: (typeof sources)[number]) => {
    const page = await client.send(
      new QueryCommand({
        TableName: input.tableName,
        IndexName: input.indexName,
        KeyConditionExpression: input.after === undefined ? '#pk = :pk' : '#pk = :pk AND #sk > :after',
        ExpressionAttributeNames: {
          '#pk': input.partitionAttribute,
          ...(input.after === undefined ? {} : { '#sk': input.sortAttribute }),
        },
        ExpressionAttributeValues: {
          ':pk': source.partition,
          ...(input.after === undefined ? {} : { ':after': input.after }),
        },
        Limit: input.chunk,
        ExclusiveStartKey: source.startKey,
      }),
    );
    source.buffer.push(...(page.Items ?? []));
    source.startKey = page.LastEvaluatedKey;
    source.done = page.LastEvaluatedKey === undefined;
  };
  for (;;) {
    // A partition whose page ran out but that has more must show its next item before any is taken.
    await Promise.all(sources.filter((source) => source.buffer.length === 0 && !source.done).map(refill));
    let lowest: (typeof sources)[number] | undefined;
    for (const source of sources) {
      const head = source.buffer[0];
      if (
        head &&
        (!lowest ||
          (head[input.sortAttribute] as string) < (lowest.buffer[0]?.[input.sortAttribute] as string))
      )
        lowest = source;
    }
    const item = lowest?.buffer.shift();
    if (!item) return;
    yield { key: item[input.sortAttribute] as string, item };
  }
}

/** One page's rows, and the sort key to go on after when more remains. */
export interface PageOfRows<Row> {
  readonly rows: Row[];
  /** The sort key of the last item this page read; absent when nothing remains. */
  readonly after?: string;
}

/**
 * Takes items until `rows` of them are read or the next row would take the
 * page past `bytes`; at least one row is always taken, so that an export
 * always moves on. `rowOf` turns an item into a row (undefined: the item is
 * read but gives none, e.g. another pot's ballot); `sizeOf` is a row's size
 * in the page. Whether more remains is known by looking one item ahead.
 */
export async function pageOfRows<Row>(
  items: AsyncIterator<KeyedItem>,
  limits: { readonly rows: number; readonly bytes: number },
  rowOf: (item: Record<string, unknown>) => Row | undefined,
  sizeOf: (row: Row) => number,
): Promise<PageOfRows<Row>> {
  const rows: Row[] = [];
  let read = 0;
  let bytes = 0;
  let last: string | undefined;
  for (;;) {
    const next = await items.next();
    if (next.done) return { rows };
    if (read === limits.rows) {
      await items.return?.(undefined);
      return { rows, after: last };
    }
    const row = rowOf(next.value.item);
    if (row !== undefined) {
      const size = sizeOf(row);
      if (rows.length > 0 && bytes + size > limits.bytes) {
        await items.return?.(undefined);
        return { rows, after: last };
      }
      rows.push(row);
      bytes += size;
    }
    read += 1;
    last = next.value.key;
  }
}
