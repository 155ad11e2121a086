/**
 * Where a project is: proposed by a resident (after moderation when the
 * community pre-moderates budgets), reviewed by the council, voted on,
 * selected or not by the results, and then implemented.
 */
export const ProjectState = {
  in_moderation: 'in_moderation',
  proposed: 'proposed',
  rejected: 'rejected',
  hidden: 'hidden',
  feasible: 'feasible',
  unfeasible: 'unfeasible',
  selected: 'selected',
  not_selected: 'not_selected',
  in_progress: 'in_progress',
  done: 'done',
  cancelled: 'cancelled',
} as const;
export type ProjectState = (typeof ProjectState)[keyof typeof ProjectState];
export const PROJECT_STATES = Object.values(ProjectState) as [ProjectState, ...ProjectState[]];

const S = ProjectState;

/** Every legal move, in one table. */
export const PROJECT_TRANSITIONS: readonly (readonly [ProjectState, ProjectState])[] = [
  [S.in_moderation, S.proposed],
  [S.in_moderation, S.rejected],
  [S.in_moderation, S.hidden],
  [S.proposed, S.hidden],
  [S.hidden, S.proposed],
  [S.rejected, S.proposed],
  [S.proposed, S.feasible],
  [S.proposed, S.unfeasible],
  [S.feasible, S.selected],
  [S.feasible, S.not_selected],
  [S.selected, S.in_progress],
  [S.selected, S.cancelled],
  [S.in_progress, S.done],
  [S.in_progress, S.cancelled],
];

export const canMoveProject = (from: ProjectState, to: ProjectState): boolean =>
  PROJECT_TRANSITIONS.some(([legalFrom, legalTo]) => legalFrom === from && legalTo === to);

/** What the public sees; the rest only the author and the staff. */
export const PUBLIC_PROJECT_STATES = new Set<ProjectState>([
  S.proposed,
  S.feasible,
  S.unfeasible,
  S.selected,
  S.not_selected,
  S.in_progress,
  S.done,
  S.cancelled,
]);

/** Only feasible projects are on the ballot. */
export const ON_BALLOT = new Set<ProjectState>([S.feasible]);

export interface ProgressNote {
  readonly at: string;
  readonly note: string;
  readonly by: string;
}

export interface Project {
  readonly id: string;
  readonly budgetId: string;
  readonly communityId: string;
  readonly title: string;
  readonly description: string;
  /** Minor units, as the author estimated. */
  readonly costEstimate: number;
  /** Minor units, as the council set it in review: what the rules count. */
  readonly finalCost?: number;
  /** The pot it competes in: `city` or a district id. */
  readonly potId: string;
  readonly category?: string;
  readonly location?: { readonly lat: number; readonly lng: number };
  readonly authorKey: string;
  readonly state: ProjectState;
  readonly review?: { readonly reason?: string; readonly reviewedAt: string; readonly reviewedBy: string };
  readonly moderation?: {
    readonly decision: string;
    readonly reasonCode?: string;
    readonly decidedAt: string;
    readonly decidedBy: string;
  };
  readonly progress: readonly ProgressNote[];
  readonly cancelReason?: string;
  /** The id in an imported pabulib file. */
  readonly externalId?: string;
  readonly createdAt: string;
  readonly version: number;
}

/** The cost the rules use: the council's once it has reviewed, the estimate before. */
export const costOf = (project: Pick<Project, 'finalCost' | 'costEstimate'>): number =>
  project.finalCost ?? project.costEstimate;
