/** Time and ids come in from outside so that commands stay deterministic. */
export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** A new ULID: sortable by creation time, unique. */
  next(): string;
  /**
   * A new secret (a link token): 128 random bits from a cryptographic source,
   * base64url, independent of every id. Ids sort by time and are public, so a
   * secret is never derived from one: whoever knows an id could guess it.
   */
  secret(): string;
}
