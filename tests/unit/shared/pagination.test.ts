import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, PageQuerySchema } from '../../../functions/shared/pagination';
import { ProblemError } from '../../../functions/shared/problems';

describe('cursors', () => {
  const key = { PK: 'C#demo', SK: 'MEMBER#x' };

  it('round-trips the last key of the same list', () => {
    const cursor = encodeCursor(key);

    expect(decodeCursor(cursor, { attribute: 'PK', value: 'C#demo' })).toEqual(key);
  });

  it('has no cursor after the last page', () => {
    expect(encodeCursor(undefined)).toBeUndefined();
  });

  it.each([
    ['another community', encodeCursor({ PK: 'C#other', SK: 'MEMBER#x' })],
    ['garbage', 'not-a-cursor!'],
    ['JSON that is not a key', Buffer.from('"x"').toString('base64url')],
  ])('refuses a cursor from %s', (_case, cursor) => {
    expect(() => decodeCursor(cursor, { attribute: 'PK', value: 'C#demo' })).toThrow(ProblemError);
  });

  it('defaults the page size and bounds it', () => {
    expect(PageQuerySchema.parse({})).toEqual({ limit: 25 });
    expect(PageQuerySchema.parse({ limit: '10' })).toEqual({ limit: 10 });
    expect(PageQuerySchema.safeParse({ limit: '101' }).success).toBe(false);
    expect(PageQuerySchema.safeParse({ limit: '0' }).success).toBe(false);
  });
});
