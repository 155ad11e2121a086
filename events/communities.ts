import { z } from 'zod';

/** Event names of the communities tool, with their versions. */
export const CommunityEvents = {
  created: 'community.created.v1',
  settingsChanged: 'community.settings-changed.v1',
  memberChanged: 'community.member-changed.v1',
} as const;

export const CommunityCreatedV1 = z.object({
  communityId: z.string(),
  names: z.object({ uk: z.string(), en: z.string() }),
  createdBy: z.string(),
});

export const CommunitySettingsChangedV1 = z.object({
  communityId: z.string(),
  changedBy: z.string(),
  /** Top-level settings keys that changed; values are not repeated in the event. */
  changedKeys: z.array(z.string()),
});

export const CommunityMemberChangedV1 = z.object({
  communityId: z.string(),
  changedBy: z.string(),
  memberSubject: z.string(),
  roles: z.array(z.enum(['moderator', 'council', 'officer'])),
  /** The reception's units an officer handles after the change (empty for other roles). */
  units: z.array(z.string()).default([]),
});
