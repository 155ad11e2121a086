import { ModerationType } from '../../domain/moderation/item';
import { autoHidePetition, moderatePetition } from '../../domain/petitions/commands/moderate-petition';
import { type Petition, PetitionState } from '../../domain/petitions/petition';
import { text } from '../../domain/shared/localized';
import { type DomainError, type Outcome, reject } from '../../domain/shared/outcome';
import {
  type SubjectChange,
  type SubjectDeps,
  type SubjectPort,
  subjectChange,
} from '../moderation/subjects';
import { readItem } from '../shared/dynamo';
import { keys } from '../shared/keys';
import { petitionFromItem, petitionSnapshot } from './items';
import { petitionChangeWrites } from './store';

/** Drafts and petitions still gathering sponsors are their author's: nothing for the moderators yet. */
const NOT_SUBMITTED = new Set<PetitionState>([PetitionState.draft, PetitionState.gathering_sponsors]);

/** The petition, if it has reached the moderators (submitted, and past its sponsors). */
async function readPetition(deps: SubjectDeps, communityId: string, petitionId: string) {
  const item = await readItem(deps.client, deps.tableName, keys.petition(communityId, petitionId));
  const petition = item ? petitionFromItem(item) : undefined;
  return petition && !NOT_SUBMITTED.has(petition.state) ? petition : undefined;
}

/** A petition that is not there, as the moderation centre reports it. */
const missing = (petitionId: string): DomainError => ({
  code: 'item_not_found',
  message: text('Петиції для модерації не знайдено.', 'There is no such petition to moderate.'),
  details: { petitionId },
});

/** A petition command's outcome as the centre's part of the write. */
const changeOf = (
  deps: SubjectDeps,
  previous: Petition,
  outcome: Outcome<Petition>,
): Outcome<SubjectChange> =>
  subjectChange(
    previous,
    outcome,
    (next) => petitionChangeWrites(deps.tableName, previous, next),
    (petition) => ({ state: petition.state, textHidden: petition.textHidden }),
  );

/** Petitions in the moderation centre: approve opens, reject and hide take away, restore brings back. */
export const petitionSubjectPort: SubjectPort = {
  type: ModerationType.petition,

  async describe(deps, communityId, subjectId) {
    const petition = await readPetition(deps, communityId, subjectId);
    if (!petition) return undefined;
    return { snapshot: petitionSnapshot(petition), isPublic: petition.state === PetitionState.open };
  },

  async decide(deps, context, community, subjectId, input) {
    const petition = await readPetition(deps, community.id, subjectId);
    if (!petition) return reject(missing(subjectId));
    return changeOf(deps, petition, moderatePetition(context, petition, input));
  },

  async hide(deps, context, community, subjectId) {
    const petition = await readPetition(deps, community.id, subjectId);
    if (!petition) return reject(missing(subjectId));
    return changeOf(deps, petition, autoHidePetition(context, petition));
  },
};
