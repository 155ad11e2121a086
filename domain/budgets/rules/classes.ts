import type { Project } from './wallets';

/**
 * Voters who support the funded projects alike (the same ones, with the
 * same points) have paid the same, so equal shares keeps money once per
 * class of such voters, not per voter: the arithmetic is per class, which is
 * what makes a hundred thousand voters cheap.
 *
 * Which voters share a class depends only on which projects were funded, in
 * which order, never on the amounts: so the classes, and how a project's
 * supporters fall into them, are worked out once per sequence of funded
 * projects (a {@link Stage}) and kept for every later run that funds the same
 * ones first. The add1 completion runs equal shares hundreds of times with
 * slightly larger shares, and nearly every run funds the projects of the one
 * before: they only redo the arithmetic on the classes, never count voters.
 */

/** How a project's supporters fall into classes at a stage: `voters[e]` of class `wallets[e]` gave it `weights[e]`. */
export interface Tally {
  readonly wallets: Int32Array;
  readonly weights: Int32Array;
  readonly voters: Int32Array;
}

/**
 * The projects funded so far, in order, and the classes they make: every
 * voter starts in class 0; funding a project moves its supporters of each
 * tally entry (class and weight) to a class of their own born at the next
 * stage, numbered from the parent's classCount on in the order of the entries.
 */
export class Stage {
  /** The stages reached by funding one more project, by project index. */
  readonly next = new Map<number, Stage>();
  /** Each priced project's {@link Tally} here, by project index. */
  readonly tallies = new Map<number, Tally>();

  constructor(
    readonly parent: Stage | undefined,
    /** The project funded to get here; -1 at the start. */
    readonly funded: number,
    readonly depth: number,
    /** Classes 0 … classCount − 1 exist here. */
    readonly classCount: number,
    /** The parent's tally of `funded`: entry e became class `parent.classCount + e`. */
    readonly born: Tally | undefined,
  ) {}
}

/** Entries of a tally are found by class and weight; weights are below 2²⁰ (see MAX_POINTS). */
const key = (wallet: number, weight: number) => wallet * 1_048_576 + weight;

/** The classes of a profile's voters, for every sequence of funded projects asked about so far. */
export class VoterClasses {
  readonly root: Stage;
  readonly #projects: readonly Project[];
  /** The class of each voter at `#at`: one array, moved along the stages as they are asked about. */
  readonly #walletOf: Int32Array;
  #at: Stage;
  /** Scratch: supporters counted by class. */
  #counts = new Int32Array(64);

  constructor(projects: readonly Project[], voterCount: number) {
    this.#projects = projects;
    this.root = new Stage(undefined, -1, 0, 1, undefined);
    this.#walletOf = new Int32Array(voterCount);
    this.#at = this.root;
  }

  /** How the supporters of `project` fall into the classes of `stage`. */
  tally(stage: Stage, project: number): Tally {
    const known = stage.tallies.get(project);
    if (known) return known;
    const { supporters, weights } = this.#projects[project] as Project;
    const walletOf = this.#walletsAt(stage);
    const tally = weights
      ? this.#byClassAndWeight(supporters, weights, walletOf)
      : this.#byClass(supporters, walletOf, stage);
    stage.tallies.set(project, tally);
    return tally;
  }

  /** Approval ballots: one entry per class, counted in an array by class. */
  #byClass(supporters: Int32Array, walletOf: Int32Array, stage: Stage): Tally {
    if (this.#counts.length < stage.classCount) this.#counts = new Int32Array(stage.classCount * 2);
    const counts = this.#counts;
    const seen: number[] = [];
    for (const voter of supporters) {
      const wallet = walletOf[voter] as number;
      if (counts[wallet] === 0) seen.push(wallet);
      counts[wallet] = (counts[wallet] as number) + 1;
    }
    const tally = {
      wallets: Int32Array.from(seen),
      weights: new Int32Array(seen.length).fill(1),
      voters: Int32Array.from(seen, (wallet) => counts[wallet] as number),
    };
    for (const wallet of seen) counts[wallet] = 0;
    return tally;
  }

  /** Point ballots: one entry per class and number of points. */
  #byClassAndWeight(supporters: Int32Array, weights: Int32Array, walletOf: Int32Array): Tally {
    const entries = new Map<number, number>();
    const wallets: number[] = [];
    const given: number[] = [];
    const voters: number[] = [];
    supporters.forEach((voter, place) => {
      const wallet = walletOf[voter] as number;
      const weight = weights[place] as number;
      const at = entries.get(key(wallet, weight));
      if (at === undefined) {
        entries.set(key(wallet, weight), wallets.length);
        wallets.push(wallet);
        given.push(weight);
        voters.push(1);
      } else {
        voters[at] = (voters[at] as number) + 1;
      }
    });
    return {
      wallets: Int32Array.from(wallets),
      weights: Int32Array.from(given),
      voters: Int32Array.from(voters),
    };
  }

  /** The stage after funding `project` at `stage`. */
  after(stage: Stage, project: number): Stage {
    const known = stage.next.get(project);
    if (known) return known;
    const born = this.tally(stage, project);
    const next = new Stage(stage, project, stage.depth + 1, stage.classCount + born.wallets.length, born);
    stage.next.set(project, next);
    return next;
  }

  /** Each voter's class at `stage`, by voter number; only good until the next call on this object. */
  walletsOf(stage: Stage): Int32Array {
    return this.#walletsAt(stage);
  }

  #walletsAt(stage: Stage): Int32Array {
    if (this.#at === stage) return this.#walletOf;
    const path: Stage[] = [];
    let step = stage;
    while (step.depth > this.#at.depth && step.parent) {
      path.push(step);
      step = step.parent;
    }
    if (step !== this.#at) {
      // Not further along the same sequence: start over from everyone in class 0.
      this.#walletOf.fill(0);
      path.length = 0;
      for (step = stage; step.parent; step = step.parent) path.push(step);
    }
    for (const next of path.reverse()) this.#move(next);
    this.#at = stage;
    return this.#walletOf;
  }

  /** Moves the supporters of the project funded to reach `next` into the classes born there. */
  #move(next: Stage): void {
    const parent = next.parent as Stage;
    const born = next.born as Tally;
    const { supporters, weights } = this.#projects[next.funded] as Project;
    const walletOf = this.#walletOf;
    if (!weights) {
      // Approval: one entry per class.
      const movedTo = new Int32Array(parent.classCount);
      born.wallets.forEach((wallet, entry) => {
        movedTo[wallet] = parent.classCount + entry;
      });
      for (const voter of supporters) walletOf[voter] = movedTo[walletOf[voter] as number] as number;
      return;
    }
    const entries = new Map<number, number>();
    born.wallets.forEach((wallet, entry) => {
      entries.set(key(wallet, born.weights[entry] as number), entry);
    });
    supporters.forEach((voter, place) => {
      const entry = entries.get(key(walletOf[voter] as number, weights[place] as number)) as number;
      walletOf[voter] = parent.classCount + entry;
    });
  }
}
