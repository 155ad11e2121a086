import type { ModerationType } from '../../domain/moderation/item';
import { projectSubjectPort } from '../budgets/moderation';
import { commentSubjectPort } from '../consultations/moderation';
import { petitionSubjectPort } from '../petitions/moderation';
import type { SubjectPort } from './subjects';

/**
 * The tools plugged into the moderation centre, by the kind of subject they
 * moderate. A tool joins by adding its port here; a kind without a port has no
 * items (its ids answer 404).
 */
export const SUBJECT_PORTS: Readonly<Partial<Record<ModerationType, SubjectPort>>> = {
  [petitionSubjectPort.type]: petitionSubjectPort,
  [projectSubjectPort.type]: projectSubjectPort,
  [commentSubjectPort.type]: commentSubjectPort,
};
