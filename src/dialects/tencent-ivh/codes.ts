/**
 * IVH error codes (docs/dialects/tencent-ivh.md; Tencent docs 1211/62081, 1211/62095, 1240/100406) with the
 * "<ErrorName>: <text>" message style Tencent answers in.
 */
import type { TimbrelError } from '../../core/errors.js';

export const IVH = {
  SUCCESS: 0,
  INTERNAL_ERROR: 100000,
  PARAMETER_ERROR: 100001,
  PARAMETER_VALUE_ERROR: 100002,
  UNAUTHORIZED: 100005,
  TOO_FREQUENT: 100012,
  NOT_FOUND: 110006,
} as const;

export function ivhCodeOf(err: TimbrelError): { code: number; name: string; status: number } {
  switch (err.code) {
    case 'action_unsupported':
      return { code: IVH.PARAMETER_ERROR, name: 'UnsupportedOperation', status: 200 };
    case 'method_not_allowed':
      return { code: IVH.PARAMETER_ERROR, name: 'UnsupportedOperation', status: 405 };
    case 'auth_param_missing':
    case 'auth_param_malformed':
    case 'signature_missing':
    case 'signature_version_missing':
    case 'signature_version_unsupported':
    case 'signature_expired':
    case 'signature_invalid':
    case 'app_unknown':
    case 'app_disabled':
      return { code: IVH.UNAUTHORIZED, name: 'UnauthorizedOperation', status: 200 };
    case 'rate_limited':
      return { code: IVH.TOO_FREQUENT, name: 'RequestLimitExceeded', status: 200 };
    case 'body_unreadable':
    case 'invalid_parameter':
      return { code: IVH.PARAMETER_ERROR, name: 'InvalidParameter', status: 200 };
    case 'body_too_large':
      return { code: IVH.PARAMETER_ERROR, name: 'InvalidParameter', status: 413 };
    case 'invalid_parameter_value':
      return { code: IVH.PARAMETER_VALUE_ERROR, name: 'InvalidParameterValue', status: 200 };
    case 'digital_human_not_found':
    case 'anchor_not_found':
    case 'timbre_not_found':
    case 'not_found':
      return { code: IVH.NOT_FOUND, name: 'ResourceNotFound', status: 200 };
    default:
      return { code: IVH.INTERNAL_ERROR, name: 'InternalError', status: 200 };
  }
}
