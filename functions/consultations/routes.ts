import { commentCounts } from '../../domain/consultations/ranking';
import { SurveySchema } from '../../domain/consultations/survey';
import type { ProblemCode } from '../../domain/shared/problem-codes';
import { pageBody } from '../shared/pagination';
import {
  type AnyRoute,
  answer,
  created,
  defineRoute,
  TABLE_READS,
  type ToolDefinition,
  userScope,
} from '../shared/routes';
import { commentRoutes } from './comment-routes';
import { reportRoutes } from './report-routes';
import { BASE, ITEM, useCasesFor } from './requests';
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
      return answer(
        await useCasesFor(request).create(command, community, request.body),
        ({ consultation, draft }) =>
          created(
            ITEM,
            { communityId: community.id, consultationId: consultation.id },
            consultationView(consultation, draft, commentCounts(draft, []), request.clock.now()),
          ),
      );
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
      const page = await useCasesFor(request).list({
        communityId: request.params.communityId,
        phase,
        limit,
        ...(cursor ? { cursor } : {}),
      });
      const now = request.clock.now();
      return {
        status: 200,
        body: pageBody(page, (consultation) => summaryView(consultation, now)),
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
    handle: async (request) =>
      answer(
        await useCasesFor(request).page(request.params.communityId, request.params.consultationId),
        ({ consultation, draft, counts }) => ({
          status: 200,
          body: consultationView(consultation, draft, counts, request.clock.now()),
        }),
      ),
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
      const { communityId, consultationId, version } = request.params;
      return answer(await useCasesFor(request).version(communityId, consultationId, version), (draft) => ({
        status: 200,
        body: draftView(draft),
      }));
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
      const { command, community } = userScope(request);
      const { consultationId } = request.params;
      return answer(
        await useCasesFor(request).revise(command, community.id, consultationId, request.body.markdown),
        ({ consultation, draft, counts }) => ({
          status: 201,
          body: consultationView(consultation, draft, counts, request.clock.now()),
        }),
      );
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
      const { command, community } = userScope(request);
      return answer(
        await useCasesFor(request).changePhase(
          command,
          community.id,
          request.params.consultationId,
          request.body,
        ),
        (consultation) => ({ status: 200, body: summaryView(consultation, request.clock.now()) }),
      );
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
      const { command, community } = userScope(request);
      return answer(
        await useCasesFor(request).setSurvey(
          command,
          community.id,
          request.params.consultationId,
          request.body,
        ),
        (consultation) => ({ status: 200, body: consultation.survey }),
      );
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
  tableActions: [...TABLE_READS, 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:TransactWriteItems'],
  indexes: ['GSI1', 'GSI2', 'GSI3', 'GSI4'],
};
