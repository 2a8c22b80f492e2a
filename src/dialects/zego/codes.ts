/**
 * ZEGO return codes (docs/dialects/zego.md): the digital-human product's own, plus the gateway codes of ZEGO's
 * sibling AIGC product for the common-parameter failures. docs/dialects/zego.md lists what timbrel
 * answers with each.
 */
import type { TimbrelError } from '../../core/errors.js';

export const ZEGO = {
  SUCCESS: 0,
  APPID_MALFORMED: 100000001,
  TIMESTAMP_EMPTY: 100000002,
  TIMESTAMP_MALFORMED: 100000003,
  SIGNATURE_EXPIRED: 100000004,
  SIGNATURE_ERROR: 100000005,
  ACTION_EMPTY: 100000006,
  ACTION_UNSUPPORTED: 100000007,
  NONCE_EMPTY: 100000008,
  SIGNATURE_EMPTY: 100000009,
  APPID_UNKNOWN: 100000010,
  BODY_UNREADABLE: 100000012,
  SIGNATURE_VERSION_EMPTY: 100000013,
  SIGNATURE_VERSION_UNSUPPORTED: 100000014,
  INVALID_PARAMETER: 400000001,
  SERVICE_NOT_ENABLED: 400000002,
  DIGITAL_HUMAN_NOT_FOUND: 400000003,
  TIMBRE_NOT_FOUND: 400000004,
  SYSTEM_ERROR: 400010000,
  SYSTEM_BUSY: 400010002,
  RATE_LIMITED: 400010009,
} as const;

const MISSING: Record<string, number> = {
  AppId: ZEGO.APPID_MALFORMED,
  Timestamp: ZEGO.TIMESTAMP_EMPTY,
  SignatureNonce: ZEGO.NONCE_EMPTY,
  Signature: ZEGO.SIGNATURE_EMPTY,
  SignatureVersion: ZEGO.SIGNATURE_VERSION_EMPTY,
};

const MALFORMED: Record<string, number> = {
  AppId: ZEGO.APPID_MALFORMED,
  Timestamp: ZEGO.TIMESTAMP_MALFORMED,
  SignatureVersion: ZEGO.SIGNATURE_VERSION_UNSUPPORTED,
};

/** The ZEGO code and HTTP status for an error (docs/dialects/zego.md decision: 200 unless the transport failed). */
export function zegoCodeOf(err: TimbrelError): { code: number; status: number } {
  switch (err.code) {
    case 'action_missing':
      return { code: ZEGO.ACTION_EMPTY, status: 200 };
    case 'action_unsupported':
      return { code: ZEGO.ACTION_UNSUPPORTED, status: 200 };
    case 'method_not_allowed':
      return { code: ZEGO.ACTION_UNSUPPORTED, status: 405 };
    case 'auth_param_missing':
      return { code: MISSING[err.param ?? ''] ?? ZEGO.INVALID_PARAMETER, status: 200 };
    case 'auth_param_malformed':
      return { code: MALFORMED[err.param ?? ''] ?? ZEGO.INVALID_PARAMETER, status: 200 };
    case 'signature_version_missing':
      return { code: ZEGO.SIGNATURE_VERSION_EMPTY, status: 200 };
    case 'signature_version_unsupported':
      return { code: ZEGO.SIGNATURE_VERSION_UNSUPPORTED, status: 200 };
    case 'signature_missing':
      return { code: ZEGO.SIGNATURE_EMPTY, status: 200 };
    case 'signature_expired':
      return { code: ZEGO.SIGNATURE_EXPIRED, status: 200 };
    case 'signature_invalid':
      return { code: ZEGO.SIGNATURE_ERROR, status: 200 };
    case 'app_unknown':
      return { code: ZEGO.APPID_UNKNOWN, status: 200 };
    case 'app_disabled':
      return { code: ZEGO.SERVICE_NOT_ENABLED, status: 200 };
    case 'rate_limited':
      return { code: ZEGO.RATE_LIMITED, status: 200 };
    case 'body_unreadable':
      return { code: ZEGO.BODY_UNREADABLE, status: 400 };
    case 'body_too_large':
      return { code: ZEGO.BODY_UNREADABLE, status: 413 };
    case 'invalid_parameter':
    case 'invalid_parameter_value':
      return { code: ZEGO.INVALID_PARAMETER, status: 200 };
    case 'digital_human_not_found':
    case 'anchor_not_found':
      return { code: ZEGO.DIGITAL_HUMAN_NOT_FOUND, status: 200 };
    case 'timbre_not_found':
      return { code: ZEGO.TIMBRE_NOT_FOUND, status: 200 };
    case 'busy':
    case 'unavailable':
    case 'upstream_unavailable':
      return { code: ZEGO.SYSTEM_BUSY, status: 200 };
    default:
      return { code: ZEGO.SYSTEM_ERROR, status: 200 };
  }
}
