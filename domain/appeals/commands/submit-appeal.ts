import type { Community } from '../../communities/community';
import { participationRefusal } from '../../identity/eligibility';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import { type Appeal, AppealStatus, type AppealType, registrationNumber } from '../appeal';
import { localDay } from '../calendar';
import { initialDueDay } from '../due-dates';
import { assignedEvent, registeredEvent, statusChangeEvents } from '../events';
import { initialPublication } from '../publication';
import { type AppealKind, AppealKind as Kind } from '../settings';

export interface SubmitAppealInput {
  readonly kind: AppealKind;
  readonly categoryId: string;
  readonly title: string;
  readonly text: string;
  /** Appeals only (the route requires it for them). */
  readonly appealType?: AppealType;
  /** Issue reports only (the route requires it for them). */
  readonly location?: { readonly lat: number; readonly lon: number };
  readonly photoUrl?: string;
}

/**
 * A resident submits an item; the reception registers it and routes it by its
 * category, in one decision: the next registration number of the year
 * (`lastNumber` + 1, the caller's read of the year's counter), the due day
 * from the registration day, the category's unit; an issue report waits for
 * the moderators (`settings.moderation.issueReports`, `pre`) or is public at
 * once (`post`). Any age may appeal
 * (Law "On Citizens' Appeals", art. 1); identity and residency come from the token.
 *
 * Outcomes: ok (emits `appeal.registered.v1` and `appeal.assigned.v1`, and for
 * an issue report `issue-report.status-changed.v1`); `not_eligible` (not a
 * resident); `unknown_category`; `category_not_for_kind`; `location_out_of_bounds`
 * (an issue report outside `settings.appeals.bounds`).
 */
export function submitAppeal(
  context: CommandContext,
  community: Community,
  input: SubmitAppealInput,
  lastNumber: number,
): Outcome<Appeal> {
  const { actor, clock, ids } = context;
  const now = clock.now();
  const refusal = participationRefusal(actor, community.id, undefined, now, {
    notResident: text(
      'Подавати звернення через інтернет-приймальню можуть мешканці цієї громади (за даними вашого посвідчення особи).',
      'Only residents of this community may use its internet reception (as your identity provider states).',
    ),
    // Never asked: the reception sets no minimum age.
    underAge: (age) => text(`Потрібно щонайменше ${age} років.`, `You must be at least ${age}.`),
  });
  if (refusal) return reject(refusal);
  const settings = community.settings.appeals;
  const category = settings.categories.find((c) => c.id === input.categoryId);
  if (!category) {
    return fail(
      'unknown_category',
      text('У громади немає такої категорії звернень.', 'The community has no such category.'),
      { categoryId: input.categoryId, categories: settings.categories.map((c) => c.id) },
    );
  }
  if (!category.kinds.includes(input.kind)) {
    return fail(
      'category_not_for_kind',
      text(
        `Категорія «${category.names.uk}» не приймає цей вид звернень; оберіть іншу.`,
        `The category "${category.names.en}" does not take this kind of item; choose another.`,
      ),
      { categoryId: category.id, kind: input.kind, kinds: category.kinds },
    );
  }
  const { bounds } = settings;
  if (input.kind === Kind.issue_report && bounds && input.location) {
    const { lat, lon } = input.location;
    if (lat < bounds.south || lat > bounds.north || lon < bounds.west || lon > bounds.east) {
      return fail(
        'location_out_of_bounds',
        text(
          'Позначене місце лежить поза межами громади. Позначте місце проблеми на території громади.',
          'The location is outside the community. Mark where the problem is, within the community.',
        ),
        { location: input.location, bounds },
      );
    }
  }
  const at = now.toISOString();
  const registeredOn = localDay(now);
  const unit = settings.units.find((u) => u.id === category.unitId);
  const appeal: Appeal = {
    id: ids.next(),
    communityId: community.id,
    kind: input.kind,
    number: registrationNumber(registeredOn.slice(0, 4), lastNumber + 1),
    categoryId: category.id,
    unitId: category.unitId,
    author: { issuer: actor.issuer, subject: actor.subject },
    authorKey: actor.signerKey,
    ...(input.kind === Kind.appeal && input.appealType ? { appealType: input.appealType } : {}),
    title: input.title,
    text: input.text,
    ...(input.kind === Kind.issue_report && input.location ? { location: input.location } : {}),
    ...(input.kind === Kind.issue_report && input.photoUrl ? { photoUrl: input.photoUrl } : {}),
    ...(input.kind === Kind.issue_report
      ? { publication: initialPublication(community.settings.moderation.issueReports, at) }
      : {}),
    status: AppealStatus.assigned,
    timeline: [
      { status: AppealStatus.submitted, at },
      { status: AppealStatus.registered, at },
      {
        status: AppealStatus.assigned,
        at,
        note: text(
          `Передано до підрозділу «${unit?.names.uk ?? category.unitId}».`,
          `Routed to the unit "${unit?.names.en ?? category.unitId}".`,
        ),
      },
    ],
    submittedAt: at,
    registeredAt: at,
    registeredOn,
    dueOn: initialDueDay(settings, { kind: input.kind, registeredOn, categoryId: category.id }),
    version: 1,
  };
  return ok(appeal, [
    registeredEvent(ids, now, appeal),
    assignedEvent(ids, now, appeal, true),
    ...statusChangeEvents(ids, now, undefined, appeal),
  ]);
}
