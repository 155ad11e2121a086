import type { BallotProfile } from './ballot-profile';
import { type Rational, rational } from './rational';
import type { Reach, Trend } from './trend';

/**
 * Voters who approve the same of the projects funded so far have paid the
 * same, so equal shares keeps the money left once per class of such voters,
 * not per voter: the arithmetic is per class, which is what makes a hundred
 * thousand voters cheap.
 *
 * Which voters share a class depends only on which projects were funded, in
 * which order, never on the amounts: so the classes, and how a project's
 * supporters fall into them, are worked out once per sequence of funded
 * projects (a {@link Stage}) and kept for every later run that funds the same
 * ones first. The add1 completion runs equal shares hundreds of times with
 * slightly larger shares, and nearly every run funds the projects of the one
 * before: they only redo the arithmetic on the classes, never count voters.
 */

/** How a project's supporters fall into classes at a stage: `voters[i]` of them are in class `wallets[i]`. */
export interface Tally {
  readonly wallets: Int32Array;
  readonly voters: Int32Array;
}

/**
 * The projects funded so far, in order, and the classes they make: every
 * voter starts in class 0; funding a project moves its supporters of each
 * class to a new class born at the next stage. A class keeps its number on
 * every later stage, so classes born earlier keep what they have left.
 */
export class Stage {
  /** The stages reached by funding one more project, by project number. */
  readonly next = new Map<number, Stage>();
  /** Each priced project's {@link Tally} here, by project number. */
  readonly tallies = new Map<number, Tally>();

  constructor(
    readonly parent: Stage | undefined,
    /** The project funded to get here; -1 at the start. */
    readonly funded: number,
    readonly depth: number,
    /** Classes 0 … classCount − 1 exist here. */
    readonly classCount: number,
    /** For the classes born here (numbered from the parent's classCount on), the class each came from. */
    readonly bornFrom: Int32Array,
    /** By the parent's class: the class born here that its supporters of `funded` moved to, or -1. */
    readonly movedTo: Int32Array,
  ) {}
}

/** The classes of an approval profile's voters, for every sequence of funded projects asked about so far. */
export class VoterClasses {
  readonly root: Stage;
  readonly #supporters: readonly Int32Array[];
  /** The class of each voter at `#at`: one array, moved along the stages as they are asked about. */
  readonly #walletOf: Int32Array;
  #at: Stage;
  #tally = new Int32Array(64);

  constructor(profile: BallotProfile) {
    this.#supporters = profile.supporters;
    this.root = new Stage(undefined, -1, 0, 1, new Int32Array(0), new Int32Array(0));
    this.#walletOf = new Int32Array(profile.voterCount);
    this.#at = this.root;
  }

  /** How the supporters of `project` fall into the classes of `stage`. */
  tally(stage: Stage, project: number): Tally {
    const known = stage.tallies.get(project);
    if (known) return known;
    const voters = this.#supporters[project] as Int32Array;
    let tally: Tally;
    if (stage === this.root) {
      tally = { wallets: Int32Array.of(0), voters: Int32Array.of(voters.length) };
    } else {
      const walletOf = this.#walletsAt(stage);
      if (this.#tally.length < stage.classCount) this.#tally = new Int32Array(stage.classCount * 2);
      const counts = this.#tally;
      const seen: number[] = [];
      for (const voter of voters) {
        const wallet = walletOf[voter] as number;
        if (counts[wallet] === 0) seen.push(wallet);
        counts[wallet] = (counts[wallet] as number) + 1;
      }
      tally = {
        wallets: Int32Array.from(seen),
        voters: Int32Array.from(seen, (wallet) => counts[wallet] as number),
      };
      for (const wallet of seen) counts[wallet] = 0;
    }
    stage.tallies.set(project, tally);
    return tally;
  }

  /** The stage after funding `project` at `stage`: its supporters of each class move to a class of their own. */
  after(stage: Stage, project: number): Stage {
    const known = stage.next.get(project);
    if (known) return known;
    const { wallets } = this.tally(stage, project);
    const movedTo = new Int32Array(stage.classCount).fill(-1);
    wallets.forEach((wallet, index) => {
      movedTo[wallet] = stage.classCount + index;
    });
    const next = new Stage(
      stage,
      project,
      stage.depth + 1,
      stage.classCount + wallets.length,
      wallets,
      movedTo,
    );
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
    for (const next of path.reverse()) {
      for (const voter of this.#supporters[next.funded] as Int32Array) {
        this.#walletOf[voter] = next.movedTo[this.#walletOf[voter] as number] as number;
      }
    }
    this.#at = stage;
    return this.#walletOf;
  }
}

/**
 * What the voters of each class have left in one run of equal shares, exactly.
 *
 * Every amount is a whole numerator over one denominator: the voter count at
 * first, multiplied by the payer count of each funded project (a payment is
 * what is missing split among the payers). Amounts compare without fractions,
 * and no greatest common divisor is ever computed on the way. A class keeps
 * its amount over the denominator of the stage it was born at, and is
 * brought to the current one when it is read.
 *
 * Each amount is a {@link Trend} in the add1 increment, at the increment the
 * run is worked out for; {@link restart} moves a run back to an earlier stage
 * at another increment, for when only the later stages may differ there.
 */
export class Wallets {
  readonly #firstDenominator: bigint;
  #denominator: bigint;
  /** By class: the amount over the denominator of the stage it was born at (`#era`). */
  readonly #value: bigint[] = [];
  readonly #slope: bigint[] = [];
  readonly #era: number[] = [];
  /** By class: the class it was born from (0 for class 0 itself). */
  readonly #parent: number[] = [];
  /** By class: the amount over the current denominator, good while `#readAt` is `#version`. */
  readonly #readValue: bigint[] = [];
  readonly #readSlope: bigint[] = [];
  readonly #readAt: number[] = [];
  #version = 0;
  /** The payer counts of the projects funded so far: the factors of the denominator. */
  readonly #payers: bigint[] = [];
  /** What was missing of each funded project after the poorest paid all they had, over the denominator then. */
  readonly #missingValue: bigint[] = [];
  readonly #missingSlope: bigint[] = [];
  /** By stage: the factor from its denominator to the current one. */
  readonly #scaleSince: bigint[] = [1n];

  /** Every voter starts in class 0 with `share` over `denominator`. */
  constructor(share: Trend, denominator: bigint) {
    this.#firstDenominator = denominator;
    this.#denominator = denominator;
    this.#push(share, 0, 0);
  }

  /** The denominator of every amount the wallets hand out now. */
  get denominator(): bigint {
    return this.#denominator;
  }

  /** Whether the class has nothing left, whatever the increment: its voters have paid all they had. */
  isEmpty(wallet: number): boolean {
    return this.#value[wallet] === 0n && this.#slope[wallet] === 0n;
  }

  /** The stage whose denominator a class's {@link raw} amount is over. */
  era(wallet: number): number {
    return this.#era[wallet] as number;
  }

  /** What the voters of a class have left, over the denominator of its {@link era}: {@link left} is this times {@link scale}. */
  raw(wallet: number): bigint {
    return this.#value[wallet] as bigint;
  }

  /** How fast {@link raw} grows with the increment. */
  rawSlope(wallet: number): bigint {
    return this.#slope[wallet] as bigint;
  }

  /** How many stages amounts can be over: 0 … eras − 1. */
  get eras(): number {
    return this.#scaleSince.length;
  }

  /** The factor from the denominator of a stage to the current one. */
  scale(era: number): bigint {
    return this.#scaleSince[era] as bigint;
  }

  /** What the voters of a class have left, over {@link denominator}. */
  left(wallet: number): Trend {
    if (this.#readAt[wallet] !== this.#version) {
      const scale = this.#scaleSince[this.#era[wallet] as number] as bigint;
      this.#readValue[wallet] = (this.#value[wallet] as bigint) * scale;
      this.#readSlope[wallet] = (this.#slope[wallet] as bigint) * scale;
      this.#readAt[wallet] = this.#version;
    }
    return { value: this.#readValue[wallet] as bigint, slope: this.#readSlope[wallet] as bigint };
  }

  /**
   * Charges the supporters of a project, moving them to the classes born at
   * the next stage (`bornFrom`, see {@link Stage}): those of a class marked
   * {@link PAYS_SHARE} pay `missing / payers` (`missing` over the current
   * denominator), the others pay all they have. Notes in `reach` that what
   * each class paying the split keeps stays at least 0: that it can pay it.
   */
  charge(
    bornFrom: Int32Array,
    marks: Uint8Array,
    missing: Trend,
    payers: bigint,
    reach: Reach | undefined,
  ): void {
    const era = this.#payers.length + 1;
    this.#payers.push(payers);
    this.#missingValue.push(missing.value);
    this.#missingSlope.push(missing.slope);
    this.#denominator *= payers;
    for (let stage = 0; stage < this.#scaleSince.length; stage++) {
      this.#scaleSince[stage] = (this.#scaleSince[stage] as bigint) * payers;
    }
    this.#scaleSince.push(1n);
    this.#version++;
    bornFrom.forEach((wallet, index) => {
      if (marks[index] !== PAYS_SHARE) {
        this.#push(NOTHING, era, wallet);
        return;
      }
      // Over the new denominator: what the class had, less the split `missing`.
      const scale = this.#scaleSince[this.#era[wallet] as number] as bigint;
      const value = (this.#value[wallet] as bigint) * scale - missing.value;
      const slope = (this.#slope[wallet] as bigint) * scale - missing.slope;
      reach?.keepNonNegative({ value, slope });
      this.#push({ value, slope }, era, wallet);
    });
  }

  /**
   * Goes back to the stage `depth` (its first `classCount` classes) and moves
   * every amount by `shift` in the increment: exact when every decision of
   * the run before that stage is still the same at the new increment, the
   * amounts being linear in it in between.
   */
  restart(depth: number, classCount: number, shift: bigint): void {
    for (const list of [
      this.#value,
      this.#slope,
      this.#era,
      this.#parent,
      this.#readValue,
      this.#readSlope,
      this.#readAt,
    ]) {
      list.length = classCount;
    }
    this.#payers.length = depth;
    this.#missingValue.length = depth;
    this.#missingSlope.length = depth;
    if (shift !== 0n) {
      for (let wallet = 0; wallet < classCount; wallet++) {
        this.#value[wallet] = (this.#value[wallet] as bigint) + (this.#slope[wallet] as bigint) * shift;
      }
      for (let stage = 0; stage < depth; stage++) {
        this.#missingValue[stage] =
          (this.#missingValue[stage] as bigint) + (this.#missingSlope[stage] as bigint) * shift;
      }
    }
    this.#scaleSince.length = depth + 1;
    this.#scaleSince[depth] = 1n;
    for (let stage = depth - 1; stage >= 0; stage--) {
      this.#scaleSince[stage] = (this.#scaleSince[stage + 1] as bigint) * (this.#payers[stage] as bigint);
    }
    this.#denominator = this.#firstDenominator * (this.#scaleSince[0] as bigint);
    this.#version++;
  }

  /** What each voter has left, by voter number (`walletOf`: each voter's class), as fractions in lowest terms. */
  remaining(walletOf: Int32Array): Rational[] {
    const byWallet = new Map<number, Rational>();
    return Array.from(walletOf, (wallet) => {
      let left = byWallet.get(wallet);
      if (!left) {
        left = rational(this.left(wallet).value, this.#denominator);
        byWallet.set(wallet, left);
      }
      return left;
    });
  }

  /**
   * What the voters of the classes at `places` in `tally` (none of them
   * empty) have together, over {@link denominator}. Such a class has paid an
   * equal split of every funded project its voters approve, so it holds the
   * share less those splits: the sum takes, instead of a product per class, a
   * count per funded project of the voters who paid its split, and a product
   * per funded project.
   */
  holdings(tally: Tally, places: readonly number[]): Trend {
    const paid = new Float64Array(this.#payers.length);
    let everyone = 0;
    for (const place of places) {
      const count = tally.voters[place] as number;
      everyone += count;
      for (let born = tally.wallets[place] as number; born !== 0; born = this.#parent[born] as number) {
        const stage = (this.#era[born] as number) - 1;
        paid[stage] = (paid[stage] as number) + count;
      }
    }
    const scale = this.#scaleSince;
    const all = BigInt(everyone) * (scale[0] as bigint);
    let value = (this.#value[0] as bigint) * all;
    let slope = (this.#slope[0] as bigint) * all;
    paid.forEach((count, stage) => {
      if (count === 0) return;
      // The split of the project funded at `stage` is missing / payers over the denominator then, missing over the next.
      const factor = BigInt(count) * (scale[stage + 1] as bigint);
      value -= (this.#missingValue[stage] as bigint) * factor;
      slope -= (this.#missingSlope[stage] as bigint) * factor;
    });
    return { value, slope };
  }

  #push(amount: Trend, era: number, parent: number): void {
    this.#value.push(amount.value);
    this.#slope.push(amount.slope);
    this.#era.push(era);
    this.#parent.push(parent);
    this.#readValue.push(0n);
    this.#readSlope.push(0n);
    this.#readAt.push(-1);
  }
}

/** How a class of a funded project's supporters pays: an equal split of what is missing. */
export const PAYS_SHARE = 0;
/** … all it has, being poorer than the split. */
export const PAYS_ALL = 1;
/** … nothing, having nothing left. */
export const HAS_NOTHING = 2;

const NOTHING: Trend = { value: 0n, slope: 0n };
