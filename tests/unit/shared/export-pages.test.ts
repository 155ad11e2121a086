import { describe, expect, it } from 'vitest';
import { parsePabulib } from '../../../domain/budgets/pabulib/parse';
import { writePabulib, writePabulibHead, writePabulibVotes } from '../../../domain/budgets/pabulib/write';
import { type KeyedItem, nextPageLink, pageOfRows } from '../../../functions/shared/export-pages';
import { pabulibText } from '../../support/pabulib';

/** Items with sort keys `k01`…, counting how many the page pulled. */
function itemsOf(sizes: readonly number[]) {
  let pulled = 0;
  async function* generate(): AsyncGenerator<KeyedItem> {
    for (const [at, size] of sizes.entries()) {
      pulled += 1;
      yield { key: `k${String(at + 1).padStart(2, '0')}`, item: { size, at } };
    }
  }
  return { items: generate(), pulled: () => pulled };
}

const sizeOf = (row: { size: number }) => row.size;
const asRow = (item: Record<string, unknown>) => item as { size: number; at: number };

describe('pageOfRows', () => {
  it('takes `rows` items and names the last one as where the next page starts', async () => {
    const source = itemsOf([1, 1, 1, 1, 1]);

    const page = await pageOfRows(source.items, { rows: 3, bytes: 100 }, asRow, sizeOf);

    expect(page.rows.map((row) => row.at)).toEqual([0, 1, 2]);
    expect(page.after).toBe('k03');
    // One item looked at beyond the page, to know that more remains; no more.
    expect(source.pulled()).toBe(4);
  });

  it('ends when nothing is left, without a next position', async () => {
    const page = await pageOfRows(itemsOf([1, 1, 1]).items, { rows: 3, bytes: 100 }, asRow, sizeOf);

    expect(page.rows).toHaveLength(3);
    expect(page.after).toBeUndefined();
  });

  it('ends before the row that would pass the byte limit, but always takes one', async () => {
    const bytes = await pageOfRows(itemsOf([40, 40, 40]).items, { rows: 10, bytes: 100 }, asRow, sizeOf);
    const huge = await pageOfRows(itemsOf([500, 1]).items, { rows: 10, bytes: 100 }, asRow, sizeOf);

    expect(bytes.rows.map((row) => row.at)).toEqual([0, 1]);
    expect(bytes.after).toBe('k02');
    expect(huge.rows.map((row) => row.at)).toEqual([0]);
    expect(huge.after).toBe('k01');
  });

  it('counts an item that gives no row as read, and goes on after it', async () => {
    const page = await pageOfRows(
      itemsOf([1, 1, 1, 1]).items,
      { rows: 2, bytes: 100 },
      (item) => (asRow(item).at % 2 === 0 ? undefined : asRow(item)),
      sizeOf,
    );

    expect(page.rows.map((row) => row.at)).toEqual([1]);
    expect(page.after).toBe('k02');
  });
});

describe('nextPageLink', () => {
  it('keeps the query and adds the cursor', () => {
    expect(nextPageLink('/v1/x/export', { format: 'csv', pot: undefined }, 'abc')).toEqual({
      link: '</v1/x/export?format=csv&cursor=abc>; rel="next"',
    });
  });
});

describe('a pabulib file written in pages', () => {
  it('is the whole file: the head, then the votes from any line on', () => {
    const instance = parsePabulib(pabulibText('Synthetic_MES_seed23_300voters.pb'));
    const head = writePabulibHead(instance);

    const pages = [0, 7, 150, instance.ballots.length].slice(1).map((end, at, ends) => {
      const start = at === 0 ? 0 : (ends[at - 1] as number);
      return writePabulibVotes(instance, instance.ballots.slice(start, end), head.lines + start + 1);
    });

    expect(head.text + pages.join('')).toBe(writePabulib(instance));
    expect(head.text.split('\n')).toHaveLength(head.lines + 1);
  });
});
