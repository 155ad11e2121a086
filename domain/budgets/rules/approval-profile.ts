import type { PabulibInstance } from '../pabulib/instance';

/** A project as the rules see it: its id and whole cost. */
export interface BudgetProject {
  readonly id: string;
  readonly cost: bigint;
}

/**
 * Approval ballots in the shape equal shares works on: per project, the
 * voters who approve it. Voters are numbered 0 … voterCount − 1 and carry no
 * other identity, so that a rule cannot treat two ballots differently.
 */
export interface ApprovalProfile {
  readonly projects: readonly BudgetProject[];
  /** `supporters[i]`: the voters approving `projects[i]`, ascending. */
  readonly supporters: readonly Int32Array[];
  readonly voterCount: number;
}

/**
 * The approval profile of an instance: each ballot approves the projects it lists.
 * @example equalShares(approvalProfile(parsePabulib(text)), 1_000_000n)
 */
export function approvalProfile(instance: PabulibInstance): ApprovalProfile {
  const indexOf = new Map(instance.projects.map((project, index) => [project.id, index]));
  const lists: number[][] = instance.projects.map(() => []);
  instance.ballots.forEach((ballot, voter) => {
    for (const id of ballot.projectIds) {
      const index = indexOf.get(id);
      // The parser refuses votes for unlisted projects; an instance built in code may still have one.
      if (index === undefined)
        throw new RangeError(`Ballot ${ballot.voterId} names project ${id}, which is not listed.`);
      lists[index]?.push(voter);
    }
  });
  return {
    projects: instance.projects.map(({ id, cost }) => ({ id, cost })),
    supporters: lists.map((voters) => Int32Array.from(voters)),
    voterCount: instance.ballots.length,
  };
}
