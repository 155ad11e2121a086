import type { Community } from '../../../domain/communities/community';
import { CommunitySettingsSchema } from '../../../domain/communities/settings';
import { changePhase } from '../../../domain/consultations/commands/change-phase';
import {
  type ConsultationWithDraft,
  createConsultation,
} from '../../../domain/consultations/commands/create-consultation';
import type { Consultation } from '../../../domain/consultations/consultation';
import { type ParticipationRules, participationRules } from '../../../domain/consultations/eligibility';
import type { Survey } from '../../../domain/consultations/survey';
import { type Actor, Role } from '../../../domain/identity/actor';
import type { IdGenerator } from '../../../domain/shared/clock';
import type { CommandContext } from '../../../domain/shared/command';
import type { Outcome } from '../../../domain/shared/outcome';
import { actor, fixedClock } from '../../support/actors';

/** The time every command runs at unless a test says otherwise. */
export const NOW = '2026-11-22T10:00:00.000Z';

/** Readable ids in creation order: B001, B002… (upper-case, like ULIDs, so never an explicit `{#id}`). */
export function sequence(prefix = 'B'): IdGenerator {
  let count = 0;
  let secrets = 0;
  return {
    next: () => `${prefix}${String(++count).padStart(3, '0')}`,
    secret: () => `secret-${prefix}${String(++secrets).padStart(3, '0')}`,
  };
}

export const council = actor({ subject: 'council', roles: new Set([Role.council]) });

export const resident = (key: string, overrides: Partial<Actor> = {}): Actor =>
  actor({
    subject: key,
    signerKey: key.padEnd(64, '0'),
    residency: { communityId: 'demo', districtId: 'd1' },
    birthdate: '1990-01-01',
    ...overrides,
  });

export function community(consultations: 'pre' | 'post' = 'post'): Community {
  return {
    id: 'demo',
    settings: CommunitySettingsSchema.parse({
      names: { uk: 'Громада', en: 'Hromada' },
      districts: [{ id: 'd1', names: { uk: 'О', en: 'D' } }],
      moderation: { consultations },
    }),
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBy: 'admin',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
  };
}

export const rules = (moderation: 'pre' | 'post' = 'post', minimumAge?: number): ParticipationRules =>
  participationRules(community(moderation), minimumAge);

export function contextAt(who: Actor, iso = NOW, ids: IdGenerator = sequence('C')): CommandContext {
  return { actor: who, clock: fixedClock(iso), ids };
}

/** The value of an outcome that a fixture expects to succeed. */
export function succeeded<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`fixture failed: ${outcome.error.code}`);
  return outcome.value;
}

export const DRAFT = `Вступ.

# Мета {#goals}

Менше автомобілів у центрі.

## Заходи

- пішохідна вулиця
- нові велосмуги

# Бюджет

Кошти з місцевого бюджету.
`;

/** A consultation in draft that opened yesterday by its dates and closes in 30 days. */
export function draftConsultation(markdown = DRAFT, survey?: Survey): ConsultationWithDraft {
  return succeeded(
    createConsultation(contextAt(council, NOW, sequence('B')), community(), {
      title: 'Центр без заторів',
      summary: 'Що змінити в центрі міста',
      ownerDepartment: 'Департамент транспорту',
      opensAt: '2026-11-21T00:00:00.000Z',
      closesAt: '2026-12-22T00:00:00.000Z',
      markdown,
      ...(survey ? { survey } : {}),
    }),
  );
}

/** The same, opened by the council. */
export function openConsultation(markdown = DRAFT, survey?: Survey): ConsultationWithDraft {
  const created = draftConsultation(markdown, survey);
  return {
    ...created,
    consultation: succeeded(changePhase(contextAt(council), created.consultation, { phase: 'open' })),
  };
}

export const inPhase = (consultation: Consultation, phase: Consultation['phase']): Consultation => ({
  ...consultation,
  phase,
});
