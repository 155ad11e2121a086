import type { Project } from '../../domain/budgets/project';
import { EXCERPT_CHARS, ModerationType, type SubjectSnapshot } from '../../domain/moderation/item';

const SEPARATOR = '_';

/**
 * A project's subject id in the moderation centre: `<budgetId>_<projectId>`,
 * because a project is found through its budget (both ids are ULIDs, which have no `_`).
 */
export const projectSubjectId = (project: Pick<Project, 'budgetId' | 'id'>): string =>
  `${project.budgetId}${SEPARATOR}${project.id}`;

/** The budget and project a subject id names, or undefined. */
export function parseProjectSubjectId(
  subjectId: string,
): { budgetId: string; projectId: string } | undefined {
  const [budgetId, projectId, ...rest] = subjectId.split(SEPARATOR);
  return budgetId && projectId && rest.length === 0 ? { budgetId, projectId } : undefined;
}

/** What the moderation queue shows of a budget project; its budget is the parent. */
export function projectSnapshot(project: Project): SubjectSnapshot {
  return {
    type: ModerationType.budgetProject,
    subjectId: projectSubjectId(project),
    parentId: project.budgetId,
    title: project.title,
    excerpt: [...project.description].slice(0, EXCERPT_CHARS).join(''),
    authorKey: project.authorKey,
  };
}
