import { createHash } from 'node:crypto';

/**
 * The SHA-256 of a `.pb` text, in hex, over its UTF-8 bytes: for a file read
 * as UTF-8 it equals `sha256sum FILE`. A result document carries it so that
 * anyone can check which input the results were computed from.
 * @example pabulibSha256(await readFile('Poland_Warszawa_2023_Rembertow.pb', 'utf8'))
 */
export function pabulibSha256(fileText: string): string {
  return createHash('sha256').update(fileText, 'utf8').digest('hex');
}
