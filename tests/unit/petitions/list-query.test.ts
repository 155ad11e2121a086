import { describe, expect, it } from 'vitest';
import { localizeMessage } from '../../../domain/shared/localized';
import { ListPetitionsQuerySchema } from '../../../functions/petitions/schemas';

/** The issues a query string raises, as the HTTP layer reports them: the field and the English text. */
const issuesOf = (query: Readonly<Record<string, string | undefined>>) => {
  const parsed = ListPetitionsQuerySchema.safeParse(query);
  return parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ path: issue.path, en: localizeMessage(issue.message, 'en') }));
};

const REFUSED = {
  path: ['state'],
  en: 'The public list shows published petitions only; sort=closing needs state=open.',
};

describe('the public petition list query', () => {
  it.each([{}, { state: 'closed' }, { state: 'hidden', sort: 'signatures' }, { sort: 'closing' }])(
    'takes %j',
    (query) => {
      expect(issuesOf(query)).toEqual([]);
    },
  );

  it.each([
    { state: 'draft' },
    { state: 'in_moderation', sort: 'newest' },
    { state: 'closed', sort: 'closing' },
  ])('refuses %j on the state, in both languages', (query) => {
    expect(issuesOf(query)).toEqual([REFUSED]);
    const [issue] = ListPetitionsQuerySchema.safeParse(query).error?.issues ?? [];
    expect(localizeMessage(issue?.message ?? '', 'uk')).toMatch(/^Публічний список/);
  });
});
