/** Roles a person can hold in one community. Residents need no role: residency comes from the token. */
export const Role = { moderator: 'moderator', council: 'council', officer: 'officer' } as const;
export type Role = (typeof Role)[keyof typeof Role];
export const ROLES = Object.values(Role);

/**
 * Who is calling. Built from verified token claims plus membership items, never
 * from roles in the token: a provider can vouch for who someone is and where they
 * live, only the community's council can make them a moderator.
 */
export interface Actor {
  readonly issuer: string;
  readonly subject: string;
  /**
   * HMAC-SHA256(secret, issuer + subject), hex. The only identity stored with
   * signatures and ballots: stable per person, meaningless without the secret.
   */
  readonly signerKey: string;
  /** Residency as the identity provider verified it; absent when it does not say. */
  readonly residency?: { readonly communityId: string; readonly districtId?: string };
  /** ISO date (YYYY-MM-DD) as the provider verified it. */
  readonly birthdate?: string;
  /** Platform administrators may create communities and bootstrap their councils. */
  readonly platformAdmin: boolean;
  /** Roles in the community the request is about (empty when it names none). */
  readonly roles: ReadonlySet<Role>;
  /**
   * The structural units (internet reception) whose items an `officer` handles,
   * from the membership; absent or empty for everyone else.
   */
  readonly units?: ReadonlySet<string>;
}

export function hasRole(actor: Actor | undefined, role: Role): boolean {
  return actor?.roles.has(role) ?? false;
}

/** True when the provider says the actor lives in this community. */
export function isResidentOf(actor: Actor | undefined, communityId: string): boolean {
  return actor?.residency?.communityId === communityId;
}
