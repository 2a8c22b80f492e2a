/**
 * One error type for the whole service. The core and the edges raise a `TimbrelError` with a stable
 * machine code; each dialect renders it in its own envelope (ZEGO codes, IVH codes, problem+json).
 * Messages are safe to show to a client: never a stack, a secret or SQL.
 */
export type ErrorCode =
  | 'action_missing' // ZEGO Action empty
  | 'action_unsupported' // ZEGO Action / IVH path that timbrel does not serve
  | 'auth_param_missing' // a common/auth parameter is missing
  | 'auth_param_malformed' // a common/auth parameter is present but not of its form
  | 'signature_version_missing'
  | 'signature_version_unsupported'
  | 'signature_missing'
  | 'signature_expired' // timestamp outside the window
  | 'signature_invalid'
  | 'app_unknown'
  | 'app_disabled'
  | 'rate_limited'
  | 'body_unreadable' // body is not JSON / not an object
  | 'body_too_large'
  | 'method_not_allowed'
  | 'invalid_parameter' // missing or wrongly typed parameter
  | 'invalid_parameter_value' // well-typed but out of range
  | 'digital_human_not_found'
  | 'timbre_not_found'
  | 'anchor_not_found'
  | 'not_found'
  | 'conflict'
  | 'unauthorized' // native API: no or invalid token
  | 'forbidden' // native API: visible, but not the caller's to change
  | 'unsupported_file_type' // native API: an upload that is not a file of the accepted kinds
  | 'cursor_invalid' // native API: a cursor that is malformed or was made for other filters
  | 'precondition_failed' // native API: If-Match named another version of the resource
  | 'events_expired' // native API: an event cursor older than the log's retention (410)
  | 'busy' // contention that outlasted the server's own retries (deadlock, serialization, locked file)
  | 'unavailable' // the database cannot be reached now
  | 'upstream_unavailable' // a relayed call's vendor could not be reached or did not answer in time
  | 'upstream_invalid' // a relayed call's vendor answered something that is not HTTP
  | 'internal';

export class TimbrelError extends Error {
  readonly code: ErrorCode;
  /** The parameter the error is about, when there is one. */
  readonly param?: string;

  constructor(code: ErrorCode, message: string, param?: string) {
    super(message);
    this.name = 'TimbrelError';
    this.code = code;
    this.param = param;
  }
}
