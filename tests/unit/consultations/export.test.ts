import { describe, expect, it } from 'vitest';
import type { Comment } from '../../../domain/consultations/comment';
import { parseDraft } from '../../../domain/consultations/draft';
import {
  answerCsvRows,
  commentRows,
  RESULT_COLUMNS,
  resultRows,
  toCsv,
} from '../../../domain/consultations/export';
import { SurveySchema } from '../../../domain/consultations/survey';
import { type SurveyResponse, surveyResults } from '../../../domain/consultations/survey-results';
import type { CountedComment } from '../../../domain/consultations/threads';
import { sequence, succeeded } from './fixtures';

const draft = succeeded(parseDraft('# Goals {#goals}\n\nFewer cars.', sequence('B')));
const paragraph = draft.blocks[1]?.id as string;

function comment(overrides: Partial<Comment>): CountedComment {
  return {
    id: 'M1',
    communityId: 'demo',
    consultationId: 'K1',
    target: { kind: 'paragraph', id: paragraph },
    draftVersion: 1,
    threadId: 'M1',
    depth: 1,
    stance: 'against',
    text: 'Visible text',
    state: 'visible',
    authorKey: 'a'.repeat(64),
    createdAt: '2026-11-22T10:00:00.000Z',
    revision: 1,
    up: 4,
    down: 1,
    ...overrides,
  };
}

describe('toCsv', () => {
  it('quotes what needs quoting and keeps a spreadsheet from running a formula', () => {
    const csv = toCsv(
      ['a', 'b', 'c'],
      [
        { a: 'plain', b: 'with, comma', c: 'say "hi"' },
        { a: '=HYPERLINK("x")', b: -3, c: null },
        { a: 'line\nbreak', b: '+1', c: undefined },
      ],
    );

    expect(csv).toBe(
      'a,b,c\r\nplain,"with, comma","say ""hi"""\r\n"\'=HYPERLINK(""x"")",-3,\r\n"line\nbreak",\'+1,\r\n',
    );
  });
});

describe('commentRows', () => {
  it('names the section a comment attaches to, its votes and state, a pseudonym, and only published text', () => {
    const rows = commentRows(
      draft,
      [
        comment({
          id: 'M2',
          createdAt: '2026-11-22T11:00:00.000Z',
          state: 'hidden',
          moderation: { decision: 'hide', reasonCode: 'offensive', decidedAt: 'x', decidedBy: 'm' },
        }),
        comment({}),
      ],
      (key) => `person-${key.slice(0, 3)}`,
    );

    expect(rows.map((row) => row.commentId)).toEqual(['M1', 'M2']);
    expect(rows[0]).toMatchObject({
      sectionId: 'goals',
      attachedKind: 'paragraph',
      stance: 'against',
      up: 4,
      down: 1,
      author: 'person-aaa',
      text: 'Visible text',
    });
    expect(rows[1]).toMatchObject({
      state: 'hidden',
      moderationReasonCode: 'offensive',
      moderationReason: 'The text is offensive.',
      text: null,
    });
  });
});

describe('survey rows', () => {
  const survey = SurveySchema.parse({
    questions: [
      {
        id: 'mode',
        type: 'single',
        title: { uk: 'Як?', en: 'How?' },
        options: [
          { id: 'bus', label: { uk: 'А', en: 'B' } },
          { id: 'bike', label: { uk: 'В', en: 'B' } },
        ],
      },
      {
        id: 'order',
        type: 'ranking',
        title: { uk: 'Порядок', en: 'Order' },
        options: [
          { id: 'x', label: { uk: 'X', en: 'X' } },
          { id: 'y', label: { uk: 'Y', en: 'Y' } },
        ],
      },
    ],
  });

  it('flattens results overall and per district, and answers one column per question', () => {
    const responses: SurveyResponse[] = [
      { answers: { mode: 'bus', order: ['y', 'x'] }, districtId: 'north' },
      { answers: { mode: 'bus' } },
    ];

    const rows = resultRows(surveyResults(survey, responses));
    const answers = answerCsvRows(survey, [
      { respondent: 'p1', districtId: 'north', submittedAt: 't', answers: responses[0]?.answers ?? {} },
    ]);

    expect(RESULT_COLUMNS).toEqual(['districtId', 'questionId', 'type', 'measure', 'item', 'value']);
    expect(rows).toContainEqual({
      districtId: '',
      questionId: 'mode',
      type: 'single',
      measure: 'count',
      item: 'bus',
      value: 2,
    });
    expect(rows).toContainEqual({
      districtId: 'north',
      questionId: 'order',
      type: 'ranking',
      measure: 'borda',
      item: 'y',
      value: 1,
    });
    expect(toCsv(answers.columns, answers.cells)).toBe(
      'respondent,districtId,submittedAt,mode,order\r\np1,north,t,bus,y|x\r\n',
    );
  });
});
