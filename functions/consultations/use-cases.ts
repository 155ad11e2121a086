import type { Community } from '../../domain/communities/community';
import type { Page } from '../../domain/communities/ports';
import {
  advancePhase,
  type ChangePhaseInput,
  changePhase,
} from '../../domain/consultations/commands/change-phase';
import {
  type ConsultationWithDraft,
  type CreateConsultationInput,
  createConsultation,
} from '../../domain/consultations/commands/create-consultation';
import {
  type ConsultationWithReport,
  type PublishReportInput,
  publishReport,
} from '../../domain/consultations/commands/publish-report';
import { publishRevision } from '../../domain/consultations/commands/publish-revision';
import { setSurvey } from '../../domain/consultations/commands/set-survey';
import {
  responseOvertaken,
  type SurveyResponseToWrite,
  submitSurveyResponse,
} from '../../domain/consultations/commands/submit-survey-response';
import type { Consultation } from '../../domain/consultations/consultation';
import type { Draft } from '../../domain/consultations/draft';
import type { ParticipationRules } from '../../domain/consultations/eligibility';
import type {
  ConsultationQuery,
  ConsultationStore,
  StoredSurveyResponse,
} from '../../domain/consultations/ports';
import { type ConsultationCommentCounts, commentCountsFromTargets } from '../../domain/consultations/ranking';
import type { ConsultationReport } from '../../domain/consultations/report';
import type { Survey } from '../../domain/consultations/survey';
import {
  type CountedSurveyResults,
  surveyResultsFromCounters,
} from '../../domain/consultations/survey-tally';
import type { Clock, IdGenerator } from '../../domain/shared/clock';
import type { CommandContext } from '../../domain/shared/command';
import { text } from '../../domain/shared/localized';
import { type DomainError, fail, type Outcome, ok, reject } from '../../domain/shared/outcome';
import { found, type RetryPolicy, runChange } from '../shared/use-case';

/** Names the consultation in a `version_conflict` message. */
export const CONSULTATION = text('Консультацію', 'The consultation');

export const consultationNotFound = (consultationId: string): DomainError => ({
  code: 'consultation_not_found',
  message: text('Консультацію не знайдено.', 'There is no such consultation.'),
  details: { consultationId },
});

const noSurvey = (): Outcome<never> =>
  fail(
    'survey_not_found',
    text('До цієї консультації не додано опитування.', 'This consultation has no survey.'),
  );

/** A consultation on its current version, with the comment counts the count tally keeps. */
export interface ConsultationPage {
  readonly consultation: Consultation;
  readonly draft: Draft;
  readonly counts: ConsultationCommentCounts;
}

/**
 * How the consultations tool reads what its use cases start from: the
 * consultation (every phase is public: a draft is announced before it opens)
 * and the version comments are made on now.
 */
export function consultationReads(store: ConsultationStore) {
  return {
    /** The consultation, or `consultation_not_found`. */
    async consultation(communityId: string, consultationId: string): Promise<Outcome<Consultation>> {
      return found(await store.get(communityId, consultationId), () => consultationNotFound(consultationId));
    },

    /** The current version; its absence is a broken invariant, not a client's mistake. */
    async currentDraft(consultation: Consultation): Promise<Draft> {
      const draft = await store.draft(consultation.communityId, consultation.id, consultation.currentVersion);
      if (!draft)
        throw new Error(
          `Consultation ${consultation.id} has no stored version ${consultation.currentVersion}`,
        );
      return draft;
    },
  };
}

/**
 * The consultations tool's use cases for consultations, their drafts, survey
 * and report: each loads through the port, runs one pure command (which
 * returns its events and audit intent) and saves its outcome in one
 * conditional write, through the runner. Routes and the phase job declare;
 * these decide what runs, the same on DynamoDB and on the in-memory fake.
 */
export function consultationUseCases(store: ConsultationStore, policy?: RetryPolicy) {
  const options = { what: CONSULTATION, ...(policy ? { policy } : {}) };
  const reads = consultationReads(store);

  /** The counts the count tally keeps, never the comments: the cost does not grow with them. */
  const pageOf = async (consultation: Consultation, draft: Draft): Promise<ConsultationPage> => ({
    consultation,
    draft,
    counts: commentCountsFromTargets(
      draft,
      await store.commentCounts(consultation.communityId, consultation.id),
    ),
  });

  /** Runs a command that changes only the consultation item. */
  const change = (
    communityId: string,
    consultationId: string,
    decide: (consultation: Consultation) => Outcome<Consultation>,
  ): Promise<Outcome<Consultation>> =>
    runChange(
      {
        load: () => reads.consultation(communityId, consultationId),
        decide,
        save: (consultation, done) => store.save(consultation, done.value, done.events, done.audit),
      },
      options,
    );

  return {
    ...reads,

    /** The council creates a consultation with version 1 of its draft (one write, no race to lose). */
    async create(
      command: CommandContext,
      community: Community,
      input: CreateConsultationInput,
    ): Promise<Outcome<ConsultationWithDraft>> {
      const outcome = createConsultation(command, community, input);
      if (outcome.ok) await store.create(outcome.value, outcome.events, outcome.audit);
      return outcome;
    },

    /** A page of a community's consultations in one phase, newest first. */
    list(query: ConsultationQuery): Promise<Page<Consultation>> {
      return store.list(query);
    },

    /** The consultation on its current version, with its comment counts. */
    async page(communityId: string, consultationId: string): Promise<Outcome<ConsultationPage>> {
      const loaded = await reads.consultation(communityId, consultationId);
      if (!loaded.ok) return loaded;
      return ok(await pageOf(loaded.value, await reads.currentDraft(loaded.value)));
    },

    /** One published version of the draft, or `draft_version_not_found`. */
    async version(communityId: string, consultationId: string, version: number): Promise<Outcome<Draft>> {
      const loaded = await reads.consultation(communityId, consultationId);
      if (!loaded.ok) return loaded;
      const consultation = loaded.value;
      const draft =
        version <= consultation.currentVersion
          ? await store.draft(communityId, consultationId, version)
          : undefined;
      if (!draft) {
        return fail(
          'draft_version_not_found',
          text('Такої редакції проєкту немає.', 'The draft has no such version.'),
          {
            version,
            currentVersion: consultation.currentVersion,
          },
        );
      }
      return ok(draft);
    },

    /** The council publishes a revised draft: the consultation and the new version in one write. */
    async revise(
      command: CommandContext,
      communityId: string,
      consultationId: string,
      markdown: string,
    ): Promise<Outcome<ConsultationPage>> {
      const outcome = await runChange(
        {
          load: async () => {
            const loaded = await reads.consultation(communityId, consultationId);
            return loaded.ok
              ? ok({ consultation: loaded.value, draft: await reads.currentDraft(loaded.value) })
              : loaded;
          },
          decide: ({ consultation, draft }) => publishRevision(command, consultation, draft, markdown),
          save: ({ consultation }, done) =>
            store.saveRevision(consultation, done.value, done.events, done.audit),
        },
        options,
      );
      if (!outcome.ok) return outcome;
      return ok(await pageOf(outcome.value.consultation, outcome.value.draft));
    },

    /** The council opens or closes early. */
    changePhase(
      command: CommandContext,
      communityId: string,
      consultationId: string,
      input: ChangePhaseInput,
    ): Promise<Outcome<Consultation>> {
      return change(communityId, consultationId, (consultation) => changePhase(command, consultation, input));
    },

    /** The council attaches or replaces the survey of a draft. */
    setSurvey(
      command: CommandContext,
      communityId: string,
      consultationId: string,
      survey: Survey | undefined,
    ): Promise<Outcome<Consultation>> {
      return change(communityId, consultationId, (consultation) => setSurvey(command, consultation, survey));
    },

    /** The schedule opens or closes a consultation whose date has come (`not_due` when the council came first). */
    advance(
      clock: Clock,
      ids: IdGenerator,
      communityId: string,
      consultationId: string,
    ): Promise<Outcome<Consultation>> {
      return change(communityId, consultationId, (consultation) => advancePhase(clock, ids, consultation));
    },

    /**
     * The council publishes its report; only the comments it names are read,
     * never every comment of the consultation. The answer carries the final
     * version, which the report's view names sections from.
     */
    async publishReport(
      command: CommandContext,
      communityId: string,
      consultationId: string,
      input: PublishReportInput,
    ): Promise<Outcome<ConsultationWithReport & { readonly draft: Draft }>> {
      const named = input.sections.flatMap((entry) => entry.commentIds ?? []);
      return runChange(
        {
          load: async () => {
            const loaded = await reads.consultation(communityId, consultationId);
            if (!loaded.ok) return loaded;
            const [draft, commentIds] = await Promise.all([
              reads.currentDraft(loaded.value),
              store.commentIdsAmong(communityId, consultationId, named),
            ]);
            return ok({ consultation: loaded.value, draft, commentIds });
          },
          decide: ({ consultation, draft, commentIds }) => {
            const outcome = publishReport(command, consultation, draft, input, commentIds);
            return outcome.ok ? { ...outcome, value: { ...outcome.value, draft } } : outcome;
          },
          save: ({ consultation }, done) =>
            store.saveReport(consultation, done.value, done.events, done.audit),
        },
        options,
      );
    },

    /** The council's report with the current version, or `report_not_found`. */
    async report(
      communityId: string,
      consultationId: string,
    ): Promise<Outcome<{ readonly report: ConsultationReport; readonly draft: Draft }>> {
      const loaded = await reads.consultation(communityId, consultationId);
      if (!loaded.ok) return loaded;
      const report = await store.report(communityId, consultationId);
      if (!report) {
        return fail(
          'report_not_found',
          text('Рада ще не оприлюднила звіт.', 'The council has not published the report yet.'),
          { currentPhase: loaded.value.phase },
        );
      }
      return ok({ report, draft: await reads.currentDraft(loaded.value) });
    },

    /**
     * An eligible resident answers the survey: one conditional write keyed by
     * the resident, `created` or `replaced`; a request overtaken by a later one
     * of the same resident is refused (theirs stands).
     */
    async answerSurvey(
      command: CommandContext,
      rules: ParticipationRules,
      communityId: string,
      consultationId: string,
      answers: Readonly<Record<string, unknown>>,
    ): Promise<
      Outcome<{ readonly response: SurveyResponseToWrite; readonly written: 'created' | 'replaced' }>
    > {
      const loaded = await reads.consultation(communityId, consultationId);
      if (!loaded.ok) return loaded;
      const outcome = submitSurveyResponse(command, rules, loaded.value, answers);
      if (!outcome.ok) return outcome;
      const written = await store.submitResponse(outcome.value);
      if (written === 'superseded') return reject(responseOvertaken);
      return ok({ response: outcome.value, written }, outcome.events);
    },

    /** The caller's own answers, or `not_found`. */
    async myResponse(
      command: CommandContext,
      communityId: string,
      consultationId: string,
    ): Promise<Outcome<StoredSurveyResponse>> {
      const loaded = await reads.consultation(communityId, consultationId);
      if (!loaded.ok) return loaded;
      const response = await store.responseOf(communityId, consultationId, command.actor.signerKey);
      if (!response) {
        return fail(
          'not_found',
          text('Ви ще не відповіли на опитування.', 'You have not answered the survey yet.'),
        );
      }
      return ok(response);
    },

    /** The survey's results, from the counters the survey tally keeps. */
    async surveyResults(communityId: string, consultationId: string): Promise<Outcome<CountedSurveyResults>> {
      const loaded = await reads.consultation(communityId, consultationId);
      if (!loaded.ok) return loaded;
      const { survey } = loaded.value;
      if (!survey) return noSurvey();
      return ok(surveyResultsFromCounters(survey, await store.surveyCounters(communityId, consultationId)));
    },
  };
}

/** The consultation use cases of one store. */
export type ConsultationUseCases = ReturnType<typeof consultationUseCases>;
