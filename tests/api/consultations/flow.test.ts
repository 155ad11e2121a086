import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';
import {
  call,
  consultationsOf,
  createCommunity,
  createConsultation,
  paragraphId,
  residentOf,
  SURVEY,
} from './support';

/**
 * The acceptance flow over HTTP: create → open → comments on sections
 * and paragraphs with replies, votes, reports hiding a comment → survey
 * responses of every question type, each mistake its own 4xx → close →
 * report → export, whose counts equal the API's.
 */

let api: TestRuntime;
const COMMUNITY = 'consult';
const base = consultationsOf(COMMUNITY);
let council: string;
const residents: Record<string, string> = {};

beforeAll(async () => {
  // The demo data brings the platform admin `admin` (and shows that the demo consultation loads).
  api = await startTestRuntime();
  ({ council } = await createCommunity(api, COMMUNITY));
  for (const [name, district] of [
    ['r1', 'north'],
    ['r2', 'north'],
    ['r3', 'south'],
    ['r4', 'south'],
    ['r5', 'north'],
  ] as const) {
    residents[name] = await residentOf(api, COMMUNITY, name, district);
  }
});

afterAll(async () => {
  await api.stop();
});

const post = (path: string, token: string, body?: unknown) => api.call(path, call(token, 'POST', body));
const put = (path: string, token: string, body?: unknown) => api.call(path, call(token, 'PUT', body));
const get = async (path: string, token?: string) => jsonOf(await api.call(path, call(token, 'GET')));

describe('a consultation from creation to export', () => {
  it('takes comments, votes, reports and answers while open, then a report, and exports what the API counts', async () => {
    // Prepare: a draft with a survey, opened by the council.
    const consultation = await createConsultation(api, COMMUNITY, council, { survey: SURVEY });
    const item = `${base}/${consultation.id}`;
    const buses = paragraphId(consultation, 0);
    const parking = paragraphId(consultation, 2);
    const early = await post(`${item}/comments`, residents.r1 as string, { stance: 'for', text: 'Early' });
    expect(early.status).toBe(409);
    expect(await jsonOf(early)).toMatchObject({ code: 'consultation_not_open', currentPhase: 'draft' });
    expect((await post(`${item}/phase`, council, { phase: 'open' })).status).toBe(200);

    // Act: comments on a section, a paragraph and the whole, with replies down to depth 3.
    const comment = async (token: string, body: Record<string, unknown>) => {
      const response = await post(`${item}/comments`, token, body);
      expect(response.status, JSON.stringify(await jsonOf(response))).toBe(201);
      return (await jsonOf(response)).id as string;
    };
    const onSection = await comment(residents.r1 as string, {
      stance: 'for',
      text: 'Cycle lanes, please.',
      target: { kind: 'section', id: 'transport' },
    });
    const onParagraph = await comment(residents.r2 as string, {
      stance: 'against',
      text: 'Ten minutes is not enough.',
      target: { kind: 'paragraph', id: buses },
    });
    const onParking = await comment(residents.r3 as string, {
      stance: 'neutral',
      text: 'Free on Sundays?',
      target: { kind: 'paragraph', id: parking },
    });
    const toHide = await comment(residents.r5 as string, {
      stance: 'against',
      text: 'Some rude words here.',
    });
    const reply = await comment(residents.r2 as string, {
      stance: 'neutral',
      text: 'Why?',
      replyTo: onSection,
    });
    const replyToReply = await comment(residents.r1 as string, {
      stance: 'for',
      text: 'Because of safety.',
      replyTo: reply,
    });
    const tooDeep = await post(`${item}/comments`, residents.r3 as string, {
      stance: 'for',
      text: 'A fourth level',
      replyTo: replyToReply,
    });
    expect(tooDeep.status).toBe(409);
    expect(await jsonOf(tooDeep)).toMatchObject({ code: 'reply_too_deep', maxDepth: 3 });

    // Votes: one per resident and comment, changeable; the same vote again is not counted again.
    const vote = (token: string, commentId: string, value: 'up' | 'down') =>
      put(`${item}/comments/${commentId}/votes/me`, token, { value });
    const votes = await Promise.all([
      vote(residents.r2 as string, onSection, 'up'),
      vote(residents.r3 as string, onSection, 'up'),
      vote(residents.r4 as string, onSection, 'up'),
      vote(residents.r5 as string, onSection, 'down'),
      vote(residents.r1 as string, onParagraph, 'down'),
    ]);
    expect(votes.map((response) => response.status)).toEqual([201, 201, 201, 201, 201]);
    const changed = await vote(residents.r1 as string, onParagraph, 'up');
    const repeated = await vote(residents.r1 as string, onParagraph, 'up');
    expect(await jsonOf(changed)).toMatchObject({ outcome: 'changed', value: 'up' });
    expect(repeated.status).toBe(200);
    expect(await jsonOf(repeated)).toMatchObject({ outcome: 'unchanged' });

    // Reports: the third one hides the comment until a moderator decides.
    const report = (token: string) =>
      post(`/v1/communities/${COMMUNITY}/moderation/items/comment.${toHide}/reports`, token, {
        reasonCode: 'offensive',
      });
    const reports = [await report(residents.r1 as string), await report(residents.r2 as string)];
    const stillVisible = await get(`${item}/comments/${toHide}`);
    reports.push(await report(residents.r3 as string));
    expect(reports.map((response) => response.status)).toEqual([201, 201, 201]);
    expect(stillVisible).toMatchObject({ state: 'visible', text: 'Some rude words here.' });

    await api.runtime.drain();
    const hidden = await get(`${item}/comments/${toHide}`);
    expect(hidden).toMatchObject({ state: 'hidden', text: null, moderation: { reasonCode: 'reported' } });
    expect(await get(`${item}/comments/${onSection}`)).toMatchObject({ votes: { up: 3, down: 1 } });
    expect(await get(`${item}/comments/${onParagraph}`)).toMatchObject({ votes: { up: 1, down: 0 } });

    const transport = await get(`${item}/comments?section=transport&sort=top`);
    expect(transport.items.map((thread: { id: string }) => thread.id)).toEqual([onSection, onParagraph]);
    expect(
      transport.items[0].replies.map((entry: { id: string; depth: number }) => [entry.id, entry.depth]),
    ).toEqual([
      [reply, 2],
      [replyToReply, 3],
    ]);
    expect(
      (await get(`${item}/comments?section=parking`)).items.map((thread: { id: string }) => thread.id),
    ).toEqual([onParking]);
    const whole = await get(`${item}/comments?section=whole`);
    expect(whole.items).toEqual([expect.objectContaining({ id: toHide, state: 'hidden', text: null })]);

    // Survey: valid answers from four residents, one replaced.
    const answer = (token: string, answers: Record<string, unknown>) =>
      put(`${item}/survey/responses/me`, token, { answers });
    const given = [
      [
        residents.r1,
        { mode: 'bike', 'bike-days': 7, wants: ['lanes'], support: 5, priority: ['safety', 'speed', 'cost'] },
      ],
      [residents.r2, { mode: 'bus', wants: ['lanes', 'lights'], support: 2, ideas: 'More buses' }],
      [residents.r3, { mode: 'car', support: 1, priority: ['cost', 'speed', 'safety'] }],
      [residents.r4, { mode: 'bike', 'bike-days': 3, wants: ['racks'], support: 4 }],
    ] as const;
    for (const [token, answers] of given) expect((await answer(token as string, answers)).status).toBe(201);
    const replaced = await answer(residents.r3 as string, {
      mode: 'bus',
      support: 3,
      priority: ['cost', 'speed', 'safety'],
    });
    expect(replaced.status).toBe(200);

    // Each kind of mistake in an answer is its own problem, pointing at the question.
    const mistakes: [string, Record<string, unknown>, string, string][] = [
      ['a required question left out', { support: 3 }, 'answer_required', '/body/answers/mode'],
      ['an unknown question', { mode: 'bus', colour: 'red' }, 'unknown_question', '/body/answers/colour'],
      [
        'a question the answers hide',
        { mode: 'bus', 'bike-days': 3 },
        'answer_to_hidden_question',
        '/body/answers/bike-days',
      ],
      ['a number for a choice', { mode: 3 }, 'wrong_answer_type', '/body/answers/mode'],
      ['an option that does not exist', { mode: 'train' }, 'unknown_option', '/body/answers/mode'],
      [
        'the same option twice',
        { mode: 'bus', wants: ['lanes', 'lanes'] },
        'duplicate_choice',
        '/body/answers/wants/1',
      ],
      [
        'too many choices',
        { mode: 'bus', wants: ['lanes', 'racks', 'lights'] },
        'too_many_choices',
        '/body/answers/wants',
      ],
      ['a rating off the scale', { mode: 'bus', support: 6 }, 'scale_out_of_range', '/body/answers/support'],
      [
        'an option ranked twice',
        { mode: 'bus', priority: ['cost', 'cost', 'speed'] },
        'ranking_duplicate',
        '/body/answers/priority/1',
      ],
      [
        'an unknown option ranked',
        { mode: 'bus', priority: ['cost', 'fun', 'speed'] },
        'ranking_unknown_option',
        '/body/answers/priority/1',
      ],
      ['too little ranked', { mode: 'bus', priority: ['cost'] }, 'too_few_choices', '/body/answers/priority'],
      ['too long a text', { mode: 'bus', ideas: 'x'.repeat(21) }, 'text_too_long', '/body/answers/ideas'],
    ];
    for (const [what, answers, code, pointer] of mistakes) {
      const refused = await answer(residents.r5 as string, answers);
      const problem = await jsonOf(refused);
      expect(refused.status, what).toBe(422);
      expect(problem, what).toMatchObject({ code, type: `urn:hromada:problem:${code}` });
      expect(problem.errors, what).toContainEqual(expect.objectContaining({ pointer }));
    }
    expect(new Set(mistakes.map(([, , code]) => code)).size).toBe(12);
    expect((await api.call(`${item}/survey/responses/me`, call(residents.r5, 'GET'))).status).toBe(404);

    // Results are counters the stream tally keeps: read them once it has counted every response.
    await api.runtime.drain();
    const results = await get(`${item}/survey/results`);
    expect(results).toMatchObject({
      respondents: 4,
      questions: {
        mode: { type: 'single', answered: 4, counts: { bus: 2, bike: 2, car: 0 } },
        'bike-days': { type: 'scale', answered: 2, mean: { sum: 10, count: 2, rounded: '5.00' } },
        wants: { type: 'multiple', counts: { lanes: 2, racks: 1, lights: 1 } },
        support: { type: 'scale', distribution: { 1: 0, 2: 1, 3: 1, 4: 1, 5: 1 }, mean: { rounded: '3.50' } },
        priority: { type: 'ranking', answered: 2, borda: { safety: 2, speed: 2, cost: 2 } },
        ideas: { type: 'text', answered: 1 },
      },
      // Two respondents a district: counts only, nobody's answers readable off a district.
      byDistrict: { north: { respondents: 2, questions: {} }, south: { respondents: 2, questions: {} } },
    });
    expect(results.questions.ideas.answers).toBeUndefined();

    // Close: no more input, and the 409 names the phase.
    expect((await post(`${item}/phase`, council, { phase: 'closed' })).status).toBe(200);
    const late = await post(`${item}/comments`, residents.r4 as string, { stance: 'for', text: 'Late' });
    expect(late.status).toBe(409);
    expect(await jsonOf(late)).toMatchObject({ code: 'consultation_not_open', currentPhase: 'closed' });

    // Report: per section, what was heard and the decision, linked to the comments it answers.
    const published = await post(`${item}/report`, council, {
      summary: 'Thank you for taking part.',
      sections: [
        {
          sectionId: 'transport',
          summary: 'Most want cycle lanes.',
          decision: 'accepted',
          commentIds: [onSection, onParagraph],
        },
        {
          sectionId: 'parking',
          summary: 'Some want free Sundays.',
          decision: 'partially_accepted',
          reasons: { uk: 'Неділі безкоштовні.', en: 'Sundays are free.' },
          commentIds: [onParking],
        },
      ],
    });
    expect(published.status, JSON.stringify(await jsonOf(published))).toBe(201);
    expect(await get(`${item}/report`)).toMatchObject({
      sections: [
        {
          sectionId: 'transport',
          heading: 'Transport',
          decision: 'accepted',
          commentIds: [onSection, onParagraph],
        },
        { sectionId: 'parking', decision: 'partially_accepted', reasons: { en: 'Sundays are free.' } },
      ],
    });
    expect(await get(item)).toMatchObject({ phase: 'report_published', acceptsInput: false });

    // Assess: the export counts what the API counts (from the stream tally's counters), and names nobody.
    await api.runtime.drain();
    const shown = await get(item);
    const exported = await api.call(`${item}/export?format=json`, call(council, 'GET'));
    expect(exported.status).toBe(200);
    const document = await jsonOf(exported);
    expect(document.counts).toEqual(shown.counts);
    expect(shown.counts).toMatchObject({
      all: { total: 5, byStance: { for: 2, against: 1, neutral: 2 } },
      bySection: { transport: { total: 4 }, parking: { total: 1 } },
      whole: { total: 0 },
    });
    for (const row of document.comments) {
      const viaApi = await get(`${item}/comments/${row.commentId}`);
      expect({ up: row.up, down: row.down, state: row.state, sectionId: row.sectionId }).toEqual({
        ...viaApi.votes,
        state: viaApi.state,
        sectionId: viaApi.sectionId,
      });
    }
    expect(document.comments).toHaveLength(6);
    expect(document.survey.results.questions.support).toEqual(results.questions.support);
    expect(document.survey.results.questions.ideas.answers).toEqual(['More buses']);
    expect(document.survey.answers).toHaveLength(4);
    expect(JSON.stringify(document)).not.toMatch(/[0-9a-f]{64}/);

    const csv = await api.call(`${item}/export?format=csv`, call(council, 'GET'));
    const lines = (await csv.text()).trim().split('\r\n');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(lines[0]).toBe(
      'commentId,threadId,parentCommentId,depth,draftVersion,targetKind,targetId,attachedKind,attachedId,sectionId,' +
        'stance,state,moderationReasonCode,moderationReason,up,down,createdAt,editedAt,deletedAt,author,text',
    );
    expect(lines).toHaveLength(7);
    const answersCsv = await (
      await api.call(`${item}/export?format=csv&dataset=survey-answers`, call(council, 'GET'))
    ).text();
    expect(answersCsv.split('\r\n')[0]).toBe(
      'respondent,districtId,submittedAt,mode,bike-days,wants,support,priority,ideas',
    );
    expect(answersCsv).toContain('safety|speed|cost');

    await api.runtime.drain();
    const events = api.runtime.bus.published.filter(
      (event) => event.detail.consultationId === consultation.id,
    );
    expect(new Set(events.map((event) => event.name))).toEqual(
      new Set([
        'consultation.created.v1',
        'consultation.survey-set.v1',
        'consultation.phase-changed.v1',
        'consultation.comment-posted.v1',
        'consultation.comment-moderated.v1',
        'consultation.report-published.v1',
      ]),
    );
    const trail = await get(`/v1/communities/${COMMUNITY}/audit`, council);
    expect(
      trail.items
        .filter((entry: { target: string }) => entry.target === `consultation/${consultation.id}`)
        .map((entry: { action: string }) => entry.action),
    ).toEqual([
      'consultation.create',
      'consultation.phase-change',
      'consultation.phase-change',
      'consultation.report-publish',
      'consultation.export',
      'consultation.export',
      'consultation.export',
    ]);
  });
});
