/** Time and ids come in from outside so that commands stay deterministic. */
export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** A new ULID: sortable by creation time, unique. */
  next(): string;
}
