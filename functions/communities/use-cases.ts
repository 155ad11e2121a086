import {
  type CreateCommunityInput,
  createCommunity,
} from '../../domain/communities/commands/create-community';
import { setMemberRoles } from '../../domain/communities/commands/set-member-roles';
import { updateSettings } from '../../domain/communities/commands/update-settings';
import type { Community, Membership } from '../../domain/communities/community';
import { forbidden, mayListMembers } from '../../domain/communities/permissions';
import type { CommunityStore, Page } from '../../domain/communities/ports';
import type { CommunitySettingsPatch } from '../../domain/communities/settings';
import type { Role } from '../../domain/identity/actor';
import type { CommandContext } from '../../domain/shared/command';
import { text } from '../../domain/shared/localized';
import { type DomainError, fail, type Outcome, ok, reject } from '../../domain/shared/outcome';
import { found, type RetryPolicy, type RunOptions, runChange, versionConflict } from '../shared/use-case';

/**
 * The communities tool's use cases, each through the runner on the
 * {@link CommunityStore} port: a settings change is saved once, over the
 * version it was read at, and answers 409 when another change came first; a
 * membership change reads the person's roles and the council, and its save is
 * unconditional (the last writer sets the roles), so it never tries again.
 */

/**
 * Settings are tried once: a patch replaces lists (`districts`) whole, so
 * merging it again over someone else's change would silently undo theirs. The
 * council reads the settings again and decides what its change should be.
 */
const SETTINGS_POLICY: RetryPolicy = { attempts: 1 };

const settingsChanged: DomainError = {
  ...versionConflict(),
  message: text(
    'Налаштування щойно змінив хтось інший. Перечитайте їх і повторіть зміну.',
    'Someone else changed the settings just now. Read them again and repeat your change.',
  ),
};

const communityNotFound = (communityId: string): DomainError => ({
  code: 'community_not_found',
  message: text('Такої громади немає.', 'There is no such community.'),
  details: { communityId },
});

/**
 * The refusal of a role for a person whose identity provider this deployment
 * does not trust: nobody could ever sign in as them, and a stranger's issuer
 * named in a membership would be one more door to reason about.
 */
function untrustedIssuer(issuer: string, trustedIssuers: readonly string[]): DomainError | undefined {
  if (trustedIssuers.includes(issuer)) return undefined;
  return {
    code: 'unknown_issuer',
    message: text(
      'Ролі можна надати лише особам від видавців, яким довіряє ця платформа.',
      'Roles can be given only to people of an identity provider this platform trusts.',
    ),
    details: { issuer, issuers: trustedIssuers },
  };
}

/**
 * A platform admin creates a community with its first council.
 *
 * Outcomes: those of `createCommunity`; `community_exists` (the id is taken);
 * `unknown_issuer` (a council member of an issuer not trusted).
 */
async function create(
  store: CommunityStore,
  trustedIssuers: readonly string[],
  context: CommandContext,
  input: CreateCommunityInput,
): Promise<Outcome<Community>> {
  const outcome = createCommunity(context, input);
  if (!outcome.ok) return outcome;
  // After the command, so that someone who may not create communities learns nothing more than `forbidden`.
  for (const person of input.council) {
    const refusal = untrustedIssuer(person.issuer, trustedIssuers);
    if (refusal) return reject(refusal);
  }
  const stored = await store.create(outcome.value.community, outcome.value.members, outcome.events);
  if (stored === 'exists') {
    return fail(
      'community_exists',
      text(
        `Громада «${input.id}» вже існує; оберіть інший id.`,
        `Community "${input.id}" already exists; choose another id.`,
      ),
      { communityId: input.id },
    );
  }
  return ok(outcome.value.community, outcome.events);
}

/**
 * The council changes settings: read the community, merge the patch, save
 * over the version read (with the audit intent); a patch that changes nothing
 * writes nothing. A lost race is a 409 at once ({@link SETTINGS_POLICY}).
 */
function changeSettings(
  store: CommunityStore,
  context: CommandContext,
  communityId: string,
  patch: CommunitySettingsPatch,
): Promise<Outcome<Community>> {
  return runChange(
    {
      load: async () => found(await store.get(communityId), () => communityNotFound(communityId)),
      decide: (community) => updateSettings(context, community, patch),
      save: async (community, done) =>
        done.events.length === 0
          ? 'saved'
          : store.saveSettings(done.value, community.version, done.events, done.audit),
    },
    { policy: SETTINGS_POLICY, conflict: settingsChanged },
  );
}

/** A page of the community's staff (council and moderators only). */
async function listMembers(
  store: CommunityStore,
  context: CommandContext,
  communityId: string,
  page: { limit: number; cursor?: string },
): Promise<Outcome<Page<Membership>>> {
  if (!mayListMembers(context.actor)) return reject(forbidden('council or moderator'));
  return ok(await store.listMembers(communityId, page));
}

/** What a membership change found and left: `previous` tells a new membership (201) from a changed one. */
export interface RolesChange {
  readonly previous: Membership | undefined;
  /** Undefined when the person's roles were all removed. */
  readonly membership: Membership | undefined;
}

/**
 * Sets a person's roles (none removes the membership) and an officer's units: reads what the
 * membership rule needs (the person's current roles and the whole council)
 * and runs it. `issuer` defaults to the caller's: a community usually trusts
 * one identity provider. Roles go only to people of a trusted issuer
 * (`unknown_issuer`); removing them needs no such check.
 *
 * Outcomes: those of `setMemberRoles`; `unknown_issuer`.
 */
function setRoles(
  store: CommunityStore,
  trustedIssuers: readonly string[],
  options: RunOptions,
  context: CommandContext,
  community: Community,
  person: { readonly subject: string; readonly issuer?: string | undefined },
  roles: readonly Role[],
  units: readonly string[] | undefined,
): Promise<Outcome<RolesChange>> {
  const issuer = person.issuer ?? context.actor.issuer;
  return runChange(
    {
      load: async () => {
        const [current, council] = await Promise.all([
          store.getMember(community.id, issuer, person.subject),
          store.councilMembers(community.id),
        ]);
        return ok({ current, council });
      },
      decide: ({ current, council }) => {
        const outcome = setMemberRoles(context, community, current, council, {
          issuer,
          subject: person.subject,
          roles,
          ...(units ? { units } : {}),
        });
        // After the command, so that someone who may not grant roles learns nothing more than `forbidden`.
        const refusal = outcome.ok && roles.length > 0 ? untrustedIssuer(issuer, trustedIssuers) : undefined;
        if (refusal) return reject(refusal);
        return outcome.ok
          ? ok({ previous: current, membership: outcome.value }, outcome.events, outcome.audit)
          : outcome;
      },
      save: async (_found, done) => {
        const { previous, membership } = done.value;
        if (membership) await store.putMember(membership, done.events, done.audit);
        else if (previous) await store.removeMember(previous, done.events, done.audit);
        return 'saved';
      },
    },
    options,
  );
}

/**
 * The communities tool's use cases on a {@link CommunityStore}: DynamoDB's for
 * the routes, the in-memory fake in unit tests. `trustedIssuers` are the
 * deployment's identity providers (roles go only to their people). `policy` replaces the
 * runner's retry policy of membership changes (tests pass one that does not
 * sleep); settings are tried once whatever it says.
 * @example const changed = await communityUseCases(store, [issuer]).changeSettings(command, 'demo', patch);
 */
export function communityUseCases(
  store: CommunityStore,
  trustedIssuers: readonly string[],
  policy?: RetryPolicy,
) {
  const options: RunOptions = policy ? { policy } : {};
  return {
    /** A platform admin creates a community with its first council. */
    create: (context: CommandContext, input: CreateCommunityInput) =>
      create(store, trustedIssuers, context, input),
    /** The council changes settings. */
    changeSettings: (context: CommandContext, communityId: string, patch: CommunitySettingsPatch) =>
      changeSettings(store, context, communityId, patch),
    /** Staff list the community's staff. */
    listMembers: (context: CommandContext, communityId: string, page: { limit: number; cursor?: string }) =>
      listMembers(store, context, communityId, page),
    /** The council sets a person's roles (none removes the membership). */
    setRoles: (
      context: CommandContext,
      community: Community,
      person: { readonly subject: string; readonly issuer?: string | undefined },
      roles: readonly Role[],
      units?: readonly string[],
    ) => setRoles(store, trustedIssuers, options, context, community, person, roles, units),
  };
}
