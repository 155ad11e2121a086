import { autoHideProject, moderateProject } from '../../domain/budgets/commands/moderate-project';
import { type Project, ProjectState } from '../../domain/budgets/project';
import { ModerationType } from '../../domain/moderation/item';
import { text } from '../../domain/shared/localized';
import { type DomainError, type Outcome, reject } from '../../domain/shared/outcome';
import {
  type SubjectChange,
  type SubjectDeps,
  type SubjectPort,
  subjectChange,
} from '../moderation/subjects';
import { parseProjectSubjectId, projectSnapshot } from './snapshot';
import { dynamoBudgetStore, projectPut } from './store';

const missing = (subjectId: string): DomainError => ({
  code: 'item_not_found',
  message: text('Проєкту для модерації не знайдено.', 'There is no such project to moderate.'),
  details: { subjectId },
});

async function readProject(deps: SubjectDeps, communityId: string, subjectId: string) {
  const id = parseProjectSubjectId(subjectId);
  if (!id) return undefined;
  return dynamoBudgetStore(deps.client, deps.tableName).getProject(communityId, id.budgetId, id.projectId);
}

/** A project command's outcome as the centre's part of the write. */
const changeOf = (deps: SubjectDeps, previous: Project, outcome: Outcome<Project>): Outcome<SubjectChange> =>
  subjectChange(previous, outcome, (next) => [projectPut(deps.tableName, previous, next)]);

/**
 * Budget projects in the moderation centre: approve or restore makes a project
 * public as `proposed`, reject and hide take it away. Only a proposed project
 * can be reported (after review it is the council's, not the moderators').
 */
export const projectSubjectPort: SubjectPort = {
  type: ModerationType.budgetProject,

  async describe(deps, communityId, subjectId) {
    const project = await readProject(deps, communityId, subjectId);
    if (!project) return undefined;
    return {
      snapshot: projectSnapshot(project),
      isPublic: project.state === ProjectState.proposed,
    };
  },

  async decide(deps, context, community, subjectId, input) {
    const project = await readProject(deps, community.id, subjectId);
    if (!project) return reject(missing(subjectId));
    return changeOf(deps, project, moderateProject(context, project, input));
  },

  async hide(deps, context, community, subjectId) {
    const project = await readProject(deps, community.id, subjectId);
    if (!project) return reject(missing(subjectId));
    return changeOf(deps, project, autoHideProject(context, project));
  },
};
