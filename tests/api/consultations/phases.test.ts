import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceDuePhases } from '../../../functions/consultations/phase-job';
import { dynamoConsultationStore } from '../../../functions/consultations/store';
import { documentClient } from '../../../functions/shared/dynamo';
import { ulidGenerator } from '../../../functions/shared/ids';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';
import { call, consultationsOf, createCommunity, createConsultation, residentOf, SURVEY } from './support';

/**
 * Phases over HTTP: comments, replies, edits, votes and survey answers are
 * taken only while open, and everything else gets a 409 that names the phase
 * (in the caller's language); the schedule opens and closes by the dates.
 */

let api: TestRuntime;
const COMMUNITY = 'phases';
const base = consultationsOf(COMMUNITY);
let council: string;
let resident: string;

beforeAll(async () => {
  api = await startTestRuntime();
  ({ council } = await createCommunity(api, COMMUNITY));
  resident = await residentOf(api, COMMUNITY, 'resident');
});

afterAll(async () => {
  await api.stop();
});

/** Every kind of input, against one consultation, one comment on it and that comment's reply target. */
const inputs = (item: string, commentId: string) =>
  [
    ['a comment', 'POST', `${item}/comments`, { stance: 'for', text: 'Hello' }],
    ['a reply', 'POST', `${item}/comments`, { stance: 'for', text: 'Hello', replyTo: commentId }],
    ['an edit', 'PATCH', `${item}/comments/${commentId}`, { text: 'Edited' }],
    ['a vote', 'PUT', `${item}/comments/${commentId}/votes/me`, { value: 'up' }],
    ['a vote withdrawn', 'DELETE', `${item}/comments/${commentId}/votes/me`, undefined],
    ['survey answers', 'PUT', `${item}/survey/responses/me`, { answers: { mode: 'bus' } }],
  ] as const;

async function refusedEverywhere(
  item: string,
  commentId: string,
  phase: string,
  names: { uk: string; en: string },
) {
  for (const [what, method, path, body] of inputs(item, commentId)) {
    const [english, ukrainian] = await Promise.all([
      api.call(path, call(resident, method, body, 'en')),
      api.call(path, call(resident, method, body, 'uk')),
    ]);
    expect(english.status, `${what} while ${phase}`).toBe(409);
    expect(await jsonOf(english), what).toMatchObject({ code: 'consultation_not_open', currentPhase: phase });
    expect((await jsonOf(english)).detail, what).toContain(names.en);
    expect((await jsonOf(ukrainian)).detail, what).toContain(`«${names.uk}»`);
  }
}

describe('input outside the open phase', () => {
  it('is refused with 409 naming the phase: draft, closed and report published', async () => {
    const consultation = await createConsultation(api, COMMUNITY, council, { survey: SURVEY });
    const item = `${base}/${consultation.id}`;
    const beforeOpening = await api.call(
      `${item}/comments`,
      call(resident, 'POST', { stance: 'for', text: 'Hi' }),
    );
    expect(beforeOpening.status).toBe(409);
    expect(await jsonOf(beforeOpening)).toMatchObject({
      code: 'consultation_not_open',
      currentPhase: 'draft',
    });
    expect((await jsonOf(beforeOpening)).detail).toContain('draft');

    await api.call(`${item}/phase`, call(council, 'POST', { phase: 'open' }));
    const posted = await api.call(`${item}/comments`, call(resident, 'POST', { stance: 'for', text: 'Hi' }));
    expect(posted.status).toBe(201);
    const commentId = (await jsonOf(posted)).id as string;

    await api.call(`${item}/phase`, call(council, 'POST', { phase: 'closed' }));
    await refusedEverywhere(item, commentId, 'closed', { uk: 'закрита', en: 'closed' });

    const report = await api.call(
      `${item}/report`,
      call(council, 'POST', {
        sections: [{ sectionId: 'transport', summary: 'Heard.', decision: 'accepted', commentIds: [] }],
      }),
    );
    expect(report.status).toBe(201);
    // The voting path reads consultations up to two seconds old (see comment-routes.ts); let that pass.
    await new Promise((wake) => setTimeout(wake, 2_100));
    await refusedEverywhere(item, commentId, 'report_published', {
      uk: 'звіт оприлюднено',
      en: 'report published',
    });
  });

  it('answers a move the phase table does not allow with 409 naming both phases', async () => {
    const consultation = await createConsultation(api, COMMUNITY, council);
    const item = `${base}/${consultation.id}`;

    const closingADraft = await api.call(`${item}/phase`, call(council, 'POST', { phase: 'closed' }));
    const reportOnADraft = await api.call(
      `${item}/report`,
      call(council, 'POST', { sections: [{ sectionId: 'transport', summary: 'x', decision: 'accepted' }] }),
    );

    expect(closingADraft.status).toBe(409);
    expect(await jsonOf(closingADraft)).toMatchObject({
      code: 'invalid_phase_change',
      currentPhase: 'draft',
      requestedPhase: 'closed',
    });
    expect(reportOnADraft.status).toBe(409);
    expect(await jsonOf(reportOnADraft)).toMatchObject({ code: 'invalid_phase', currentPhase: 'draft' });
  });
});

describe('the phase schedule', () => {
  it('opens a draft whose opensAt has come and closes it at closesAt, by the scheduled job', async () => {
    const hour = 3_600_000;
    const closesAt = new Date(Date.now() + 2 * hour).toISOString();
    const created = await api.call(
      base,
      call(council, 'POST', {
        title: 'Opens by the schedule',
        summary: 'A consultation whose opening date has passed.',
        ownerDepartment: 'Transport department',
        opensAt: new Date(Date.now() - 60_000).toISOString(),
        closesAt,
        markdown: '# Only {#only}\n\nOne paragraph.',
      }),
    );
    const id = (await jsonOf(created)).id as string;

    await api.runtime.scheduler.runNow('consultation-phases');
    const opened = await jsonOf(await api.call(`${base}/${id}`));
    const store = dynamoConsultationStore(
      documentClient({ dynamoEndpoint: api.runtime.endpoint, region: 'eu-central-1' }),
      api.runtime.tableName,
    );
    const afterClosing = { now: () => new Date(Date.parse(closesAt) + 1_000) };
    const run = await advanceDuePhases(store, afterClosing, ulidGenerator());
    const closed = await jsonOf(await api.call(`${base}/${id}`));

    expect(opened).toMatchObject({ phase: 'open', acceptsInput: true });
    expect(run.moved).toBeGreaterThanOrEqual(1);
    expect(closed).toMatchObject({ phase: 'closed', acceptsInput: false });
    await api.runtime.drain();
    expect(
      api.runtime.bus.published
        .filter(
          (event) => event.detail.consultationId === id && event.name === 'consultation.phase-changed.v1',
        )
        .map((event) => [event.detail.to, event.detail.by]),
    ).toEqual([
      ['open', 'schedule'],
      ['closed', 'schedule'],
    ]);
  });
});
