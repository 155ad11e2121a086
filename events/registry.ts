import type { z } from 'zod';
import {
  AppealAnsweredV1,
  AppealAssignedV1,
  AppealEvents,
  AppealExtendedV1,
  AppealForwardedV1,
  AppealOverdueV1,
  AppealRefusedV1,
  AppealRegisteredV1,
  AppealStartedV1,
  IssueReportStatusChangedV1,
  IssueReportVisibilityChangedV1,
} from './appeals';
import {
  BudgetCreatedV1,
  BudgetEvents,
  BudgetPhaseChangedV1,
  BudgetProjectModeratedV1,
  BudgetProjectProgressedV1,
  BudgetProjectReviewedV1,
  BudgetProjectSubmittedV1,
  BudgetResultsPublishedV1,
  BudgetResultsRequestedV1,
} from './budgets';
import {
  CommunityCreatedV1,
  CommunityEvents,
  CommunityMemberChangedV1,
  CommunitySettingsChangedV1,
} from './communities';
import {
  ConsultationCommentModeratedV1,
  ConsultationCommentPostedV1,
  ConsultationCreatedV1,
  ConsultationEvents,
  ConsultationPhaseChangedV1,
  ConsultationReportPublishedV1,
  ConsultationRevisedV1,
  ConsultationSurveySetV1,
} from './consultations';
import {
  ModerationAppealedV1,
  ModerationAutoHiddenV1,
  ModerationDecidedV1,
  ModerationEvents,
} from './moderation';
import {
  PetitionAnsweredV1,
  PetitionClosedV1,
  PetitionCreatedV1,
  PetitionEvents,
  PetitionModeratedV1,
  PetitionPublishedV1,
  PetitionRestoredV1,
  PetitionSubmittedV1,
  PetitionThresholdReachedV1,
} from './petitions';

/**
 * Every event name the system emits, mapped to the schema of its `detail`. The
 * outbox publisher refuses an event whose name is not here, so a typo in a
 * command cannot reach subscribers.
 */
export const EVENT_DETAIL_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  [CommunityEvents.created]: CommunityCreatedV1,
  [CommunityEvents.settingsChanged]: CommunitySettingsChangedV1,
  [CommunityEvents.memberChanged]: CommunityMemberChangedV1,
  [PetitionEvents.created]: PetitionCreatedV1,
  [PetitionEvents.submitted]: PetitionSubmittedV1,
  [PetitionEvents.published]: PetitionPublishedV1,
  [PetitionEvents.rejected]: PetitionModeratedV1,
  [PetitionEvents.hidden]: PetitionModeratedV1,
  [PetitionEvents.thresholdReached]: PetitionThresholdReachedV1,
  [PetitionEvents.closed]: PetitionClosedV1,
  [PetitionEvents.answered]: PetitionAnsweredV1,
  [PetitionEvents.restored]: PetitionRestoredV1,
  [BudgetEvents.created]: BudgetCreatedV1,
  [BudgetEvents.phaseChanged]: BudgetPhaseChangedV1,
  [BudgetEvents.resultsRequested]: BudgetResultsRequestedV1,
  [BudgetEvents.resultsPublished]: BudgetResultsPublishedV1,
  [BudgetEvents.projectSubmitted]: BudgetProjectSubmittedV1,
  [BudgetEvents.projectPublished]: BudgetProjectModeratedV1,
  [BudgetEvents.projectRejected]: BudgetProjectModeratedV1,
  [BudgetEvents.projectHidden]: BudgetProjectModeratedV1,
  [BudgetEvents.projectReviewed]: BudgetProjectReviewedV1,
  [BudgetEvents.projectProgressed]: BudgetProjectProgressedV1,
  [ConsultationEvents.created]: ConsultationCreatedV1,
  [ConsultationEvents.phaseChanged]: ConsultationPhaseChangedV1,
  [ConsultationEvents.revised]: ConsultationRevisedV1,
  [ConsultationEvents.surveySet]: ConsultationSurveySetV1,
  [ConsultationEvents.commentPosted]: ConsultationCommentPostedV1,
  [ConsultationEvents.commentModerated]: ConsultationCommentModeratedV1,
  [ConsultationEvents.reportPublished]: ConsultationReportPublishedV1,
  [ModerationEvents.decided]: ModerationDecidedV1,
  [ModerationEvents.appealed]: ModerationAppealedV1,
  [ModerationEvents.autoHidden]: ModerationAutoHiddenV1,
  [AppealEvents.registered]: AppealRegisteredV1,
  [AppealEvents.assigned]: AppealAssignedV1,
  [AppealEvents.started]: AppealStartedV1,
  [AppealEvents.extended]: AppealExtendedV1,
  [AppealEvents.answered]: AppealAnsweredV1,
  [AppealEvents.refused]: AppealRefusedV1,
  [AppealEvents.forwarded]: AppealForwardedV1,
  [AppealEvents.overdue]: AppealOverdueV1,
  [AppealEvents.issueReportStatusChanged]: IssueReportStatusChangedV1,
  [AppealEvents.issueReportVisibilityChanged]: IssueReportVisibilityChangedV1,
};
