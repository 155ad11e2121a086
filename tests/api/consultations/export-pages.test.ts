import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';
import { call, consultationsOf, createCommunity, createConsultation, residentOf, SURVEY } from './support';

/**
 * A consultation's export a page at a time: with a page size smaller than its
 * comments and responses (`EXPORT_PAGE_ROWS`, read on each request), following
 * `Link` `rel="next"` to the end gives exactly the one-page export (CSV bytes;
 * JSON rows joined); each page is on the audit record; a cursor of another
 * export or of a list is refused.
 */

let api: TestRuntime;
let council: string;
let item: string;
const COMMUNITY = 'exportpages';
const base = consultationsOf(COMMUNITY);

/** The `Link rel="next"` target of a response, if any. */
function nextOf(response: Response): string | undefined {
  const link = response.headers.get('link');
  return link ? /^<([^>]+)>; rel="next"$/.exec(link)?.[1] : undefined;
}

/** Every page of an export from `path`, following `Link rel="next"` until it ends. */
async function pagesOf(path: string): Promise<Response[]> {
  const pages: Response[] = [];
  let next: string | undefined = path;
  while (next !== undefined) {
    const response = await api.call(next, call(council, 'GET'));
    expect(response.status, next).toBe(200);
    pages.push(response);
    next = nextOf(response);
    expect(pages.length).toBeLessThan(50);
  }
  return pages;
}

async function withPageRows<T>(rows: string | undefined, run: () => Promise<T>): Promise<T> {
  if (rows === undefined) delete process.env.EXPORT_PAGE_ROWS;
  else process.env.EXPORT_PAGE_ROWS = rows;
  try {
    return await run();
  } finally {
    delete process.env.EXPORT_PAGE_ROWS;
  }
}

const exportsRecorded = async (): Promise<number> => {
  await api.runtime.drain();
  const trail = await jsonOf(
    await api.call(`/v1/communities/${COMMUNITY}/audit?limit=100`, call(council, 'GET')),
  );
  return trail.items.filter((entry: { action: string }) => entry.action === 'consultation.export').length;
};

beforeAll(async () => {
  api = await startTestRuntime();
  ({ council } = await createCommunity(api, COMMUNITY));
  const consultation = await createConsultation(api, COMMUNITY, council, { survey: SURVEY, open: true });
  item = `${base}/${consultation.id}`;
  // 7 residents: 7 comments, 4 replies, 7 responses (one with a comma and a quote in its text).
  for (let at = 0; at < 7; at += 1) {
    const resident = await residentOf(api, COMMUNITY, `r${at}`, at % 2 === 0 ? 'north' : 'south');
    const posted = await api.call(
      `${item}/comments`,
      call(resident, 'POST', {
        stance: ['for', 'against', 'neutral'][at % 3],
        text: `Comment ${at}, "quoted"`,
      }),
    );
    expect(posted.status).toBe(201);
    if (at % 2 === 0) {
      const replied = await api.call(
        `${item}/comments`,
        call(resident, 'POST', {
          stance: 'neutral',
          text: `Reply ${at}`,
          replyTo: (await jsonOf(posted)).id,
        }),
      );
      expect(replied.status).toBe(201);
    }
    const answered = await api.call(
      `${item}/survey/responses/me`,
      call(resident, 'PUT', {
        answers: { mode: at % 2 === 0 ? 'bus' : 'car', support: (at % 5) + 1, ideas: `Idea ${at}, "x"` },
      }),
    );
    expect(answered.status).toBe(201);
  }
  // The tallies count before a paged export reads their counters.
  await api.runtime.drain();
});

afterEach(() => {
  delete process.env.EXPORT_PAGE_ROWS;
});

afterAll(async () => {
  await api.stop();
});

describe('a consultation export, page by page', () => {
  it.each([
    ['comments', 11, [3, 3, 3, 2]],
    ['survey-answers', 7, [3, 3, 1]],
  ] as const)(
    'csv %s: the pages concatenated are the whole file, each page recorded',
    async (dataset, rows, perPage) => {
      const path = `${item}/export?format=csv&dataset=${dataset}`;
      const [whole] = await withPageRows(undefined, () => pagesOf(path));
      const recordedBefore = await exportsRecorded();
      const pages = await withPageRows('3', () => pagesOf(path));
      const texts = await Promise.all(pages.map((page) => page.text()));
      const wholeText = await (whole as Response).text();

      expect(nextOf(whole as Response)).toBeUndefined();
      expect(wholeText.trimEnd().split('\r\n')).toHaveLength(rows + 1);
      expect(texts.map((page) => page.split('\r\n').length - 1)).toEqual([
        perPage[0] + 1,
        ...perPage.slice(1),
      ]);
      expect(texts.join('')).toBe(wholeText);
      expect(await exportsRecorded()).toBe(recordedBefore + pages.length);
    },
  );

  it('json: each page is the document with its rows and next; joined, they are the whole export', async () => {
    const path = `${item}/export?format=json`;
    const [whole] = await withPageRows(undefined, () => pagesOf(path));
    const pages = await withPageRows('4', () => pagesOf(path));
    const documents = await Promise.all(pages.map((page) => jsonOf(page)));
    const wholeDocument = await jsonOf(whole as Response);

    // 11 comments then 7 answers, 4 rows a page.
    expect(documents.map((document) => [document.comments.length, document.survey.answers.length])).toEqual([
      [4, 0],
      [4, 0],
      [3, 1],
      [0, 4],
      [0, 2],
    ]);
    expect(documents.map((document) => typeof document.next)).toEqual([
      'string',
      'string',
      'string',
      'string',
      'undefined',
    ]);
    expect(wholeDocument.next).toBeUndefined();
    expect(documents.flatMap((document) => document.comments)).toEqual(wholeDocument.comments);
    expect(documents.flatMap((document) => document.survey.answers)).toEqual(wholeDocument.survey.answers);
    // Paged, the counts and results come from the tallies: the same numbers, text answers only in `answers`.
    for (const document of documents) {
      expect(document.counts).toEqual(wholeDocument.counts);
      expect(document.survey.results.questions.support).toEqual(
        wholeDocument.survey.results.questions.support,
      );
      expect(document.survey.results.respondents).toBe(7);
    }
    expect(wholeDocument.survey.results.questions.ideas.answers).toHaveLength(7);
  });

  it.each(['uk', 'en'])('refuses a cursor of another export or of a list with 400 (%s)', async (language) => {
    const first = await withPageRows('3', () =>
      api.call(`${item}/export?format=csv&dataset=comments`, call(council, 'GET')),
    );
    await first.body?.cancel();
    const cursor = new URL(nextOf(first) as string, api.url).searchParams.get('cursor') as string;
    await createConsultation(api, COMMUNITY, council);
    const listed = await jsonOf(await api.call(`${base}?limit=1`, call(council, 'GET')));
    expect(listed.cursor).toEqual(expect.any(String));

    for (const path of [
      `${item}/export?format=csv&dataset=survey-answers&cursor=${cursor}`,
      `${item}/export?format=json&cursor=${cursor}`,
      `${item}/export?format=csv&dataset=comments&cursor=${encodeURIComponent(listed.cursor)}`,
    ]) {
      const refused = await api.call(path, call(council, 'GET', undefined, language));
      const problem = await jsonOf(refused);
      expect(refused.status, path).toBe(400);
      expect(problem, path).toMatchObject({ code: 'invalid_cursor' });
      expect(problem.detail, path).toBe(
        language === 'uk'
          ? 'Курсор не належить цьому списку. Почніть з першої сторінки без cursor.'
          : 'The cursor does not belong to this list. Start again from the first page without a cursor.',
      );
    }
  });
});
