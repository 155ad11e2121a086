import type { Role } from '../identity/actor';
import type { CommunitySettings } from './settings';

/** Lower-case letters, digits and dashes; it is part of every key and URL of the community. */
export const COMMUNITY_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

export interface Community {
  readonly id: string;
  readonly settings: CommunitySettings;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  /** Increases by one on every settings change; guards against lost updates. */
  readonly version: number;
}

/** A person's roles in one community, granted by its council (or a platform admin). */
export interface Membership {
  readonly communityId: string;
  readonly issuer: string;
  readonly subject: string;
  readonly roles: readonly Role[];
  /**
   * The structural units of the internet reception (`settings.appeals.units`) an
   * officer handles; present only with the `officer` role.
   */
  readonly units?: readonly string[];
  readonly grantedBy: string;
  readonly grantedAt: string;
}
