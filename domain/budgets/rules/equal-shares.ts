import type { ApprovalProfile } from './approval-profile';
import { type Rational, rational } from './rational';
import { compareRatios, type Ratio, Reach, type Trend } from './trend';
import { type WalletGroup, Wallets } from './wallets';

/** Bumped whenever a change could select differently; result documents carry it. */
export const EQUAL_SHARES_VERSION = 'equal-shares/1';

/** What one run of equal shares funded, and what it left each voter. */
export interface EqualSharesOutcome {
  /** The funded project ids, in the order the rule funded them. */
  readonly selected: readonly string[];
  /** The sum of their costs. */
  readonly cost: bigint;
  /** Each voter's share of the money the run started with: B / n, plus the increment add1 settled on. */
  readonly share: Rational;
  /** What each voter has left at the end, by voter number; each paid `share − remaining`. */
  readonly remaining: readonly Rational[];
}

/**
 * The Method of Equal Shares (Peters, Pierczyński, Skowron 2021) for approval
 * ballots with cost utilities, in exact arithmetic, without completion.
 *
 * Each of the n voters gets the share B / n. While some unfunded project can
 * be paid by its supporters, each such project of cost c gets its price α:
 * the least amount such that supporters paying `min(left, α)` raise exactly
 * c. The project with the least ρ = α / c is funded and its supporters pay.
 *
 * Tie-breaks, in order: the smaller ρ; more supporters; the smaller project
 * id compared as a string (UTF-16 code units, so `"10"` comes before `"9"`).
 * A project that costs 0 and has a supporter is funded first, before any
 * money moves: it takes nothing from anyone. A project nobody approves is
 * never funded, whatever it costs.
 *
 * @example equalShares(approvalProfile(instance), instance.budget).selected
 */
export function equalShares(profile: ApprovalProfile, budget: bigint): EqualSharesOutcome {
  return runEqualShares(profile, budget, 0n, false).outcome();
}

/** A run at one increment, and how far the increment can grow with the same outcome. */
export interface EqualSharesRun {
  /** The funded project ids, in the order the rule funded them. */
  readonly selected: readonly string[];
  readonly cost: bigint;
  /**
   * Every increment from this run's up to (not including) this run's plus
   * `reach` funds the same projects in the same order; `undefined` when no
   * increase would change anything. Only computed when asked for.
   */
  readonly reach: Rational | undefined;
  /** The run's whole outcome; what each voter has left is only worked out when asked for. */
  outcome(): EqualSharesOutcome;
}

interface Price {
  /** What is still missing after the poorest groups paid all they have, over the wallets' denominator. */
  readonly missing: Trend;
  /** How many supporters split `missing` equally: each pays `missing / payers`. */
  readonly payers: bigint;
  /** ρ = payment / cost: the price per unit of cost, the rule's measure of value for money. */
  readonly perUnit: Ratio;
  readonly groups: readonly WalletGroup[];
  /** How many of the poorest groups pay all they have. */
  readonly emptied: number;
}

interface Candidate {
  readonly project: number;
  readonly id: string;
  readonly cost: bigint;
  readonly supporterCount: number;
  /** ρ: exact when `price` is set (priced since the last funding), otherwise a lower bound. */
  perUnit: Ratio;
  price: Price | undefined;
}

/** The rule's order: the smaller ρ, then more supporters, then the smaller id. */
function comesFirst(a: Candidate, b: Candidate): boolean {
  const byPerUnit = compareRatios(a.perUnit, b.perUnit);
  if (byPerUnit !== 0) return byPerUnit < 0;
  if (a.supporterCount !== b.supporterCount) return a.supporterCount > b.supporterCount;
  return a.id < b.id;
}

/**
 * Equal shares where every voter's share is B / n + `increment`. With
 * `trackReach`, it also notes every condition its decisions rest on as a
 * linear function of the increment, to tell how far the increment can grow
 * before any decision may flip (see {@link EqualSharesRun.reach}); add1
 * completion uses that to skip the budgets that cannot change the outcome.
 *
 * The candidates are priced lazily: a project's ρ only grows as voters pay,
 * so a price from an earlier round is a lower bound, and only the candidate
 * first in order needs a fresh price. This stays sound across the reach: a
 * price worked out with the poorest groups paying all they have and the rest
 * an equal split is, as a linear function of the increment, never above the
 * true price (at any increment, paying at most that much each raises at most
 * the cost), so only a funded project needs its split to hold across the reach.
 */
export function runEqualShares(
  profile: ApprovalProfile,
  budget: bigint,
  increment: bigint,
  trackReach: boolean,
): EqualSharesRun {
  const voterCount = BigInt(profile.voterCount);
  // Amounts start over the voter count: the share B / n + t is (B + n·t) / n and grows by n / n per unit of t.
  const denominator = voterCount === 0n ? 1n : voterCount;
  const wallets = new Wallets(
    profile.voterCount,
    { value: budget + voterCount * increment, slope: voterCount },
    denominator,
  );
  const reach = new Reach();
  const selected: number[] = [];
  const candidates: Candidate[] = [];
  const freeOnes: Candidate[] = [];
  profile.projects.forEach(({ id, cost }, project) => {
    const supporterCount = profile.supporters[project]?.length ?? 0;
    if (supporterCount === 0) return;
    const candidate = { project, id, cost, supporterCount, perUnit: NO_PRICE_YET, price: undefined };
    (cost === 0n ? freeOnes : candidates).push(candidate);
  });
  selected.push(...freeOnes.sort((a, b) => (comesFirst(a, b) ? -1 : 1)).map(({ project }) => project));

  while (candidates.length > 0) {
    const winner = firstInOrder(candidates);
    if (!winner.price) {
      const groups = wallets.groupsOf(profile.supporters[winner.project] as Int32Array);
      const price = priceFor(winner.cost, groups, wallets.denominator, trackReach ? reach : undefined);
      if (price) {
        winner.price = price;
        winner.perUnit = price.perUnit;
      } else {
        // Its supporters cannot pay it now, and they will only have less.
        candidates.splice(candidates.indexOf(winner), 1);
      }
      continue;
    }
    candidates.splice(candidates.indexOf(winner), 1);
    const { groups, emptied, missing, payers } = winner.price;
    if (trackReach) {
      for (const other of candidates) reach.keepAtLeast(other.perUnit, winner.perUnit);
      keepSplit(winner.price, reach);
    }
    wallets.charge(profile.supporters[winner.project] as Int32Array, groups, emptied, missing, payers);
    selected.push(winner.project);
    for (const candidate of candidates) candidate.price = undefined;
  }

  const ids = selected.map((project) => profile.projects[project]?.id as string);
  const cost = selected.reduce((sum, project) => sum + (profile.projects[project]?.cost ?? 0n), 0n);
  // Without voters there is nobody to share the budget among.
  const share = voterCount === 0n ? rational(0n) : rational(budget + voterCount * increment, denominator);
  return {
    selected: ids,
    cost,
    reach: reach.reach,
    outcome: () => ({ selected: ids, cost, share, remaining: wallets.remaining() }),
  };
}

/** Every project costs more than nothing, so 0 is below any price: it puts unpriced projects first. */
const NO_PRICE_YET: Ratio = { value: 0n, slope: 0n, denominator: 1n };

function firstInOrder(candidates: readonly Candidate[]): Candidate {
  let first = candidates[0] as Candidate;
  for (const candidate of candidates) if (comesFirst(candidate, first)) first = candidate;
  return first;
}

/**
 * The price of a project of cost `cost` > 0 to supporters in `groups` (poorest
 * first, over `denominator`), or `undefined` when all they have falls short.
 * Walking up from the poorest, a group pays all it has while that is less
 * than an equal split of what is still missing; the rest split what is
 * missing equally.
 */
function priceFor(
  cost: bigint,
  groups: readonly WalletGroup[],
  denominator: bigint,
  reach: Reach | undefined,
): Price | undefined {
  let missingValue = cost * denominator;
  let missingSlope = 0n;
  let payers = groups.reduce((sum, group) => sum + BigInt(group.voters), 0n);
  let emptied = 0;
  for (const { left, voters } of groups) {
    if (left.value * payers >= missingValue) break;
    missingValue -= left.value * BigInt(voters);
    missingSlope -= left.slope * BigInt(voters);
    payers -= BigInt(voters);
    emptied++;
  }
  const missing = { value: missingValue, slope: missingSlope };
  if (emptied === groups.length) {
    // Unaffordable for as long as something stays missing.
    reach?.keepNonNegative(missing);
    return undefined;
  }
  const perUnit = { ...missing, denominator: denominator * payers * cost };
  return { missing, payers, perUnit, groups, emptied };
}

/**
 * Notes what keeps a funded project's split: the groups that paid all they
 * had stay below the payment, the others at or above it. Amounts are over
 * the wallets' denominator times `payers`, where the payment is `missing`.
 */
function keepSplit({ groups, emptied, missing, payers }: Price, reach: Reach): void {
  groups.forEach(({ left }, index) => {
    const scaled = { value: left.value * payers, slope: left.slope * payers };
    const [above, below] = index < emptied ? [missing, scaled] : [scaled, missing];
    reach.keepNonNegative({ value: above.value - below.value, slope: above.slope - below.slope });
  });
}
