import { type Localized, text } from './localized';
import type { DomainError } from './outcome';

/**
 * The one builder of `version_conflict`: another change came first. The
 * use-case runner answers it when every try lost its race; a command or a use
 * case that knows better why (a later request already stored, an item a
 * moderator must look at again) says so in `message`.
 * @example versionConflict(text('Петицію', 'The petition'))
 * @example versionConflict(undefined, text('Ваші пізніші відповіді…', 'Your later answers…'))
 */
export function versionConflict(
  what: Localized = text('Запис', 'The record'),
  message: Localized = text(
    `${what.uk} саме змінили кілька разів поспіль. Спробуйте ще раз.`,
    `${what.en} changed several times just now. Please try again.`,
  ),
  details?: Readonly<Record<string, unknown>>,
): DomainError {
  return details ? { code: 'version_conflict', message, details } : { code: 'version_conflict', message };
}
