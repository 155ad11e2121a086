import { describe, expect, it } from 'vitest';
import {
  decodeCursor,
  encodeCursor,
  indexCursor,
  PageQuerySchema,
  tableCursor,
} from '../../../functions/shared/pagination';
import { ProblemError } from '../../../functions/shared/problems';

describe('cursors', () => {
  const key = { PK: 'C#demo', SK: 'MEMBER#x' };
  const members = tableCursor({ PK: 'C#demo', SKPrefix: 'MEMBER#' });

  it('round-trips the last key of the same list', () => {
    const cursor = encodeCursor(key);

    expect(decodeCursor(cursor, members)).toEqual(key);
  });

  it('has no cursor after the last page', () => {
    expect(encodeCursor(undefined)).toBeUndefined();
  });

  it.each([
    ['another community', encodeCursor({ PK: 'C#other', SK: 'MEMBER#x' })],
    ['garbage', 'not-a-cursor!'],
    ['JSON that is not a key', Buffer.from('"x"').toString('base64url')],
  ])('refuses a cursor from %s', (_case, cursor) => {
    expect(() => decodeCursor(cursor, members)).toThrow(ProblemError);
  });

  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  it.each([
    ['an extra attribute', encode({ ...key, GSI1PK: 'C#demo#X' })],
    ['a missing attribute', encode({ PK: 'C#demo' })],
    ['a number where a string is expected', encode({ PK: 'C#demo', SK: 7 })],
    ['an empty sort key', encode({ PK: 'C#demo', SK: '' })],
    ['a sort key outside the prefix', encode({ PK: 'C#demo', SK: 'COMMUNITY' })],
    ['a sort key over DynamoDB’s 1,024 bytes', encode({ PK: 'C#demo', SK: `MEMBER#${'я'.repeat(600)}` })],
    ['a JSON array', encode(['C#demo', 'MEMBER#x'])],
    ['JSON null', encode(null)],
    ['an inherited attribute name', encode({ PK: 'C#demo', toString: 'MEMBER#x' })],
  ])('refuses a key of the right partition with %s', (_case, cursor) => {
    expect(() => decodeCursor(cursor, members)).toThrow(ProblemError);
  });

  it("takes an index's cursor only with the index's and the table's keys, its partition the list's", () => {
    const shape = indexCursor('GSI2', 'C#demo#MODA#k');
    const page = { PK: 'C#demo#MOD#1', SK: 'ITEM', GSI2PK: 'C#demo#MODA#k', GSI2SK: '2026#1' };

    expect(decodeCursor(encode(page), shape)).toEqual(page);
    expect(() => decodeCursor(encode({ ...page, GSI2PK: 'C#other#MODA#k' }), shape)).toThrow(ProblemError);
    expect(() => decodeCursor(encode({ ...page, GSI1PK: page.GSI2PK, GSI2PK: undefined }), shape)).toThrow(
      ProblemError,
    );
  });

  it('defaults the page size and bounds it', () => {
    expect(PageQuerySchema.parse({})).toEqual({ limit: 25 });
    expect(PageQuerySchema.parse({ limit: '10' })).toEqual({ limit: 10 });
    expect(PageQuerySchema.safeParse({ limit: '101' }).success).toBe(false);
    expect(PageQuerySchema.safeParse({ limit: '0' }).success).toBe(false);
  });
});
