import { text } from '../../shared/localized';
import type { DomainError } from '../../shared/outcome';
import { canMoveProject, type Project, type ProjectState } from '../project';

/** The 409 for any move the project table does not allow; it names the current state. */
export function illegalProjectMove(project: Project, to: ProjectState): DomainError | undefined {
  if (canMoveProject(project.state, to)) return undefined;
  return {
    code: 'invalid_state',
    message: text(
      `Проєкт у стані «${project.state}»; перейти в «${to}» з нього неможливо.`,
      `The project is "${project.state}"; it cannot become "${to}" from there.`,
    ),
    details: { currentState: project.state, requestedState: to },
  };
}
