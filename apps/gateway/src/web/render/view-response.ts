import { type View } from './view.js';

/**
 * A view sent with a status other than 200 (a 409 conflict page, a 422 form with errors).
 * Nest applies the route's status after interceptors run, so these travel as exceptions and
 * the web exception filter renders them.
 */
export class ViewResponse extends Error {
  constructor(
    readonly view: View,
    readonly status: number,
    /** Extra response headers, e.g. `Retry-After` on a 429 page. */
    readonly headers: Record<string, string> = {},
  ) {
    super(`view with status ${status}`);
    this.name = 'ViewResponse';
  }
}
