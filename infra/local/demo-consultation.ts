import { AuditAction, newAuditIntent } from '../../domain/audit/intent';
import type { Community } from '../../domain/communities/community';
import { changePhase } from '../../domain/consultations/commands/change-phase';
import { createConsultation } from '../../domain/consultations/commands/create-consultation';
import { createdEvent, phaseChangedEvent, surveySetEvent } from '../../domain/consultations/events';
import { SurveySchema } from '../../domain/consultations/survey';
import { Role } from '../../domain/identity/actor';
import type { CommandContext } from '../../domain/shared/command';
import { dynamoConsultationStore } from '../../functions/consultations/store';
import { signerKeyOf } from '../../functions/shared/auth/actor';
import type { documentClient } from '../../functions/shared/dynamo';
import { systemClock, ulidGenerator } from '../../functions/shared/ids';

const DRAFT = `# Мета / Purpose {#purpose}

Зменшити затори в центрі громади. / Fewer traffic jams in the centre.

# Заходи / Measures {#measures}

Нова велосмуга на вулиці Шевченка. / A new cycle lane on Shevchenka street.

Паркування в центрі — платне з 8:00 до 20:00. / Paid parking in the centre from 8:00 to 20:00.
`;

const SURVEY = SurveySchema.parse({
  questions: [
    {
      id: 'transport',
      type: 'single',
      title: { uk: 'Як ви їздите до центру?', en: 'How do you get to the centre?' },
      required: true,
      options: [
        { id: 'bus', label: { uk: 'Автобусом', en: 'By bus' } },
        { id: 'bike', label: { uk: 'Велосипедом', en: 'By bike' } },
        { id: 'car', label: { uk: 'Автомобілем', en: 'By car' } },
      ],
    },
    {
      id: 'support',
      type: 'scale',
      range: '1-5',
      title: { uk: 'Наскільки ви підтримуєте план?', en: 'How much do you support the plan?' },
    },
  ],
});

/**
 * An open consultation on a mobility plan, with a short draft and a survey,
 * made by council-1 through the same commands and store the API uses.
 */
export async function seedDemoConsultation(
  client: ReturnType<typeof documentClient>,
  config: { tableName: string; issuer: string; signerSecret: string },
  community: Community,
): Promise<void> {
  const council: CommandContext = {
    actor: {
      issuer: config.issuer,
      subject: 'council-1',
      signerKey: signerKeyOf(config.signerSecret, config.issuer, 'council-1'),
      platformAdmin: false,
      roles: new Set([Role.council]),
    },
    clock: systemClock,
    ids: ulidGenerator(),
  };
  const store = dynamoConsultationStore(client, config.tableName);
  const now = systemClock.now();
  const created = createConsultation(council, community, {
    title: 'План мобільності центру / Mobility plan for the centre',
    summary: 'Обговорюємо велосмугу та платне паркування. / On a cycle lane and paid parking.',
    ownerDepartment: 'Відділ транспорту / Transport department',
    opensAt: now.toISOString(),
    closesAt: new Date(now.getTime() + 30 * 86_400_000).toISOString(),
    markdown: DRAFT,
    survey: SURVEY,
  });
  if (!created.ok) throw new Error(`Demo consultation rejected: ${created.error.code}`);
  const { consultation } = created.value;
  const audit = (action: AuditAction, after: Record<string, string>) =>
    newAuditIntent(council, {
      communityId: community.id,
      action,
      target: `consultation/${consultation.id}`,
      after,
    });
  await store.create(
    created.value,
    [createdEvent(council.ids, now, consultation), surveySetEvent(council.ids, now, consultation)],
    audit(AuditAction.consultationCreate, { title: consultation.title }),
  );
  const opened = changePhase(council, consultation, { phase: 'open' });
  if (!opened.ok) throw new Error(`Demo consultation not opened: ${opened.error.code}`);
  await store.save(
    consultation,
    opened.value,
    [phaseChangedEvent(council.ids, now, consultation.phase, opened.value, 'council')],
    audit(AuditAction.consultationPhaseChange, { phase: opened.value.phase }),
  );
}
