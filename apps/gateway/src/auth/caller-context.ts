import { requestContext, type RequestContext } from '@lateral/observability';
import { type SessionUser } from './current-user.js';

/**
 * The signed-in caller for the request being served, kept beside the request context so the
 * upstream clients sign the right identity without every call site passing the user.
 */
const callers = new WeakMap<RequestContext, SessionUser>();

export function bindCaller(context: RequestContext | undefined, user: SessionUser): void {
  if (context) callers.set(context, user);
}

export function currentCaller(): SessionUser | undefined {
  const context = requestContext.getStore();
  return context ? callers.get(context) : undefined;
}
