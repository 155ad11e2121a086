import { PetitionEvents } from '../../../events/petitions';
import { AuditAction } from '../../audit/intent';
import { forbidden } from '../../communities/permissions';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import { petitionAudit } from '../audit';
import { petitionEvent } from '../events';
import { mayActAsCouncil } from '../permissions';
import { ANSWERABLE, type Petition, type ResponseDecision, ResponseState } from '../petition';

export interface AnswerPetitionInput {
  readonly text: string;
  readonly decision: ResponseDecision;
  readonly documentUrl?: string;
}

/**
 * The council's official answer, once per petition. It may come before the
 * petition closes (the response threshold already reached) or after.
 *
 * Outcomes: ok (emits `petition.answered.v1`, audited); `forbidden` (not council);
 * `already_answered`; `invalid_state` (not published).
 */
export function answerPetition(
  context: CommandContext,
  petition: Petition,
  input: AnswerPetitionInput,
): Outcome<Petition> {
  const { actor, clock, ids } = context;
  if (!mayActAsCouncil(actor)) return reject(forbidden('council'));
  if (petition.responseState === ResponseState.answered) {
    return fail(
      'already_answered',
      text('Рада вже відповіла на цю петицію.', 'The council has already answered this petition.'),
      { answeredAt: petition.response?.answeredAt },
    );
  }
  if (!ANSWERABLE.has(petition.state)) {
    return fail(
      'invalid_state',
      text(
        `Відповісти можна лише на оприлюднену петицію; ця у стані «${petition.state}».`,
        `Only a published petition can be answered; this one is "${petition.state}".`,
      ),
      { currentState: petition.state },
    );
  }
  const now = clock.now();
  const next: Petition = {
    ...petition,
    responseState: ResponseState.answered,
    response: {
      text: input.text,
      decision: input.decision,
      ...(input.documentUrl ? { documentUrl: input.documentUrl } : {}),
      answeredAt: now.toISOString(),
      answeredBy: actor.subject,
    },
    version: petition.version + 1,
  };
  return ok(
    next,
    [
      petitionEvent(ids, now, next, PetitionEvents.answered, {
        decision: input.decision,
        answeredBy: actor.subject,
        answeredAt: now.toISOString(),
      }),
    ],
    petitionAudit(context, AuditAction.petitionAnswer, petition, next, ['responseState', 'response']),
  );
}
