/**
 * Every code a rejection can carry: the one list the domain and the HTTP layer
 * share. `DomainError.code` is this union, so a command cannot return a code the
 * API does not know, and the HTTP table (`functions/shared/problems.ts`) must
 * give each one a status and a title or the build fails. A tool adds its codes here.
 */
/** Each limit a ballot can break has its own code: a voting page shows the right message for each. */
export const BALLOT_CODES = [
  'ballot_too_few_projects',
  'ballot_too_many_projects',
  'ballot_over_budget',
  'ballot_under_min_share',
  'ballot_too_many_points',
  'ballot_too_many_points_for_project',
  'ballot_invalid_points',
  'ballot_points_mismatch',
  'ballot_points_not_allowed',
  'ballot_too_many_ranked',
  'ballot_unknown_project',
  'ballot_duplicate_project',
] as const;

export const PROBLEM_CODES = [
  // Any route: the HTTP stack and the shared rules.
  'validation_failed',
  'malformed_json',
  'invalid_cursor',
  'unauthorized',
  'forbidden',
  'not_found',
  'payload_too_large',
  'unsupported_media_type',
  'internal_error',
  'version_conflict',
  'not_eligible',
  'not_author',
  'invalid_state',
  'reason_required',
  /** A scheduled change asked for before its time (jobs only). */
  'not_due',
  /** Past a per-resident limit of a community (`domain/communities/limits.ts`). */
  'rate_limited',
  // Communities.
  'community_not_found',
  'member_not_found',
  'community_exists',
  'last_council_member',
  'unknown_district',
  /** Roles go only to people of an identity provider the deployment trusts. */
  'unknown_issuer',
  // Petitions.
  'invalid_sponsor_token',
  'petition_not_found',
  'petition_not_open',
  'author_cannot_sponsor',
  'already_answered',
  /** Paper signatures without their batch's `Idempotency-Key`, or with a malformed one. */
  'idempotency_key_required',
  /** A batch's `Idempotency-Key` sent again with another body. */
  'idempotency_key_reused',
  // Moderation and the audit trail.
  'item_not_found',
  'item_claimed',
  'nothing_to_decide',
  'not_claimed',
  'not_reportable',
  'already_appealed',
  'not_appealable',
  'own_item',
  'report_too_large',
  // Participatory budgets.
  'budget_not_found',
  'project_not_found',
  'project_limit_reached',
  'wrong_phase',
  'invalid_phase_change',
  'unknown_pot',
  'cost_over_pot',
  'rule_needs_approval_ballots',
  'completion_needs_equal_shares',
  'invalid_add1_step',
  'invalid_pabulib',
  'unsupported_vote_type',
  'amount_too_large',
  'results_not_public',
  'results_not_computed',
  ...BALLOT_CODES,
  // Consultations.
  'consultation_not_found',
  'consultation_not_open',
  'invalid_phase',
  'invalid_dates',
  'draft_too_large',
  'too_many_sections',
  'too_many_paragraphs',
  'draft_empty',
  'duplicate_block_id',
  'draft_unchanged',
  'draft_version_not_found',
  'comment_not_found',
  'comment_empty',
  'comment_too_long',
  'unknown_target',
  'comment_state_conflict',
  'reply_too_deep',
  'edit_window_closed',
  'survey_not_found',
  'answer_required',
  'unknown_question',
  'answer_to_hidden_question',
  'wrong_answer_type',
  'unknown_option',
  'duplicate_choice',
  'too_few_choices',
  'too_many_choices',
  'scale_out_of_range',
  'ranking_duplicate',
  'ranking_unknown_option',
  'text_too_long',
  'report_not_found',
  'report_empty',
  'unknown_section',
  'duplicate_section',
  'summary_required',
  'reasons_required',
  'unknown_comment',
  // Internet reception (appeals, information requests, issue reports).
  'appeal_not_found',
  'unknown_category',
  'category_not_for_kind',
  'location_out_of_bounds',
  'unknown_unit',
  /** Seen but not handled by the caller: the author, or staff of another unit who may read it. */
  'not_unit_officer',
  'appeal_closed',
  /** `details.reason`: already_extended, not_later, beyond_limit, too_late. */
  'extension_refused',
  'unknown_refusal_reason',
  /** A `repeated` refusal must link an answered appeal of the same author. */
  'invalid_previous_appeal',
] as const;

/** A problem code: what a client switches on. */
export type ProblemCode = (typeof PROBLEM_CODES)[number];
