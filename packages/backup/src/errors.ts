import { UserError } from '@slipway/kit'

/** The backup file does not match its manifest (corrupted, truncated, or tampered with). */
export class IntegrityError extends UserError {
  constructor(message: string) {
    super(message, 'restore an earlier backup (backup-id), and check the store for damage')
    this.name = 'IntegrityError'
  }
}

/** A restore would overwrite data and `clean` was not set. */
export class NonEmptyTargetError extends UserError {
  constructor(message: string) {
    super(message, 'set clean: true to replace the data, or restore into an empty target')
    this.name = 'NonEmptyTargetError'
  }
}

/** The restored copy differs from the source. */
export class VerifyMismatchError extends UserError {
  constructor(
    message: string,
    readonly differences: string[]
  ) {
    super(message, 'the summary lists what differs between the source and the restored copy')
    this.name = 'VerifyMismatchError'
  }
}
