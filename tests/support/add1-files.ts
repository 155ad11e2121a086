import { expect } from 'vitest';
import { type PabulibInstance, parsePabulib, VoteType } from '../../domain/budgets/pabulib';
import type { Add1Outcome } from '../../domain/budgets/rules';
import { remainingSha256 } from './equal-shares-oracle';
import { pabulibFiles, pabulibText, referenceResult } from './pabulib';

/** The shared files that equal shares applies to (approval, cumulative, scoring), each parsed. */
export function equalSharesFiles(): { file: string; instance: PabulibInstance }[] {
  return pabulibFiles()
    .map((file) => ({ file, instance: parsePabulib(pabulibText(file)) }))
    .filter(({ instance }) => instance.voteType !== VoteType.ordinal);
}

/** Expects add1 on `file` ×`scale` to settle where the earlier implementation did (approval files only). */
export function expectReferenceOutcome(file: string, scale: number, outcome: Add1Outcome): void {
  const reference = referenceResult(file, scale);
  expect({
    selected: outcome.selected,
    cost: outcome.cost.toString(),
    increment: outcome.increment.toString(),
    share: `${outcome.share.numerator}/${outcome.share.denominator}`,
    remainingSha256: remainingSha256(outcome),
  }).toEqual({
    selected: reference.equalShares,
    cost: reference.cost,
    increment: reference.increment,
    share: reference.share,
    remainingSha256: reference.remainingSha256,
  });
}
