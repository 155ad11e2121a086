/**
 * A pause before retry number `attempt` (1, 2, …) of a write that lost a race:
 * up to `stepMs` × 2^attempt, at most `ceilingMs`, uniformly jittered so that
 * racing writers spread out instead of colliding again.
 * @example await jitteredPause(attempt, { ceilingMs: 250 });
 */
export function jitteredPause(
  attempt: number,
  { stepMs = 10, ceilingMs }: { readonly stepMs?: number; readonly ceilingMs: number },
): Promise<void> {
  const ceiling = Math.min(ceilingMs, stepMs * 2 ** attempt);
  return new Promise((wake) => setTimeout(wake, Math.random() * ceiling));
}
