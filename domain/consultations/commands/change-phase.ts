import { AuditAction } from '../../audit/intent';
import { forbidden } from '../../communities/permissions';
import type { Clock, IdGenerator } from '../../shared/clock';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import { consultationAudit } from '../audit';
import {
  type Consultation,
  ConsultationPhase,
  canTransition,
  invalidDates,
  PHASE_NAMES,
} from '../consultation';
import { phaseChangedEvent } from '../events';
import { mayActAsCouncil } from '../permissions';

/**
 * A move the council makes by hand. `report_published` is not among them: it
 * comes with the report (`publishReport`). Opening may set a new closing date,
 * for a consultation whose planned dates passed while it was still a draft.
 */
export type ChangePhaseInput =
  | { readonly phase: typeof ConsultationPhase.open; readonly closesAt?: string }
  | { readonly phase: typeof ConsultationPhase.closed };

function moved(consultation: Consultation, phase: ConsultationPhase, now: Date): Consultation {
  const at = now.toISOString();
  return {
    ...consultation,
    phase,
    ...(phase === ConsultationPhase.open ? { openedAt: at } : { closedAt: at }),
    revision: consultation.revision + 1,
  };
}

function illegalMove(consultation: Consultation, to: ConsultationPhase): Outcome<never> {
  const from = PHASE_NAMES[consultation.phase];
  const requested = PHASE_NAMES[to];
  return fail(
    'invalid_phase_change',
    text(
      `Консультація у фазі «${from.uk}»; перевести її у фазу «${requested.uk}» неможливо. Фази йдуть лише вперед: чернетка → відкрита → закрита → звіт.`,
      `The consultation is ${from.en}; it cannot become ${requested.en}. Phases only move forward: draft → open → closed → report.`,
    ),
    { currentPhase: consultation.phase, requestedPhase: to },
  );
}

/**
 * The council opens a consultation early or closes it early.
 *
 * Outcomes: ok (emits `consultation.phase-changed.v1` by `council`, audited);
 * `forbidden` (not council); `invalid_phase_change` (not the
 * next phase, with `currentPhase` and `requestedPhase`); `invalid_dates`
 * (opening when the closing date has passed and no later one is given).
 */
export function changePhase(
  context: CommandContext,
  consultation: Consultation,
  input: ChangePhaseInput,
): Outcome<Consultation> {
  const { actor, clock, ids } = context;
  if (!mayActAsCouncil(actor)) return reject(forbidden('council'));
  if (!canTransition(consultation.phase, input.phase)) return illegalMove(consultation, input.phase);
  const now = clock.now();
  let next: Consultation;
  if (input.phase === ConsultationPhase.open) {
    const closesAt = input.closesAt ?? consultation.closesAt;
    const closing = Date.parse(closesAt);
    if (Number.isNaN(closing) || closing <= now.getTime())
      return reject(invalidDates(consultation.opensAt, closesAt));
    next = moved({ ...consultation, closesAt: new Date(closing).toISOString() }, input.phase, now);
  } else {
    next = moved(consultation, input.phase, now);
  }
  return ok(
    next,
    [phaseChangedEvent(ids, now, consultation.phase, next, 'council')],
    consultationAudit(
      context,
      AuditAction.consultationPhaseChange,
      consultation,
      { phase: consultation.phase, closesAt: consultation.closesAt },
      { phase: next.phase, closesAt: next.closesAt },
    ),
  );
}

/**
 * The move the schedule calls for now, if any: a draft opens once `opensAt` is
 * reached, an open consultation closes once `closesAt` is. A draft whose whole
 * period has passed is left for the council: opening it would take input for no time at all.
 */
export function duePhaseChange(consultation: Consultation, now: Date): ConsultationPhase | undefined {
  const at = now.toISOString();
  if (
    consultation.phase === ConsultationPhase.draft &&
    consultation.opensAt <= at &&
    at < consultation.closesAt
  ) {
    return ConsultationPhase.open;
  }
  if (consultation.phase === ConsultationPhase.open && consultation.closesAt <= at) {
    return ConsultationPhase.closed;
  }
  return undefined;
}

/**
 * The scheduled job's move: opens or closes a consultation whose date has come.
 *
 * Outcomes: ok (emits `consultation.phase-changed.v1` by `schedule`; no one to
 * audit); `not_due` (nothing is scheduled now, with the dates).
 */
export function advancePhase(
  clock: Clock,
  ids: IdGenerator,
  consultation: Consultation,
): Outcome<Consultation> {
  const now = clock.now();
  const due = duePhaseChange(consultation, now);
  if (!due) {
    return fail('not_due', text('Зараз фазу змінювати не час.', 'No phase change is due now.'), {
      currentPhase: consultation.phase,
      opensAt: consultation.opensAt,
      closesAt: consultation.closesAt,
    });
  }
  const next = moved(consultation, due, now);
  return ok(next, [phaseChangedEvent(ids, now, consultation.phase, next, 'schedule')]);
}
