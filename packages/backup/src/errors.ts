/** The backup file does not match its manifest (corrupted, truncated, or tampered with). */
export class IntegrityError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'IntegrityError'
  }
}

/** A restore would overwrite data and `clean` was not set. */
export class NonEmptyTargetError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'NonEmptyTargetError'
  }
}

/** The restored copy differs from the source. */
export class VerifyMismatchError extends Error {
  constructor(
    message: string,
    readonly differences: string[]
  ) {
    super(message)
    this.name = 'VerifyMismatchError'
  }
}
