import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { mergeMap, type Observable } from 'rxjs';
import { AssetRegistry } from './assets.js';
import { HTML_VARY, htmxTargetId, isHtmxRequest, wantsFragment } from './htmx-request.js';
import { layout, pageFragment, type LayoutContext, type LayoutPage } from './layout.js';
import { SidebarService } from './sidebar.service.js';
import { isView, type View } from './view.js';
import { csrfTokenFor } from '../platform.js';

/**
 * The one place a web answer becomes HTML and the one place that reads the htmx headers: a page
 * is wrapped in the layout unless htmx asked for the fragment, and a part the page names in
 * `fragments` is sent alone when htmx targets it; `Vary` tells caches the answer depends on the
 * htmx headers.
 */
@Injectable()
export class HtmlViewRenderer {
  constructor(
    private readonly assets: AssetRegistry,
    private readonly sidebar: SidebarService,
  ) {}

  context(request: FastifyRequest): LayoutContext {
    return {
      user: request.lateralAuth?.user,
      csrfToken: csrfTokenFor(request),
      path: request.url.split('?')[0] ?? '/',
      assets: {
        css: this.assets.url('app.css'),
        js: this.assets.url('app.js'),
        htmx: this.assets.url('htmx.js'),
        icon: this.assets.url('favicon.svg'),
      },
    };
  }

  /** Sets the headers every HTML answer carries and returns the markup for this request. */
  renderPage(page: LayoutPage, request: FastifyRequest, reply: FastifyReply): string {
    this.setHeaders(reply);
    const targeted = isHtmxRequest(request) ? htmxTargetId(request) : undefined;
    const part = targeted === undefined ? undefined : page.fragments?.[targeted];
    if (part) return part.toString();
    return wantsFragment(request)
      ? pageFragment(page).toString()
      : layout(page, this.context(request)).toString();
  }

  /**
   * A handler's page: as {@link renderPage}, with the sidebar (spaces, the current space's tree)
   * for signed-in people unless htmx asked for one part or the page needs the full width.
   */
  async renderView(
    view: Extract<View, { kind: 'page' }>,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<string> {
    const targeted = isHtmxRequest(request) ? htmxTargetId(request) : undefined;
    const wantsPart = targeted !== undefined && view.fragments?.[targeted] !== undefined;
    const user = request.lateralAuth?.user;
    const sidebar =
      wantsPart || view.wide || !user ? undefined : await this.sidebar.render(view.place, user);
    return this.renderPage({ ...view, sidebar }, request, reply);
  }

  setHeaders(reply: FastifyReply): void {
    void reply.headers({
      'content-type': 'text/html; charset=utf-8',
      vary: HTML_VARY,
      // Pages show private data and change often: revalidate, never store in shared caches.
      'cache-control': 'private, no-cache',
    });
  }
}

@Injectable()
export class HtmlViewInterceptor implements NestInterceptor {
  constructor(private readonly renderer: HtmlViewRenderer) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(
      mergeMap(async (result: unknown) => {
        if (!isView(result)) return result;
        if (result.kind === 'partial') {
          this.renderer.setHeaders(reply);
          return result.body.toString();
        }
        return this.renderer.renderView(result, request, reply);
      }),
    );
  }
}
