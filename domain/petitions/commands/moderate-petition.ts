import { PetitionEvents } from '../../../events/petitions';
import { forbidden } from '../../communities/permissions';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import { petitionEvent, readinessEvent } from '../events';
import { illegalTransition, opened } from '../lifecycle';
import { mayModerate } from '../permissions';
import { type Petition, PetitionState } from '../petition';
import { REASON_CODES, type ReasonCode } from '../reasons';

export const ModerationDecision = { approve: 'approve', reject: 'reject', hide: 'hide' } as const;
export type ModerationDecision = (typeof ModerationDecision)[keyof typeof ModerationDecision];

export interface ModeratePetitionInput {
  readonly decision: ModerationDecision;
  readonly reasonCode?: ReasonCode;
  readonly note?: string;
}

const TARGET: Record<ModerationDecision, PetitionState> = {
  approve: PetitionState.open,
  reject: PetitionState.rejected,
  hide: PetitionState.hidden,
};

/**
 * A moderator approves (the petition opens and its signature period starts),
 * rejects, or hides it (also after publication). Rejecting and hiding need a
 * reason code from the documented list; some codes withhold the text too.
 *
 * Outcomes: ok (emits `petition.published.v1`, `petition.rejected.v1` or
 * `petition.hidden.v1`); `forbidden` (not a moderator); `reason_required`;
 * `invalid_state`.
 */
export function moderatePetition(
  context: CommandContext,
  petition: Petition,
  input: ModeratePetitionInput,
): Outcome<Petition> {
  const { actor, clock, ids } = context;
  if (!mayModerate(actor)) return reject(forbidden('moderator'));
  if (input.decision !== ModerationDecision.approve && !input.reasonCode) {
    return fail(
      'reason_required',
      text(
        'Відхилення чи приховування потребує коду причини (reasonCode).',
        'Rejecting or hiding needs a reason code (reasonCode).',
      ),
      { errors: [{ pointer: '/body/reasonCode', detail: 'required for reject and hide' }] },
    );
  }
  const refusal = illegalTransition(petition, TARGET[input.decision]);
  if (refusal) return reject(refusal);

  const now = clock.now();
  const moderation = {
    decision: input.decision,
    reasonCode: input.reasonCode ?? 'approved',
    ...(input.note ? { note: input.note } : {}),
    decidedAt: now.toISOString(),
    decidedBy: actor.subject,
  };
  const decided: Petition = { ...petition, moderation, version: petition.version + 1 };
  if (input.decision === ModerationDecision.approve) {
    const next = opened(decided, now);
    return ok(next, [readinessEvent(ids, now, next)]);
  }
  const next: Petition = {
    ...decided,
    state: TARGET[input.decision],
    textHidden: petition.textHidden || (input.reasonCode ? REASON_CODES[input.reasonCode].hidesText : false),
  };
  const name = input.decision === ModerationDecision.reject ? PetitionEvents.rejected : PetitionEvents.hidden;
  return ok(next, [
    petitionEvent(ids, now, next, name, {
      decidedBy: actor.subject,
      reasonCode: moderation.reasonCode,
      ...(input.note ? { note: input.note } : {}),
    }),
  ]);
}
