import type { Cause } from './validation.js'

/** An error the API server answers with a `Status` object. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: {
      name?: string
      group?: string
      kind?: string
      causes?: { type?: string; message: string; field?: string }[]
    }
  ) {
    super(message)
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code
    }
  }
}

export function notFound(group: string, plural: string, name: string): ApiError {
  const resource = group ? `${plural}.${group}` : plural
  return new ApiError(404, 'NotFound', `${resource} "${name}" not found`, {
    name,
    group: group || undefined,
    kind: plural
  })
}

export function alreadyExists(group: string, plural: string, name: string): ApiError {
  const resource = group ? `${plural}.${group}` : plural
  return new ApiError(409, 'AlreadyExists', `${resource} "${name}" already exists`, {
    name,
    group: group || undefined,
    kind: plural
  })
}

export function modified(group: string, plural: string, name: string): ApiError {
  const resource = group ? `${plural}.${group}` : plural
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: group || undefined, kind: plural }
  )
}

export function invalid(kind: string, group: string, name: string, causes: Cause[]): ApiError {
  const what = group ? `${kind}.${group}` : kind
  const text = causes.map(c => `${c.field}: ${c.message}`).join(', ')
  return new ApiError(
    422,
    'Invalid',
    `${what} "${name}" is invalid: ${causes.length > 1 ? `[${text}]` : text}`,
    {
      name,
      group: group || undefined,
      kind,
      causes: causes.map(c => ({ type: c.reason, message: c.message, field: c.field }))
    }
  )
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message)
}

export function success(
  group: string,
  kind: string,
  name: string,
  uid?: string
): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name, group: group || undefined, kind, uid }
  }
}
