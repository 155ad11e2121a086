import { versionConflict } from '../../domain/shared/conflict';
import type { Localized } from '../../domain/shared/localized';
import type { DomainError, Outcome, Rejection, Success } from '../../domain/shared/outcome';

/** The one `version_conflict` builder, from the domain; re-exported for the use cases. */
export { versionConflict };

/**
 * How many times a change is tried before the caller hears `version_conflict`.
 * Each try re-reads the state and re-runs the (pure, cheap) command, so four
 * tries outlast all but a storm of edits to one entity.
 */
export const CHANGE_ATTEMPTS = 4;

/**
 * A pause before retry number `attempt` (1, 2, …) of a write that lost a race:
 * up to `stepMs` × 2^attempt, at most `ceilingMs`, uniformly jittered so that
 * racing writers spread out instead of colliding again. {@link retrying} uses
 * it between tries; the group commits and the tally engine give it their own bounds.
 * @example await jitteredPause(attempt, { ceilingMs: 250 });
 */
export function jitteredPause(
  attempt: number,
  { stepMs = 10, ceilingMs }: { readonly stepMs?: number; readonly ceilingMs: number },
): Promise<void> {
  const ceiling = Math.min(ceilingMs, stepMs * 2 ** attempt);
  return new Promise((wake) => setTimeout(wake, Math.random() * ceiling));
}

/** What a conditional save answers: written, or another change came first (the version moved on). */
export type Saved = 'saved' | 'conflict';

/** The marker an attempt returns when it lost a race and should be tried again. */
export const RETRY = Symbol('retry');

/** How {@link retrying} waits and how long it keeps at it. */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  /** Upper bound of the jittered pause before a retry, in ms; 0 retries at once. */
  readonly ceilingMs?: number;
  /** The pause before retry `attempt` (1, 2, …); tests pass one that does not sleep. */
  readonly pause?: (attempt: number) => Promise<void>;
}

/**
 * The one retry loop of the project: runs `attempt` until it returns something
 * other than {@link RETRY}, pausing (jittered, growing) between tries, at most
 * `policy.attempts` times. Answers {@link RETRY} when every try lost its race:
 * the caller says what that means (a 409, a record back to the stream, a
 * `failed` job).
 * @example const result = await retrying(() => store.save(next), { attempts: 4, ceilingMs: 100 });
 */
export async function retrying<T>(
  attempt: (tryNumber: number) => Promise<T | typeof RETRY>,
  policy: RetryPolicy,
): Promise<T | typeof RETRY> {
  const pause =
    policy.pause ??
    ((number: number) =>
      policy.ceilingMs ? jitteredPause(number, { ceilingMs: policy.ceilingMs }) : Promise.resolve());
  for (let number = 1; number <= policy.attempts; number += 1) {
    if (number > 1) await pause(number - 1);
    const result = await attempt(number);
    if (result !== RETRY) return result;
  }
  return RETRY;
}

/**
 * One use case that changes an entity, as the runner runs it:
 * `load` reads the current state through the tool's port (a rejection when it is
 * missing or hidden from the caller), `decide` is the pure command, and `save`
 * writes the new state with the command's events and audit intent in one
 * conditional transaction. `Done` is the command's kind of success: a staff
 * command's (`AuditedSuccess`) hands `save` an audit intent that is always there.
 */
export interface Change<State, T, Done extends Success<T> = Success<T>> {
  readonly load: () => Promise<Outcome<State>>;
  readonly decide: (state: State) => Done | Rejection;
  readonly save: (state: State, done: Done) => Promise<Saved>;
}

/** The state a loader found, or the rejection that says it is not there. */
export function found<State>(state: State | undefined, missing: () => DomainError): Outcome<State> {
  return state === undefined ? { ok: false, error: missing() } : { ok: true, value: state, events: [] };
}

/** Options of {@link runChange}. */
export interface RunOptions {
  /** Names the entity in the `version_conflict` message. */
  readonly what?: Localized;
  readonly policy?: RetryPolicy;
  /**
   * The 409 to answer instead of the generic one, when the caller knows what
   * the client should do (a change saved once over the version it read).
   */
  readonly conflict?: DomainError;
}

const CHANGE_POLICY: RetryPolicy = { attempts: CHANGE_ATTEMPTS, ceilingMs: 40 };

/**
 * The use-case runner: load → decide → save; when the save finds that another
 * change came first, load again and decide again, a bounded number of times,
 * then answer `version_conflict`. Routes and jobs that read an entity, decide
 * and write it back all run their commands through it; a write that needs no
 * read (a signature, a ballot, a vote) is one conditional put instead.
 * @example
 * const outcome = await runChange({
 *   load: async () => found(await store.get(c, id), () => notFound(id)),
 *   decide: (petition) => submitPetition(command, community, petition),
 *   save: (petition, done) => store.save(petition, done.value, done.events, done.audit),
 * });
 */
export async function runChange<State, T, Done extends Success<T> = Success<T>>(
  change: Change<State, T, Done>,
  options: RunOptions = {},
): Promise<Done | Rejection> {
  const result = await retrying<Done | Rejection>(async () => {
    const loaded = await change.load();
    if (!loaded.ok) return loaded;
    const outcome = change.decide(loaded.value);
    if (!outcome.ok) return outcome;
    return (await change.save(loaded.value, outcome)) === 'saved' ? outcome : RETRY;
  }, options.policy ?? CHANGE_POLICY);
  return result === RETRY ? { ok: false, error: options.conflict ?? versionConflict(options.what) } : result;
}
