import { type Rational, rational } from './rational';
import type { Trend } from './trend';

/** The voters of one wallet class among a project's supporters. */
export interface WalletGroup {
  /** The wallet class: every voter in it has exactly the same money left. */
  readonly wallet: number;
  readonly voters: number;
  /** What each of them has left, over the wallets' denominator. */
  readonly left: Trend;
}

/** The class of the voters who have nothing left. */
const EMPTY_WALLET = 0;

/**
 * What each voter has left under equal shares, exactly. Voters who approved
 * the same funded projects have paid the same, so the money left is kept once
 * per class of such voters and each voter holds only a class number: the
 * arithmetic is per class, not per voter, which is what makes a hundred
 * thousand voters cheap.
 *
 * Every amount is a whole numerator over one denominator: the voter count at
 * first, multiplied by the payer count of each funded project (a payment is
 * what is missing split among the payers). Amounts compare without fractions,
 * and no greatest common divisor is ever computed on the way. A class made
 * before the last few payments is brought to the current denominator when it
 * is next read.
 */
export class Wallets {
  #denominator: bigint;
  readonly #walletOf: Int32Array;
  readonly #value: bigint[] = [0n];
  readonly #slope: bigint[] = [0n];
  /** The payment after which a class was last scaled, to know what it still needs. */
  readonly #era: number[] = [0];
  /** Per payment, the factor from the denominator after it to the current one. */
  readonly #scaleSince: bigint[] = [1n];
  #tally = new Int32Array(64);

  /** Every one of `voterCount` voters starts with `share` over `denominator`. */
  constructor(voterCount: number, share: Trend, denominator: bigint) {
    this.#denominator = denominator;
    this.#value.push(share.value);
    this.#slope.push(share.slope);
    this.#era.push(0);
    this.#walletOf = new Int32Array(voterCount).fill(1);
  }

  /** The denominator of every amount the wallets hand out now. */
  get denominator(): bigint {
    return this.#denominator;
  }

  /** What the voters of a class have left, over {@link denominator}. */
  left(wallet: number): Trend {
    const era = this.#era[wallet] as number;
    const current = this.#scaleSince.length - 1;
    if (era !== current) {
      const scale = this.#scaleSince[era] as bigint;
      this.#value[wallet] = (this.#value[wallet] as bigint) * scale;
      this.#slope[wallet] = (this.#slope[wallet] as bigint) * scale;
      this.#era[wallet] = current;
    }
    return { value: this.#value[wallet] as bigint, slope: this.#slope[wallet] as bigint };
  }

  /** What each voter has left, by voter number, as fractions in lowest terms. */
  remaining(): Rational[] {
    const byWallet = new Map<number, Rational>();
    return Array.from(this.#walletOf, (wallet) => {
      let left = byWallet.get(wallet);
      if (!left) {
        left = rational(this.left(wallet).value, this.#denominator);
        byWallet.set(wallet, left);
      }
      return left;
    });
  }

  /** The wallet classes among `voters` that still hold money, with how many voters each, poorest first. */
  groupsOf(voters: Int32Array): WalletGroup[] {
    // Before the first payment everyone holds the share: no need to look at each voter.
    if (this.#scaleSince.length === 1) {
      return voters.length === 0 ? [] : [{ wallet: 1, voters: voters.length, left: this.left(1) }];
    }
    if (this.#tally.length < this.#value.length) this.#tally = new Int32Array(this.#value.length * 2);
    const tally = this.#tally;
    const seen: number[] = [];
    for (const voter of voters) {
      const wallet = this.#walletOf[voter] as number;
      if (wallet === EMPTY_WALLET) continue;
      if (tally[wallet] === 0) seen.push(wallet);
      tally[wallet] = (tally[wallet] as number) + 1;
    }
    const groups = seen.map((wallet) => ({
      wallet,
      voters: tally[wallet] as number,
      left: this.left(wallet),
    }));
    for (const wallet of seen) tally[wallet] = 0;
    return groups.sort((a, b) => (a.left.value < b.left.value ? -1 : a.left.value > b.left.value ? 1 : 0));
  }

  /**
   * Charges `voters` for a project: the first `emptied` groups pay all they
   * have, every other voter pays `missing / payers` (`missing` over the
   * current denominator). The voters of a class who did not pay stay in it;
   * those who paid move to a new class.
   */
  charge(
    voters: Int32Array,
    groups: readonly WalletGroup[],
    emptied: number,
    missing: Trend,
    payers: bigint,
  ): void {
    const movedTo = new Int32Array(this.#value.length).fill(-1);
    groups.forEach((group, index) => {
      if (index < emptied) {
        movedTo[group.wallet] = EMPTY_WALLET;
        return;
      }
      movedTo[group.wallet] = this.#value.length;
      // Over the new denominator (this one times `payers`): left · payers − missing.
      this.#value.push(group.left.value * payers - missing.value);
      this.#slope.push(group.left.slope * payers - missing.slope);
      this.#era.push(this.#scaleSince.length);
    });
    for (const voter of voters) {
      const moved = movedTo[this.#walletOf[voter] as number] as number;
      if (moved !== -1) this.#walletOf[voter] = moved;
    }
    this.#denominator *= payers;
    for (let era = 0; era < this.#scaleSince.length; era++) {
      this.#scaleSince[era] = (this.#scaleSince[era] as bigint) * payers;
    }
    this.#scaleSince.push(1n);
  }
}
