import type { Budget } from '../../domain/budgets/budget';
import { changeBudgetPhase } from '../../domain/budgets/commands/change-phase';
import { createBudget } from '../../domain/budgets/commands/create-budget';
import { reviewProject } from '../../domain/budgets/commands/review-project';
import { submitProject } from '../../domain/budgets/commands/submit-project';
import type { Community } from '../../domain/communities/community';
import { Role } from '../../domain/identity/actor';
import { Decision, itemIdOf, ModerationType } from '../../domain/moderation/item';
import type { CommandContext } from '../../domain/shared/command';
import type { Outcome } from '../../domain/shared/outcome';
import { projectSubjectId } from '../../functions/budgets/snapshot';
import { dynamoBudgetStore } from '../../functions/budgets/store';
import { dynamoModerationPort } from '../../functions/moderation/ports';
import { moderationUseCases } from '../../functions/moderation/use-cases';
import { signerKeyOf } from '../../functions/shared/auth/actor';
import type { documentClient } from '../../functions/shared/dynamo';
import { systemClock, ulidGenerator } from '../../functions/shared/ids';

/** The demo budget's projects: title, cost in kopiykas, and the district pot (city-wide when absent). */
const DEMO_PROJECTS: readonly { title: string; cost: number; districtId?: string }[] = [
  { title: 'Велодоріжка до парку / A bike lane to the park', cost: 40_000_000 },
  { title: 'Ігровий майданчик біля школи / A playground by the school', cost: 25_000_000 },
  { title: 'Бібліотека працює в неділю / The library opens on Sundays', cost: 10_000_000 },
  { title: 'Лавки в центрі / Benches in the centre', cost: 5_000_000, districtId: 'd1' },
];

/**
 * A participatory budget open for voting (1 000 000 UAH, 200 000 of it for
 * district d1; approval ballots of up to 3 projects; equal shares), with its
 * projects proposed by resident-1, approved by moderator-1 in the moderation
 * centre and found feasible by council-1: all through the real commands.
 */
export async function seedDemoBudget(
  client: ReturnType<typeof documentClient>,
  config: { tableName: string; issuer: string; signerSecret: string },
  community: Community,
): Promise<void> {
  const person = (subject: string, roles: Role[] = []): CommandContext => ({
    actor: {
      issuer: config.issuer,
      subject,
      signerKey: signerKeyOf(config.signerSecret, config.issuer, subject),
      residency: { communityId: community.id, districtId: 'd1' },
      birthdate: '1985-05-05',
      platformAdmin: false,
      roles: new Set(roles),
    },
    clock: systemClock,
    ids: ulidGenerator(),
  });
  const steps = <T>(outcome: Outcome<T>): Outcome<T> & { ok: true } => {
    if (!outcome.ok) throw new Error(`Demo budget rejected: ${outcome.error.code}`);
    return outcome;
  };
  const council = person('council-1', [Role.council]);
  const store = dynamoBudgetStore(client, config.tableName);

  const created = steps(
    createBudget(council, community, {
      names: { uk: 'Громадський бюджет 2027', en: 'Participatory budget 2027' },
      currency: 'UAH',
      totalAmount: 100_000_000,
      districts: [{ districtId: 'd1', amount: 20_000_000 }],
      ballot: { type: 'approval', maxProjects: 3 },
      rule: 'equal-shares',
    }),
  );
  await store.createBudget(created.value, created.events);
  let budget: Budget = created.value;

  const projects = [];
  for (const { title, cost, districtId } of DEMO_PROJECTS) {
    const submitted = steps(
      submitProject(person('resident-1'), community, budget, {
        title,
        description: title,
        costEstimate: cost,
        ...(districtId ? { districtId } : {}),
      }),
    );
    await store.createProject(submitted.value, submitted.events, budget);
    const approved = await moderationUseCases(
      dynamoModerationPort({ client, tableName: config.tableName }),
    ).decide(
      person('moderator-1', [Role.moderator]),
      community,
      itemIdOf(ModerationType.budgetProject, projectSubjectId(submitted.value)),
      { decision: Decision.approve },
    );
    if (!approved.ok) throw new Error(`Demo project not approved: ${approved.error.code}`);
    projects.push(submitted.value);
  }

  const move = async (phase: Budget['phase']) => {
    const moved = steps(changeBudgetPhase(council, budget, phase));
    await store.saveBudget(budget, moved.value, moved.events);
    budget = moved.value;
  };
  await move('review');
  for (const project of projects) {
    const current = await store.getProject(community.id, budget.id, project.id);
    if (!current) throw new Error('Demo project vanished');
    const reviewed = steps(
      reviewProject(council, budget, current, { outcome: 'feasible', finalCost: current.costEstimate }),
    );
    await store.saveProject(current, reviewed.value, reviewed.events);
  }
  await move('voting');
}
