import { createCommunity } from '../../domain/communities/commands/create-community';
import { setMemberRoles } from '../../domain/communities/commands/set-member-roles';
import type { Community } from '../../domain/communities/community';
import { CommunitySettingsSchema } from '../../domain/communities/settings';
import type { Actor } from '../../domain/identity/actor';
import { Role } from '../../domain/identity/actor';
import { Decision, itemIdOf, ModerationType } from '../../domain/moderation/item';
import { createPetition } from '../../domain/petitions/commands/create-petition';
import { sponsorPetition } from '../../domain/petitions/commands/sponsor-petition';
import { submitPetition } from '../../domain/petitions/commands/submit-petition';
import type { Petition } from '../../domain/petitions/petition';
import type { CommandContext } from '../../domain/shared/command';
import type { Outcome } from '../../domain/shared/outcome';
import { dynamoCommunityStore } from '../../functions/communities/store';
import { dynamoModerationPort } from '../../functions/moderation/ports';
import { moderationUseCases } from '../../functions/moderation/use-cases';
import { dynamoPetitionStore } from '../../functions/petitions/store';
import { signerKeyOf } from '../../functions/shared/auth/actor';
import { documentClient } from '../../functions/shared/dynamo';
import { systemClock, ulidGenerator } from '../../functions/shared/ids';
import { sameSecret } from '../../functions/shared/secrets';
import { putPlatformAdmin } from '../../functions/shared/tenancy';
import { seedDemoBudget } from './demo-budget';
import { seedDemoConsultation } from './demo-consultation';
import type { DevTokenClaims } from './dev-identity';

/** The demo people, with what their tokens say about them. Roles come from the seeded memberships. */
export const DEMO_USERS: readonly (DevTokenClaims & { readonly label: string })[] = [
  { label: 'platform admin', sub: 'admin' },
  { label: 'council member', sub: 'council-1', community: 'demo', district: 'd1', birthdate: '1980-04-12' },
  { label: 'moderator', sub: 'moderator-1', community: 'demo', district: 'd2', birthdate: '1988-09-30' },
  {
    label: 'resident, district d1',
    sub: 'resident-1',
    community: 'demo',
    district: 'd1',
    birthdate: '1990-01-01',
  },
  {
    label: 'resident, district d2',
    sub: 'resident-2',
    community: 'demo',
    district: 'd2',
    birthdate: '1975-06-15',
  },
  {
    label: 'resident, district d1, aged 15',
    sub: 'resident-3',
    community: 'demo',
    district: 'd1',
    birthdate: '2011-03-08',
  },
];

export const DEMO_COMMUNITY_ID = 'demo';

/**
 * Loads the demo community through the same commands and store the API uses, so
 * the demo data is exactly what the API would have written (events included).
 * Running it twice changes nothing.
 */
export async function seedDemo(config: {
  tableName: string;
  dynamoEndpoint?: string;
  region: string;
  issuer: string;
  signerSecret: string;
}): Promise<'seeded' | 'already-there'> {
  const client = documentClient(config);
  const store = dynamoCommunityStore(client, config.tableName);
  if (await store.get(DEMO_COMMUNITY_ID)) return 'already-there';

  const now = systemClock.now().toISOString();
  await putPlatformAdmin(client, config.tableName, {
    issuer: config.issuer,
    subject: 'admin',
    grantedAt: now,
  });
  const admin: Actor = {
    issuer: config.issuer,
    subject: 'admin',
    signerKey: signerKeyOf(config.signerSecret, config.issuer, 'admin'),
    platformAdmin: true,
    roles: new Set(),
  };
  const context: CommandContext = { actor: admin, clock: systemClock, ids: ulidGenerator() };

  const created = createCommunity(context, {
    id: DEMO_COMMUNITY_ID,
    settings: CommunitySettingsSchema.parse({
      names: { uk: 'Демонстраційна громада', en: 'Demo hromada' },
      districts: [
        { id: 'd1', names: { uk: 'Центральний округ', en: 'Central district' } },
        { id: 'd2', names: { uk: 'Північний округ', en: 'Northern district' } },
      ],
      corsOrigins: ['http://localhost:5173'],
      petitions: { thresholds: [{ name: 'response', signatures: 100 }], durationDays: 60, sponsorsNeeded: 3 },
    }),
    council: [{ issuer: config.issuer, subject: 'council-1' }],
  });
  if (!created.ok) throw new Error(`Demo community rejected: ${created.error.code}`);
  await store.create(created.value.community, created.value.members, created.events);

  const council = await store.councilMembers(DEMO_COMMUNITY_ID);
  const moderator = setMemberRoles(context, created.value.community, undefined, council, {
    issuer: config.issuer,
    subject: 'moderator-1',
    roles: [Role.moderator],
  });
  if (!moderator.ok || !moderator.value) throw new Error('Demo moderator rejected');
  await store.putMember(moderator.value, moderator.events);
  await seedDemoPetition(client, config, created.value.community);
  await seedDemoBudget(client, config, created.value.community);
  await seedDemoConsultation(client, config, created.value.community);
  return 'seeded';
}

/** An open petition by resident-1, taken through sponsors and moderation by the real commands. */
async function seedDemoPetition(
  client: ReturnType<typeof documentClient>,
  config: { tableName: string; issuer: string; signerSecret: string },
  community: Community,
): Promise<void> {
  const person = (subject: string, roles: Role[] = []): CommandContext => ({
    actor: {
      issuer: config.issuer,
      subject,
      signerKey: signerKeyOf(config.signerSecret, config.issuer, subject),
      residency: { communityId: DEMO_COMMUNITY_ID, districtId: 'd1' },
      birthdate: '1985-05-05',
      platformAdmin: false,
      roles: new Set(roles),
    },
    clock: systemClock,
    ids: ulidGenerator(),
  });
  const petitions = dynamoPetitionStore(client, config.tableName);
  const steps = (outcome: Outcome<Petition>): Outcome<Petition> & { ok: true } => {
    if (!outcome.ok) throw new Error(`Demo petition rejected: ${outcome.error.code}`);
    return outcome;
  };

  const created = steps(
    createPetition(person('resident-1'), community, {
      title: 'Освітлення на вулиці Шевченка / Street lights on Shevchenka street',
      text: 'Просимо відновити вуличне освітлення. / Please restore the street lights.',
      category: 'infrastructure',
      districtId: 'd1',
    }),
  );
  await petitions.create(created.value, created.events);
  let current = created.value;
  const advance = async (outcome: Outcome<Petition>, sponsorKey?: string) => {
    const next = steps(outcome);
    if (sponsorKey)
      await petitions.addSponsors(
        current,
        next.value,
        [sponsorKey],
        next.events,
        systemClock.now().toISOString(),
      );
    else await petitions.save(current, next.value, next.events);
    current = next.value;
  };
  await advance(submitPetition(person('resident-1'), community, current));
  for (const sponsor of ['demo-sponsor-1', 'demo-sponsor-2', 'demo-sponsor-3']) {
    const context = person(sponsor);
    await advance(
      sponsorPetition(context, community, current, (stored) => sameSecret(current.sponsorToken, stored)),
      context.actor.signerKey,
    );
  }
  const approved = await moderationUseCases(
    dynamoModerationPort({ client, tableName: config.tableName }),
  ).decide(
    person('moderator-1', [Role.moderator]),
    community,
    itemIdOf(ModerationType.petition, current.id),
    { decision: Decision.approve },
  );
  if (!approved.ok) throw new Error(`Demo petition not approved: ${approved.error.code}`);
}
