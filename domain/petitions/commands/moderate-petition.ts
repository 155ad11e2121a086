import { PetitionEvents } from '../../../events/petitions';
import { Decision, SYSTEM_DECIDER } from '../../moderation/item';
import { type ReasonCode, SYSTEM_REASON } from '../../moderation/reasons';
import { withholdsContent } from '../../moderation/withheld';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import { petitionEvent, readinessEvent } from '../events';
import { illegalTransition, opened } from '../lifecycle';
import { type ModerationRecord, type Petition, PetitionState } from '../petition';

export interface ModeratePetitionInput {
  readonly decision: Decision;
  readonly reasonCode?: ReasonCode;
  readonly note?: string;
}

const TARGET: Record<Decision, PetitionState> = {
  approve: PetitionState.open,
  reject: PetitionState.rejected,
  hide: PetitionState.hidden,
  restore: PetitionState.open,
};

/**
 * The petitions' part of a moderation decision (the moderation centre checks
 * who may decide and keeps the record; see `decideItem`). Approving opens the
 * petition and starts its signature period (also a rejected one, on appeal);
 * rejecting and hiding take it from the public, hiding also after
 * publication; restoring brings a hidden petition back as it was, with its
 * signatures and its original closing date (or opens it, if it never was).
 * Deciding what already is (hiding a hidden petition) changes only the
 * moderation record, so a council upholding a decision is not an error.
 *
 * Outcomes: ok (emits `petition.published.v1`, `petition.rejected.v1`,
 * `petition.hidden.v1` or `petition.restored.v1` when the state changes);
 * `invalid_state` (e.g. restoring a rejected petition, hiding a closed one).
 */
export function moderatePetition(
  context: CommandContext,
  petition: Petition,
  input: ModeratePetitionInput,
): Outcome<Petition> {
  const { clock, ids } = context;
  const now = clock.now();
  const target = TARGET[input.decision];
  const moderation: ModerationRecord = {
    decision: input.decision,
    ...(input.reasonCode ? { reasonCode: input.reasonCode } : {}),
    ...(input.note ? { note: input.note } : {}),
    decidedAt: now.toISOString(),
    decidedBy: context.actor.subject,
  };
  const hidesText = withholdsContent(input.reasonCode);
  const recorded: Petition = { ...petition, moderation, version: petition.version + 1 };
  if (petition.state === target) {
    return ok(target === PetitionState.open ? recorded : { ...recorded, textHidden: hidesText });
  }
  const refusal = illegalTransition(petition, target);
  if (refusal) return reject(refusal);

  if (target === PetitionState.open && petition.state === PetitionState.hidden && petition.openedAt) {
    const next: Petition = { ...recorded, state: PetitionState.open, textHidden: false };
    return ok(next, [
      petitionEvent(ids, now, next, PetitionEvents.restored, {
        decidedBy: moderation.decidedBy,
        ...(next.closesAt ? { closesAt: next.closesAt } : {}),
      }),
    ]);
  }
  if (target === PetitionState.open) {
    const next = opened({ ...recorded, textHidden: false }, now);
    return ok(next, [readinessEvent(ids, now, next)]);
  }
  const next: Petition = { ...recorded, state: target, textHidden: hidesText };
  const name = input.decision === Decision.reject ? PetitionEvents.rejected : PetitionEvents.hidden;
  return ok(next, [
    petitionEvent(ids, now, next, name, {
      decidedBy: moderation.decidedBy,
      reasonCode: input.reasonCode,
      ...(input.note ? { note: input.note } : {}),
    }),
  ]);
}

/**
 * Reports reached the community's `reportsBeforeHide`: the petition is hidden,
 * text too, until a moderator decides. Only an open petition can be reported.
 *
 * Outcomes: ok (emits `petition.hidden.v1` with reason `reported`);
 * `invalid_state` (the petition is not open).
 */
export function autoHidePetition(context: CommandContext, petition: Petition): Outcome<Petition> {
  const { clock, ids } = context;
  if (petition.state !== PetitionState.open) {
    return fail(
      'invalid_state',
      text(
        `Приховати через скарги можна лише відкриту петицію; ця у стані «${petition.state}».`,
        `Only an open petition can be hidden on reports; this one is "${petition.state}".`,
      ),
      { currentState: petition.state, requestedState: PetitionState.hidden },
    );
  }
  const now = clock.now();
  const next: Petition = {
    ...petition,
    state: PetitionState.hidden,
    textHidden: true,
    moderation: {
      decision: Decision.hide,
      reasonCode: SYSTEM_REASON,
      decidedAt: now.toISOString(),
      decidedBy: SYSTEM_DECIDER,
    },
    version: petition.version + 1,
  };
  return ok(next, [
    petitionEvent(ids, now, next, PetitionEvents.hidden, {
      decidedBy: SYSTEM_DECIDER,
      reasonCode: SYSTEM_REASON,
    }),
  ]);
}
