import type { z } from 'zod';
import {
  CommunityCreatedV1,
  CommunityEvents,
  CommunityMemberChangedV1,
  CommunitySettingsChangedV1,
} from './communities';
import {
  ModerationAppealedV1,
  ModerationAutoHiddenV1,
  ModerationDecidedV1,
  ModerationEvents,
} from './moderation';
import {
  PetitionAnsweredV1,
  PetitionClosedV1,
  PetitionCreatedV1,
  PetitionEvents,
  PetitionModeratedV1,
  PetitionPublishedV1,
  PetitionRestoredV1,
  PetitionSubmittedV1,
  PetitionThresholdReachedV1,
} from './petitions';

/**
 * Every event name the system emits, mapped to the schema of its `detail`. The
 * outbox publisher refuses an event whose name is not here, so a typo in a
 * command cannot reach subscribers.
 */
export const EVENT_DETAIL_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  [CommunityEvents.created]: CommunityCreatedV1,
  [CommunityEvents.settingsChanged]: CommunitySettingsChangedV1,
  [CommunityEvents.memberChanged]: CommunityMemberChangedV1,
  [PetitionEvents.created]: PetitionCreatedV1,
  [PetitionEvents.submitted]: PetitionSubmittedV1,
  [PetitionEvents.published]: PetitionPublishedV1,
  [PetitionEvents.rejected]: PetitionModeratedV1,
  [PetitionEvents.hidden]: PetitionModeratedV1,
  [PetitionEvents.thresholdReached]: PetitionThresholdReachedV1,
  [PetitionEvents.closed]: PetitionClosedV1,
  [PetitionEvents.answered]: PetitionAnsweredV1,
  [PetitionEvents.restored]: PetitionRestoredV1,
  [ModerationEvents.decided]: ModerationDecidedV1,
  [ModerationEvents.appealed]: ModerationAppealedV1,
  [ModerationEvents.autoHidden]: ModerationAutoHiddenV1,
};
