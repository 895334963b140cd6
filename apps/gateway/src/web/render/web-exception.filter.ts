import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  Inject,
  Injectable,
} from '@nestjs/common';
import { ApiExceptionFilter, toErrorResponse } from '@lateral/http';
import { LOGGER, type Logger } from '@lateral/observability';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { errorView } from './error.view.js';
import { HtmlViewRenderer } from './html-view.interceptor.js';
import { htmxTargetId, isHtmxRequest, wantsHtml } from './htmx-request.js';
import { type View } from './view.js';
import { ViewResponse } from './view-response.js';
import { signInAnswer } from './sign-in.js';
import { gatewayErrors, RequestAuthService, SignInRequired } from '../platform.js';

/**
 * One error layer for the whole gateway: people in a browser get an error page (or an error
 * fragment for htmx), API clients get the shared JSON error shape, unchanged.
 */
@Catch()
@Injectable()
export class WebExceptionFilter implements ExceptionFilter {
  private readonly json: ApiExceptionFilter;

  constructor(
    private readonly renderer: HtmlViewRenderer,
    private readonly auth: RequestAuthService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.json = new ApiExceptionFilter(gatewayErrors, this.logger);
  }

  catch(thrown: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (thrown instanceof ViewResponse) {
      for (const [name, value] of Object.entries(thrown.headers)) void reply.header(name, value);
      return this.send(thrown.view, thrown.status, request, reply);
    }
    const error = (thrown instanceof SignInRequired && signInAnswer(request)) || thrown;
    if (!wantsHtml(request)) return this.json.catch(error, host);
    void this.renderError(error, request, reply);
  }

  private async renderError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
    // Unknown routes never reach the guards; the header should still show who is signed in.
    if (request.lateralAuth === undefined)
      await this.auth.resolve(request, reply).catch(() => null);
    const response = toErrorResponse(error, gatewayErrors, this.logger);
    if (response.headers) void reply.headers(response.headers);
    const location = response.headers?.location;
    if (location && response.status >= 300 && response.status < 400) {
      void reply.redirect(location, response.status);
      return;
    }
    const { code, message, requestId, details } = response.body.error;
    const upstream = (details as { upstream?: unknown } | undefined)?.upstream;
    const pageRequest = !isHtmxRequest(request) || htmxTargetId(request) === 'main';
    const view = errorView({
      status: response.status,
      code,
      message,
      ...(requestId ? { requestId } : {}),
      ...(typeof upstream === 'string' ? { upstream } : {}),
      ...(request.method === 'GET' ? { retryUrl: request.url } : {}),
      pageRequest,
    });
    this.send(view, response.status, request, reply);
  }

  private send(view: View, status: number, request: FastifyRequest, reply: FastifyReply): void {
    const markup =
      view.kind === 'partial'
        ? (this.renderer.setHeaders(reply), view.body.toString())
        : this.renderer.renderPage(view, request, reply);
    // htmx 4 swaps error answers too; a fragment error lands where the content would have.
    void reply.status(status).send(markup);
  }
}
