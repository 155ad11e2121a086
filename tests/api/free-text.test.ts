import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, startTestRuntime, type TestRuntime } from '../support/runtime';

/**
 * The probe's free-text payloads, one route family at a time: a right-to-left
 * override, NUL, C1 controls and lone surrogates (sent as the JSON escape
 * `\ud800`, which `JSON.stringify` writes for a lone surrogate: UTF-8 has no
 * encoding for one) got through every free-text field, and a NUL-only text
 * passed a minimum length. Each is now a 400 `validation_failed` pointing at
 * the field and naming the character, and the table is left as it was.
 */

const COMMUNITY = 'txt';
const RLO = '\u202E';
const NUL = '\u0000';
const LONE = '\uD800';

let api: TestRuntime;
const tokens: Record<string, string> = {};
let petitionId: string;
let draftPetition: Record<string, unknown>;
let consultationId: string;
let budgetId: string;

const community = `/v1/communities/${COMMUNITY}`;

const request = (token: string | undefined, method: string, body?: unknown) => ({
  method,
  ...(token ? { token } : {}),
  headers: { 'content-type': 'application/json', 'accept-language': 'en' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

/** What a 201 answered: the created entity's view. */
async function created(path: string, token: string, body: unknown) {
  const response = await api.call(path, request(token, 'POST', body));
  expect(response.status).toBe(201);
  return jsonOf(response);
}

/**
 * Sends a probe and checks the answer: 400, the field's pointer with a detail
 * naming what is wrong, and not one item of the table changed.
 */
async function expectRefused(
  path: string,
  init: RequestInit & { token?: string },
  pointer: string,
  detail: string,
) {
  const before = await api.settledItems();

  const response = await api.call(path, init);
  const problem = await jsonOf(response);

  expect(response.status).toBe(400);
  expect(problem.code).toBe('validation_failed');
  expect(problem.errors).toContainEqual({ pointer, detail: expect.stringContaining(detail) });
  expect(await api.settledItems()).toEqual(before);
}

beforeAll(async () => {
  api = await startTestRuntime();
  tokens.admin = await api.token({ sub: 'admin' });
  const made = await api.call(
    '/v1/communities',
    request(tokens.admin, 'POST', {
      id: COMMUNITY,
      settings: {
        names: { uk: 'Текст', en: 'Text' },
        districts: [{ id: 'north', names: { uk: 'Північ', en: 'North' } }],
      },
      council: [{ subject: 'council' }],
    }),
  );
  expect(made.status).toBe(201);
  const person = (sub: string) =>
    api.token({ sub, community: COMMUNITY, district: 'north', birthdate: '1990-05-05' });
  tokens.council = await person('council');
  tokens.resident = await person('resident');

  draftPetition = await created(`${community}/petitions`, tokens.resident, {
    title: '  Лавки біля обʼєкта на Шевченка 🌳 ',
    text: 'Перший абзац.\n\nДругий, з м’ятою.\n',
  });
  petitionId = draftPetition.id as string;
  const hour = 3_600_000;
  consultationId = (
    await created(`${community}/consultations`, tokens.council, {
      title: 'Mobility plan for the centre',
      summary: 'Buses and cycle lanes.',
      ownerDepartment: 'Transport department',
      opensAt: new Date(Date.now() + hour).toISOString(),
      closesAt: new Date(Date.now() + 240 * hour).toISOString(),
      markdown: '# Transport {#transport}\n\nBuses every ten minutes.',
      survey: {
        questions: [{ id: 'ideas', type: 'text', maxLength: 200, title: { uk: 'Ідеї', en: 'Ideas' } }],
      },
    })
  ).id;
  budgetId = (
    await created(`${community}/budgets`, tokens.council, {
      names: { uk: 'Бюджет участі', en: 'Participatory budget' },
      totalAmount: 1_000_000,
      ballot: { type: 'approval' },
      rule: 'greedy',
    })
  ).id;
});

afterAll(async () => {
  await api.stop();
});

describe('free text in petitions', () => {
  const petitions = `${community}/petitions`;

  it('keeps Ukrainian apostrophes, emoji and paragraphs as they were sent, trimmed', () => {
    expect(draftPetition).toMatchObject({
      title: 'Лавки біля обʼєкта на Шевченка 🌳',
      text: 'Перший абзац.\n\nДругий, з м’ятою.',
    });
  });

  it('refuses a right-to-left override in a title', async () => {
    await expectRefused(
      petitions,
      request(tokens.resident, 'POST', { title: `Invoice ${RLO}fdp.exe for the council`, text: 'x' }),
      '/body/title',
      'direction-override character (U+202E) at position 9',
    );
  });

  it('refuses a NUL-only text, which passed the minimum length', async () => {
    await expectRefused(
      petitions,
      request(tokens.resident, 'POST', { title: 'A long enough title', text: NUL }),
      '/body/text',
      'control character (U+0000) at position 1',
    );
  });

  it('refuses a lone surrogate, sent as its JSON escape', async () => {
    const body = JSON.stringify({ title: 'A long enough title', text: `abc${LONE}` });
    expect(body).toContain('\\ud800');

    await expectRefused(
      petitions,
      { ...request(tokens.resident, 'POST'), body },
      '/body/text',
      'unpaired surrogate (U+D800) at position 4',
    );
  });

  it('refuses a line break in a title, which is one line', async () => {
    await expectRefused(
      petitions,
      request(tokens.resident, 'POST', { title: 'A long enough\ntitle', text: 'x' }),
      '/body/title',
      'single line',
    );
  });

  it('refuses a C1 control in the council’s answer and in a paper-signature note', async () => {
    await expectRefused(
      `${petitions}/${petitionId}/response`,
      request(tokens.council, 'POST', { text: 'We agree\u009B31m.', decision: 'supported' }),
      '/body/text',
      'control character (U+009B)',
    );
    await expectRefused(
      `${petitions}/${petitionId}/offline-signatures`,
      request(tokens.council, 'POST', { count: 5, note: `Box ${NUL}7` }),
      '/body/note',
      'control character (U+0000)',
    );
  });

  it('refuses an override in the search terms of the list', async () => {
    const response = await api.call(
      `${petitions}?q=${encodeURIComponent(`park${RLO}`)}`,
      request(undefined, 'GET'),
    );

    expect(response.status).toBe(400);
    expect((await jsonOf(response)).errors).toContainEqual({
      pointer: '/query/q',
      detail: expect.stringContaining('direction-override character (U+202E) at position 5'),
    });
  });
});

describe('free text in moderation', () => {
  const item = () => `${community}/moderation/items/petition.${petitionId}`;

  it('refuses NUL in a report’s note, an isolate in an appeal and a lone surrogate in a decision’s note', async () => {
    await expectRefused(
      `${item()}/reports`,
      request(tokens.resident, 'POST', { reasonCode: 'spam', note: `see${NUL}` }),
      '/body/note',
      'control character (U+0000) at position 4',
    );
    await expectRefused(
      `${item()}/appeal`,
      request(tokens.resident, 'POST', { text: 'Please look again \u2067here' }),
      '/body/text',
      'direction-override character (U+2067)',
    );
    await expectRefused(
      `${item()}/decisions`,
      request(tokens.council, 'POST', { decision: 'approve', note: `ok${LONE}` }),
      '/body/note',
      'unpaired surrogate (U+D800)',
    );
  });

  it('answers in Ukrainian for a Ukrainian caller', async () => {
    const response = await api.call(`${item()}/reports`, {
      ...request(tokens.resident, 'POST', { reasonCode: 'spam', note: `see${NUL}` }),
      headers: { 'content-type': 'application/json', 'accept-language': 'uk' },
    });

    expect((await jsonOf(response)).errors).toContainEqual({
      pointer: '/body/note',
      detail: 'містить керівний символ (U+0000) на позиції 4; приберіть його',
    });
  });
});

describe('free text and strict bodies in consultations', () => {
  const item = () => `${community}/consultations/${consultationId}`;

  it('refuses NUL in a comment and an override in its edit', async () => {
    await expectRefused(
      `${item()}/comments`,
      request(tokens.resident, 'POST', { stance: 'for', text: `Agree${NUL}` }),
      '/body/text',
      'control character (U+0000) at position 6',
    );
    await expectRefused(
      `${item()}/comments/01JD0000000000000000000000`,
      request(tokens.resident, 'PATCH', { text: `Agree ${RLO}` }),
      '/body/text',
      'direction-override character (U+202E)',
    );
  });

  it('refuses NUL in the Markdown and a line break in the owner department', async () => {
    await expectRefused(
      `${item()}/revisions`,
      request(tokens.council, 'POST', { markdown: `# Transport\n\nBuses${NUL}` }),
      '/body/markdown',
      'control character (U+0000) at position 19',
    );
    await expectRefused(
      `${community}/consultations`,
      request(tokens.council, 'POST', {
        title: 'Mobility plan',
        summary: 'Buses.',
        ownerDepartment: 'Transport\ndepartment',
        opensAt: '2030-01-01T00:00:00Z',
        closesAt: '2030-02-01T00:00:00Z',
        markdown: '# A\n\nB',
      }),
      '/body/ownerDepartment',
      'single line',
    );
  });

  it('refuses an override in a free-text survey answer, at the answer’s pointer', async () => {
    await expectRefused(
      `${item()}/survey/responses/me`,
      request(tokens.resident, 'PUT', { answers: { ideas: `More buses ${RLO}` } }),
      '/body/answers/ideas',
      'direction-override character (U+202E) at position 12',
    );
  });

  it('refuses a lone surrogate in the report', async () => {
    await expectRefused(
      `${item()}/report`,
      request(tokens.council, 'POST', { summary: { uk: 'Підсумок', en: `Summary${LONE}` }, sections: [] }),
      '/body/summary/en',
      'unpaired surrogate (U+D800) at position 8',
    );
  });

  it('refuses a line break in a survey question’s title', async () => {
    await expectRefused(
      `${item()}/survey`,
      request(tokens.council, 'PUT', {
        questions: [
          { id: 'ideas', type: 'text', maxLength: 200, title: { uk: 'Ідеї', en: 'Ideas\nand more' } },
        ],
      }),
      '/body/questions/0/title/en',
      'single line',
    );
  });

  it.each([
    [
      'the survey',
      { questions: [{ id: 'q', type: 'scale', range: '1-5', title: { uk: 'а', en: 'a' } }], colour: 'red' },
      '/body',
    ],
    [
      'a question',
      { questions: [{ id: 'q', type: 'scale', range: '1-5', title: { uk: 'а', en: 'a' }, colour: 'red' }] },
      '/body/questions/0',
    ],
    [
      'a title',
      { questions: [{ id: 'q', type: 'scale', range: '1-5', title: { uk: 'а', en: 'a', fr: 'a' } }] },
      '/body/questions/0/title',
    ],
    [
      'an option',
      {
        questions: [
          {
            id: 'q',
            type: 'single',
            title: { uk: 'а', en: 'a' },
            options: [
              { id: 'x', label: { uk: 'х', en: 'x' }, colour: 'red' },
              { id: 'y', label: { uk: 'у', en: 'y' } },
            ],
          },
        ],
      },
      '/body/questions/0/options/0',
    ],
    [
      'a condition',
      {
        questions: [
          { id: 'a', type: 'scale', range: '1-5', title: { uk: 'а', en: 'a' } },
          {
            id: 'b',
            type: 'scale',
            range: '1-5',
            title: { uk: 'б', en: 'b' },
            showIf: { questionId: 'a', equals: 5, colour: 'red' },
          },
        ],
      },
      '/body/questions/1/showIf',
    ],
  ])(
    'refuses an unknown key in %s of a survey, which was silently dropped',
    async (_where, survey, pointer) => {
      await expectRefused(
        `${item()}/survey`,
        request(tokens.council, 'PUT', survey),
        pointer,
        'Unrecognized key',
      );
    },
  );
});

describe('free text in budgets', () => {
  const budgets = `${community}/budgets`;
  const project = () => `${budgets}/${budgetId}/projects/01JD0000000000000000000000`;

  it('refuses a lone surrogate in a project description', async () => {
    await expectRefused(
      `${budgets}/${budgetId}/projects`,
      request(tokens.resident, 'POST', {
        title: 'A new park',
        description: `Trees ${LONE}`,
        costEstimate: 1000,
      }),
      '/body/description',
      'unpaired surrogate (U+D800) at position 7',
    );
  });

  it('refuses an override in a budget’s name, NUL in a review reason and DEL in a progress note', async () => {
    await expectRefused(
      budgets,
      request(tokens.council, 'POST', {
        names: { uk: 'Бюджет', en: `Budget ${RLO}` },
        totalAmount: 1000,
        ballot: { type: 'approval' },
        rule: 'greedy',
      }),
      '/body/names/en',
      'direction-override character (U+202E)',
    );
    await expectRefused(
      `${project()}/review`,
      request(tokens.council, 'POST', { outcome: 'unfeasible', reason: `Too costly${NUL}` }),
      '/body/reason',
      'control character (U+0000)',
    );
    await expectRefused(
      `${project()}/progress`,
      request(tokens.council, 'POST', { note: 'Started\u007F' }),
      '/body/note',
      'control character (U+007F)',
    );
  });

  it('refuses NUL in an imported pabulib file and an override in its names', async () => {
    const file = {
      method: 'POST',
      token: tokens.council,
      headers: { 'content-type': 'text/plain', 'accept-language': 'en' },
    };

    await expectRefused(
      `${budgets}/import`,
      { ...file, body: `META\nkey;value\n${NUL}` },
      '/body',
      'control character (U+0000) at position 16',
    );
    await expectRefused(
      `${budgets}/import?names=${encodeURIComponent(`City ${RLO}`)}`,
      { ...file, body: 'META\nkey;value\n' },
      '/query/names',
      'direction-override character (U+202E)',
    );
  });
});

describe('free text in community settings', () => {
  it('refuses an override in a community’s name and NUL in a district’s name', async () => {
    await expectRefused(
      '/v1/communities',
      request(tokens.admin, 'POST', {
        id: 'other',
        settings: { names: { uk: `Громада${RLO}`, en: 'Community' } },
        council: [{ subject: 'council' }],
      }),
      '/body/settings/names/uk',
      'direction-override character (U+202E) at position 8',
    );
    await expectRefused(
      `${community}/settings`,
      request(tokens.council, 'PATCH', {
        districts: [{ id: 'north', names: { uk: 'Північ', en: `North${NUL}` } }],
      }),
      '/body/districts/0/names/en',
      'control character (U+0000) at position 6',
    );
  });
});
