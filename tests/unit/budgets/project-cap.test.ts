import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PROJECTS, MAX_PROJECTS_LIMIT, maxProjectsOf } from '../../../domain/budgets/budget';
import { createBudget } from '../../../domain/budgets/commands/create-budget';
import { importBudget } from '../../../domain/budgets/commands/import-budget';
import { parsePabulib } from '../../../domain/budgets/pabulib/parse';
import { projectLimitReached } from '../../../domain/budgets/permissions';
import type { Community } from '../../../domain/communities/community';
import { CommunitySettingsSchema } from '../../../domain/communities/settings';
import { Role } from '../../../domain/identity/actor';
import type { CommandContext } from '../../../domain/shared/command';
import { actor, fixedClock, sequentialIds } from '../../support/actors';
import { pabulibText } from '../../support/pabulib';

/** How many projects a budget takes: its own setting, 500 by default, and an import at most 2,000. */

const NOW = '2026-11-22T10:00:00.000Z';
const community: Community = {
  id: 'c1',
  settings: CommunitySettingsSchema.parse({ names: { uk: 'Громада', en: 'Community' } }),
  createdAt: NOW,
  createdBy: 'admin',
  updatedAt: NOW,
  version: 1,
};
const council: CommandContext = {
  actor: actor({ subject: 'council', roles: new Set([Role.council]) }),
  clock: fixedClock(NOW),
  ids: sequentialIds(),
};
const input = {
  names: { uk: 'Бюджет', en: 'Budget' },
  currency: 'UAH',
  totalAmount: 1_000,
  ballot: { type: 'approval' as const },
  rule: 'greedy' as const,
};

describe('maxProjects', () => {
  it('is the default unless the budget sets its own', () => {
    const byDefault = createBudget(council, community, input);
    const own = createBudget(council, community, { ...input, maxProjects: 40 });

    expect(byDefault.ok && byDefault.value.maxProjects).toBe(DEFAULT_MAX_PROJECTS);
    expect(own.ok && own.value.maxProjects).toBe(40);
    expect(maxProjectsOf({})).toBe(DEFAULT_MAX_PROJECTS);
  });

  it('names its limit in the refusal, in uk and en', () => {
    const refusal = projectLimitReached({ maxProjects: 7 });

    expect(refusal).toMatchObject({ code: 'project_limit_reached', details: { limit: 7 } });
    expect(refusal.message.uk).toContain('7 проєктів');
    expect(refusal.message.en).toContain('7 projects');
  });
});

describe('an import', () => {
  const instance = parsePabulib(pabulibText('Poland_Warszawa_2023_Rembertow.pb'));
  const template = instance.projects[0] as (typeof instance.projects)[number];

  it(`brings at most ${MAX_PROJECTS_LIMIT} projects`, () => {
    const projects = Array.from({ length: MAX_PROJECTS_LIMIT + 1 }, (_, index) => ({
      ...template,
      id: `p${index}`,
    }));

    const outcome = importBudget(council, community, { ...instance, projects }, {});

    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error).toMatchObject({
      code: 'project_limit_reached',
      details: { limit: MAX_PROJECTS_LIMIT },
    });
  });

  it('takes a file within the limit, and its budget takes as many projects as it brought', () => {
    const outcome = importBudget(council, community, instance, {});

    expect(outcome.ok && outcome.value.budget.maxProjects).toBe(
      Math.max(DEFAULT_MAX_PROJECTS, instance.projects.length),
    );
  });
});
