import { type SourceName, type SourceState } from './ops-status.model.js';

const RESOURCES: Record<SourceName, string> = {
  deployments: 'deployments.apps',
  replicasets: 'replicasets.apps',
  pods: 'pods',
  events: 'events',
  applications: 'applications.argoproj.io',
};

interface HttpishError {
  code?: unknown;
  statusCode?: unknown;
  body?: unknown;
  message?: unknown;
  cause?: unknown;
}

function statusOf(err: HttpishError): number | undefined {
  const status = typeof err.code === 'number' ? err.code : err.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The API server's own sentence (`pods is forbidden: User "x" cannot list ...`), if it sent one. */
function apiMessage(body: unknown): string | undefined {
  const parsed: unknown = typeof body === 'string' ? safeJson(body) : body;
  if (typeof parsed === 'object' && parsed !== null && 'message' in parsed) {
    const message = parsed.message;
    return typeof message === 'string' ? message : undefined;
  }
  return undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A network error's cause (ECONNREFUSED, certificate errors) is more useful than "fetch failed". */
function networkMessage(err: HttpishError): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current && depth < 4; depth++) {
    const e = current as HttpishError;
    if (typeof e.message === 'string' && e.message && !parts.includes(e.message)) {
      parts.push(e.message);
    }
    current = e.cause;
  }
  return parts.join(': ') || 'no error message';
}

/**
 * Turns a failed list or watch into what the page says. 403 is RBAC (the fix is the Role, so
 * the message names the resource and namespace); 404 on Applications means Argo CD's CRD is
 * not installed; anything else is the API being unreachable or refusing the credentials.
 */
export function classifySourceError(
  source: SourceName,
  namespace: string,
  error: unknown,
): Exclude<SourceState, { state: 'starting' } | { state: 'ok' }> {
  const err = (
    typeof error === 'object' && error !== null ? error : { message: String(error) }
  ) as HttpishError;
  const status = statusOf(err);
  const resource = RESOURCES[source];
  if (status === 403) {
    return {
      state: 'forbidden',
      message:
        apiMessage(err.body) ??
        `forbidden: cannot list/watch ${resource} in namespace "${namespace}"`,
    };
  }
  if (status === 401) {
    return {
      state: 'unavailable',
      message: 'the API server rejected the credentials (401 Unauthorized)',
    };
  }
  if (status === 404) {
    return {
      state: 'unavailable',
      message:
        source === 'applications'
          ? `Argo CD's Application CRD (${resource}) is not installed in this cluster`
          : `${resource} not found (404)`,
    };
  }
  if (status !== undefined) {
    return {
      state: 'unavailable',
      message: apiMessage(err.body) ?? `the API server answered ${status} for ${resource}`,
    };
  }
  return { state: 'unavailable', message: `cannot reach the API server: ${networkMessage(err)}` };
}
