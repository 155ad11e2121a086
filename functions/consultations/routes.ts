import { AuditAction } from '../../domain/audit/intent';
import type { Community } from '../../domain/communities/community';
import { changePhase } from '../../domain/consultations/commands/change-phase';
import { createConsultation } from '../../domain/consultations/commands/create-consultation';
import { publishRevision } from '../../domain/consultations/commands/publish-revision';
import { setSurvey } from '../../domain/consultations/commands/set-survey';
import {
  createdEvent,
  phaseChangedEvent,
  revisedEvent,
  surveySetEvent,
} from '../../domain/consultations/events';
import { commentCounts, commentCountsFromTargets } from '../../domain/consultations/ranking';
import { SurveySchema } from '../../domain/consultations/survey';
import { text } from '../../domain/shared/localized';
import type { ProblemCode } from '../../domain/shared/problem-codes';
import { systemClock } from '../shared/ids';
import { type AnyRoute, defineRoute, type ToolDefinition, userScope } from '../shared/routes';
import { commentRoutes } from './comment-routes';
import { reportRoutes } from './report-routes';
import {
  BASE,
  councilAudit,
  currentDraftOf,
  draftOf,
  ITEM,
  loadConsultation,
  retrying,
  storeFor,
} from './requests';
import {
  ConsultationListSchema,
  ConsultationPathSchema,
  ConsultationSummarySchema,
  ConsultationsPathSchema,
  ConsultationViewSchema,
  CreateConsultationBodySchema,
  DraftViewSchema,
  ListConsultationsQuerySchema,
  PhaseBodySchema,
  RevisionBodySchema,
  VersionPathSchema,
} from './schemas';
import { surveyRoutes } from './survey-routes';
import { consultationView, draftView, summaryView } from './views';

const CONSULTATION_ERRORS: readonly ProblemCode[] = ['community_not_found', 'consultation_not_found'];
const DRAFT_ERRORS: readonly ProblemCode[] = [
  'draft_too_large',
  'too_many_sections',
  'too_many_paragraphs',
  'draft_empty',
  'duplicate_block_id',
];

const consultationRoutes: AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: BASE,
    auth: 'user',
    operationId: 'createConsultation',
    summary: 'Create a consultation with its draft as Markdown, and optionally a survey (council)',
    description:
      'The draft is split into sections (ATX headings) and paragraphs, each with a stable id (`{#id}` at the ' +
      'end of a heading sets one). It starts in `draft` and opens at `opensAt` (or when the council opens it).',
    params: ConsultationsPathSchema,
    body: CreateConsultationBodySchema,
    responses: { 201: { description: 'The new consultation', schema: ConsultationViewSchema } },
    errors: ['community_not_found', 'forbidden', 'invalid_dates', ...DRAFT_ERRORS],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const outcome = createConsultation(command, community, request.body);
      if (!outcome.ok) return outcome;
      const { consultation, draft } = outcome.value;
      const now = command.clock.now();
      const events = [
        createdEvent(command.ids, now, consultation),
        ...(consultation.survey ? [surveySetEvent(command.ids, now, consultation)] : []),
      ];
      await storeFor(request).create(
        outcome.value,
        events,
        councilAudit(command, AuditAction.consultationCreate, consultation, undefined, {
          title: consultation.title,
          phase: consultation.phase,
          opensAt: consultation.opensAt,
          closesAt: consultation.closesAt,
          draftVersion: draft.version,
          surveyQuestions: consultation.survey?.questions.length ?? 0,
        }),
      );
      return {
        status: 201,
        body: consultationView(consultation, draft, commentCounts(draft, []), now),
        headers: { location: `/v1/communities/${community.id}/consultations/${consultation.id}` },
      };
    },
  }),

  defineRoute({
    method: 'GET',
    path: BASE,
    auth: 'public',
    operationId: 'listConsultations',
    summary: 'Consultations in one phase (default `open`), newest first',
    params: ConsultationsPathSchema,
    query: ListConsultationsQuerySchema,
    cache: { maxAgeSeconds: 10 },
    responses: { 200: { description: 'A page of consultations', schema: ConsultationListSchema } },
    errors: ['community_not_found', 'invalid_cursor'],
    handle: async (request) => {
      const { phase, limit, cursor } = request.query;
      const page = await storeFor(request).list({
        communityId: (request.community as Community).id,
        phase,
        limit,
        ...(cursor ? { cursor } : {}),
      });
      const now = systemClock.now();
      return {
        status: 200,
        body: {
          items: page.items.map((consultation) => summaryView(consultation, now)),
          ...(page.cursor ? { cursor: page.cursor } : {}),
        },
      };
    },
  }),

  defineRoute({
    method: 'GET',
    path: ITEM,
    auth: 'public',
    operationId: 'getConsultation',
    summary: 'A consultation with its current draft, survey and comment counts per section and stance',
    description:
      'Counts are of published comments (replies included), each counted under the section it attaches to ' +
      'in the current version; `whole` holds comments on the whole consultation and on text before the first heading. ' +
      'They come from counters the stream tally keeps, so they follow a new comment within seconds.',
    params: ConsultationPathSchema,
    cache: { maxAgeSeconds: 10 },
    responses: { 200: { description: 'The consultation', schema: ConsultationViewSchema } },
    errors: CONSULTATION_ERRORS,
    handle: async (request) => {
      const consultation = await loadConsultation(request);
      if ('code' in consultation) return { error: consultation };
      // The counters the count tally keeps, never the comments: the cost does not grow with them.
      const [draft, counters] = await Promise.all([
        currentDraftOf(request, consultation),
        storeFor(request).commentCounts(consultation.communityId, consultation.id),
      ]);
      return {
        status: 200,
        body: consultationView(
          consultation,
          draft,
          commentCountsFromTargets(draft, counters),
          systemClock.now(),
        ),
      };
    },
  }),

  defineRoute({
    method: 'GET',
    path: `${ITEM}/versions/{version}`,
    auth: 'public',
    operationId: 'getConsultationDraftVersion',
    summary: 'One published version of the draft (every version is kept)',
    params: VersionPathSchema,
    cache: { maxAgeSeconds: 300 },
    responses: { 200: { description: 'The version', schema: DraftViewSchema } },
    errors: [...CONSULTATION_ERRORS, 'draft_version_not_found'],
    handle: async (request) => {
      const consultation = await loadConsultation(request);
      if ('code' in consultation) return { error: consultation };
      const draft =
        request.params.version <= consultation.currentVersion
          ? await draftOf(request, consultation, request.params.version)
          : undefined;
      if (!draft) {
        return {
          error: {
            code: 'draft_version_not_found',
            message: text('Такої редакції проєкту немає.', 'The draft has no such version.'),
            details: { version: request.params.version, currentVersion: consultation.currentVersion },
          },
        };
      }
      return { status: 200, body: draftView(draft) };
    },
  }),

  defineRoute({
    method: 'POST',
    path: `${ITEM}/revisions`,
    auth: 'user',
    operationId: 'publishConsultationRevision',
    summary: 'Publish a revised draft (council), before or while open',
    description:
      'Sections and paragraphs that are unchanged, moved or lightly edited keep their ids, so their comments ' +
      'stay on them; comments on removed ones attach to the nearest surviving section. Earlier versions are kept.',
    params: ConsultationPathSchema,
    body: RevisionBodySchema,
    responses: {
      201: { description: 'The consultation on its new version', schema: ConsultationViewSchema },
    },
    errors: [
      ...CONSULTATION_ERRORS,
      'forbidden',
      'invalid_phase',
      'draft_unchanged',
      'version_conflict',
      ...DRAFT_ERRORS,
    ],
    handle: async (request) => {
      const { command } = userScope(request);
      const store = storeFor(request);
      return retrying(async () => {
        const consultation = await loadConsultation(request);
        if ('code' in consultation) return { error: consultation };
        const current = await currentDraftOf(request, consultation);
        const outcome = publishRevision(command, consultation, current, request.body.markdown);
        if (!outcome.ok) return outcome;
        const revised = outcome.value;
        const now = command.clock.now();
        const saved = await store.saveRevision(
          consultation,
          revised,
          [revisedEvent(command.ids, now, revised.consultation, revised.draft)],
          councilAudit(
            command,
            AuditAction.consultationRevise,
            consultation,
            { draftVersion: consultation.currentVersion },
            { draftVersion: revised.draft.version },
          ),
        );
        if (saved === 'conflict') return 'conflict';
        const counters = await store.commentCounts(consultation.communityId, consultation.id);
        return {
          status: 201,
          body: consultationView(
            revised.consultation,
            revised.draft,
            commentCountsFromTargets(revised.draft, counters),
            now,
          ),
        };
      });
    },
  }),

  defineRoute({
    method: 'POST',
    path: `${ITEM}/phase`,
    auth: 'user',
    operationId: 'changeConsultationPhase',
    summary: 'Open early (optionally with a new closing date) or close early (council)',
    description: 'Phases only move forward: draft → open → closed; the report publishes `report_published`.',
    params: ConsultationPathSchema,
    body: PhaseBodySchema,
    responses: { 200: { description: 'The consultation', schema: ConsultationSummarySchema } },
    errors: [
      ...CONSULTATION_ERRORS,
      'forbidden',
      'invalid_phase_change',
      'invalid_dates',
      'version_conflict',
    ],
    handle: async (request) => {
      const { command } = userScope(request);
      return retrying(async () => {
        const consultation = await loadConsultation(request);
        if ('code' in consultation) return { error: consultation };
        const outcome = changePhase(command, consultation, request.body);
        if (!outcome.ok) return outcome;
        const next = outcome.value;
        const now = command.clock.now();
        const saved = await storeFor(request).save(
          consultation,
          next,
          [phaseChangedEvent(command.ids, now, consultation.phase, next, 'council')],
          councilAudit(
            command,
            AuditAction.consultationPhaseChange,
            consultation,
            { phase: consultation.phase, closesAt: consultation.closesAt },
            { phase: next.phase, closesAt: next.closesAt },
          ),
        );
        return saved === 'conflict' ? 'conflict' : { status: 200, body: summaryView(next, now) };
      });
    },
  }),

  defineRoute({
    method: 'PUT',
    path: `${ITEM}/survey`,
    auth: 'user',
    operationId: 'setConsultationSurvey',
    summary: 'Attach or replace the survey while the consultation is a draft (council)',
    description:
      'Questions: `single`, `multiple` (`min`/`max`), `scale` (`1-5` or `0-10`), `ranking` (optionally `top`), ' +
      '`text` (`maxLength`); each `required` or not, and optionally shown only when an earlier answer equals a value (`showIf`).',
    params: ConsultationPathSchema,
    body: SurveySchema,
    responses: { 200: { description: 'The survey as stored', schema: SurveySchema } },
    errors: [...CONSULTATION_ERRORS, 'forbidden', 'invalid_phase', 'version_conflict'],
    handle: async (request) => {
      const { command } = userScope(request);
      return retrying(async () => {
        const consultation = await loadConsultation(request);
        if ('code' in consultation) return { error: consultation };
        const outcome = setSurvey(command, consultation, request.body);
        if (!outcome.ok) return outcome;
        const next = outcome.value;
        const now = command.clock.now();
        const saved = await storeFor(request).save(
          consultation,
          next,
          [surveySetEvent(command.ids, now, next)],
          councilAudit(
            command,
            AuditAction.consultationSurveySet,
            consultation,
            { surveyQuestions: consultation.survey?.questions.length ?? 0 },
            { surveyQuestions: next.survey?.questions.length ?? 0 },
          ),
        );
        return saved === 'conflict' ? 'conflict' : { status: 200, body: next.survey };
      });
    },
  }),
];

/**
 * The consultations tool: drafts discussed section by section, comments and
 * their votes (counted by the stream tally), the survey, the council's report
 * and the export. Phases move by date in the `consultation-phases` job.
 */
export const consultationsTool: ToolDefinition = {
  name: 'consultations',
  entry: 'functions/consultations/http.ts',
  routes: [...consultationRoutes, ...commentRoutes, ...surveyRoutes, ...reportRoutes],
  tableActions: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:TransactWriteItems',
  ],
};
