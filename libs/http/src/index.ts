export {
  COMMON_ERROR_STATUS,
  DomainException,
  isCommonErrorCode,
  isDomainException,
  type CommonErrorCode,
  type ErrorBody,
} from './domain.exception.js';
export {
  ApiExceptionFilter,
  commonErrors,
  errorModel,
  toErrorResponse,
  type ErrorModel,
} from './api-exception.filter.js';
export {
  decodeNumberCursor,
  decodeTimeCursor,
  encodeCursor,
  invalidCursor,
  type TimeCursor,
} from './cursor.js';
export { ZodPipe, parseWith } from './zod.pipe.js';
export { Caller } from './caller.decorator.js';
export { MALFORMED_MULTIPART, malformedMultipart } from './malformed-multipart.js';
export {
  INVALID_CHARACTERS,
  hasInvalidCharacters,
  isInvalidCharactersIssue,
  safeText,
  singleLineText,
  withoutInvalidCharacters,
} from './safe-text.js';
export {
  createServiceApp,
  startService,
  type ServiceApp,
  type ServiceAppOptions,
} from './service-app.js';
export { isDatabaseUnavailable } from './database-unavailable.js';
