export { DomainException, type CommonErrorCode, type ErrorBody } from './domain.exception.js';
export { ApiExceptionFilter, toErrorResponse, type StatusForCode } from './api-exception.filter.js';
export { ZodPipe, parseWith } from './zod.pipe.js';
export {
  createServiceApp,
  startService,
  type ServiceApp,
  type ServiceAppOptions,
} from './service-app.js';
