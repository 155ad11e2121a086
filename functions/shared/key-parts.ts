/**
 * What every key module builds on: the entity names, the key shapes, the
 * community partition every key starts with, and `part` (URI-encodes what comes
 * from outside so that a `#` inside it cannot forge another key). See keys.ts.
 */

export const part = (value: string): string => encodeURIComponent(value);

export const Entity = {
  community: 'community',
  member: 'member',
  platformAdmin: 'platform-admin',
  outbox: 'outbox',
  petition: 'petition',
  petitionStats: 'petition-stats',
  petitionSponsor: 'petition-sponsor',
  petitionThreshold: 'petition-threshold',
  petitionClosing: 'petition-closing',
  petitionPaperBatch: 'petition-paper-batch',
  signature: 'signature',
  tallyReceipt: 'tally-receipt',
  auditIntent: 'audit-intent',
  auditEntry: 'audit-entry',
  auditHead: 'audit-head',
  auditApplied: 'audit-applied',
  moderationItem: 'moderation-item',
  moderationReport: 'moderation-report',
  moderationDecision: 'moderation-decision',
  rateCounter: 'rate-counter',
  // consultations
  consultation: 'consultation',
  consultationDraft: 'consultation-draft',
  consultationReport: 'consultation-report',
  comment: 'comment',
  commentVote: 'comment-vote',
  commentVoteReceipt: 'comment-vote-receipt',
  commentCounter: 'comment-counter',
  commentCountReceipt: 'comment-count-receipt',
  surveyResponse: 'survey-response',
  surveyCounter: 'survey-counter',
  surveyCountReceipt: 'survey-count-receipt',
  budget: 'budget',
  budgetProject: 'budget-project',
  budgetBallot: 'budget-ballot',
  budgetResult: 'budget-result',
  budgetResultsJob: 'budget-results-job',
  budgetBallotArchived: 'budget-ballot-archived',
  retentionEntry: 'retention-entry',
  appeal: 'appeal',
  appealCounter: 'appeal-counter',
  appealCosigner: 'appeal-cosigner',
  appealStats: 'appeal-stats',
} as const;
export type Entity = (typeof Entity)[keyof typeof Entity];

export interface ItemKey {
  readonly PK: string;
  readonly SK: string;
}

/** The items of one partition whose sort keys start alike: queried with `begins_with(SK, :prefix)`. */
export interface KeyPrefix {
  readonly PK: string;
  readonly SKPrefix: string;
}

export const communityPartition = (communityId: string): string => `C#${communityId}`;
