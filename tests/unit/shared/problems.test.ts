import { describe, expect, it } from 'vitest';
import { text, validationMessage } from '../../../domain/shared/localized';
import { PROBLEM_TYPES, problemBody, problemFromDomainError } from '../../../functions/shared/problems';

describe('problem details', () => {
  it('builds an RFC 9457 body in the asked language', () => {
    const body = problemBody('forbidden', text('Лише рада.', 'Only the council.'), 'en');

    expect(body).toEqual({
      type: 'urn:hromada:problem:forbidden',
      title: 'Forbidden',
      status: 403,
      detail: 'Only the council.',
      code: 'forbidden',
    });
    expect(problemBody('forbidden', text('Лише рада.', 'Only the council.'), 'uk').title).toBe(
      'Доступ заборонено',
    );
  });

  it('turns domain details into errors[] and extensions, unpacking bilingual messages', () => {
    const body = problemFromDomainError(
      {
        code: 'validation_failed',
        message: text('Погано.', 'Bad.'),
        details: {
          errors: [{ pointer: '/body/districts', detail: validationMessage(text('унікальні', 'unique')) }],
          limit: 3,
        },
      },
      'uk',
    );

    expect(body).toMatchObject({
      status: 400,
      limit: 3,
      errors: [{ pointer: '/body/districts', detail: 'унікальні' }],
    });
  });

  it('answers 500 for a code nobody mapped, rather than guessing', () => {
    expect(problemBody('no_such_code', text('a', 'b'), 'en')).toMatchObject({
      status: 500,
      code: 'internal_error',
    });
  });

  it('has a title in both languages and an error status for every code', () => {
    for (const [code, type] of Object.entries(PROBLEM_TYPES)) {
      expect(type.title.uk, code).not.toBe('');
      expect(type.title.en, code).not.toBe('');
      expect(type.status, code).toBeGreaterThanOrEqual(400);
    }
  });
});
