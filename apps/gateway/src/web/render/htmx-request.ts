import { type FastifyRequest } from 'fastify';

/** Every request header that changes what an HTML route answers; caches must key on them. */
export const HTML_VARY = 'HX-Request, HX-Target, HX-History-Restore-Request';

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

export function isHtmxRequest(request: FastifyRequest): boolean {
  return header(request, 'hx-request') === 'true';
}

/**
 * True when the answer should be the bare fragment: an htmx request that is not restoring
 * history (htmx then swaps the whole body and needs the full page) and not targeting the body.
 */
export function wantsFragment(request: FastifyRequest): boolean {
  return (
    isHtmxRequest(request) &&
    header(request, 'hx-history-restore-request') !== 'true' &&
    header(request, 'hx-request-type') !== 'full'
  );
}

/** The id of the element htmx will swap into (htmx 4 sends `tag#id`), if any. */
export function htmxTargetId(request: FastifyRequest): string | undefined {
  const target = header(request, 'hx-target');
  if (!target) return undefined;
  const hash = target.indexOf('#');
  return hash >= 0 ? decodeURIComponent(target.slice(hash + 1)) : undefined;
}

/** Browsers asking for a page (not the JSON API, not probes) get HTML errors. */
export function wantsHtml(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? '/';
  if (path.startsWith('/api/') || path === '/healthz' || path === '/readyz') return false;
  return isHtmxRequest(request) || (request.headers.accept ?? '').includes('text/html');
}
