import { Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { isDomainException, MALFORMED_MULTIPART } from '@lateral/http';
import { type FastifyRequest } from 'fastify';
import {
  CurrentUser,
  GatewayConfig,
  GatewayException,
  ImportService,
  Roles,
  readImportUpload,
  csrfTokenFor,
  type SessionUser,
} from '../platform.js';
import { type View } from '../render/view.js';
import { ViewResponse } from '../render/view-response.js';
import { importResultView, importView } from './import.view.js';

const REFUSALS: Record<string, number> = {
  import_invalid: 400,
  import_too_large: 413,
  payload_too_large: 413,
  validation_failed: 400,
};

/** The import page: the form, and the result of running the platform's importer on the upload. */
@Controller('import')
@Roles('editor')
export class ImportPageController {
  constructor(
    private readonly importer: ImportService,
    private readonly config: GatewayConfig,
  ) {}

  private form(request: FastifyRequest, error?: string): View {
    return importView({
      csrfToken: csrfTokenFor(request),
      error,
      maxMegabytes: Math.floor(this.config.limits.importBytes / 2 ** 20),
    });
  }

  @Get()
  page(@Req() request: FastifyRequest): View {
    return this.form(request);
  }

  @Post()
  @HttpCode(200)
  async run(@Req() request: FastifyRequest, @CurrentUser() user: SessionUser): Promise<View> {
    try {
      const file = request.isMultipart() ? await readImportUpload(request) : undefined;
      if (!file || !file.filename)
        throw new GatewayException('import_invalid', 'Choose a file to import.');
      return importResultView(await this.importer.import(file, user));
    } catch (error) {
      const code = isDomainException(error) ? error.code : undefined;
      const fileTooLarge = (error as { code?: unknown }).code === 'FST_REQ_FILE_TOO_LARGE';
      if (fileTooLarge)
        throw new ViewResponse(this.form(request, 'That file is larger than imports allow.'), 413);
      if ((error as { code?: unknown }).code === MALFORMED_MULTIPART)
        throw new ViewResponse(
          this.form(request, 'The upload broke off or was not a valid form; please try again.'),
          400,
        );
      if (code && REFUSALS[code])
        throw new ViewResponse(this.form(request, (error as Error).message), REFUSALS[code]);
      throw error;
    }
  }
}
