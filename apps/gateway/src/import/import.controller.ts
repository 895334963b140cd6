import { Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { Roles } from '../auth/auth.decorators.js';
import { CurrentUser, type SessionUser } from '../auth/current-user.js';
import { GatewayException } from '../errors/gateway-errors.js';
import { ApiRateLimitGuard } from '../rate-limit/api-rate-limit.guard.js';
import { readImportUpload } from './import-upload.js';
import { ImportService } from './import.service.js';

@Controller('api/v1/import')
@UseGuards(ApiRateLimitGuard)
export class ImportController {
  constructor(private readonly importer: ImportService) {}

  /** Multipart `file`: a `.md` file or a Notion export `.zip` → 201 `{notes, media, errors}`. */
  @Post()
  @Roles('editor')
  @HttpCode(201)
  async import(@Req() request: FastifyRequest, @CurrentUser() user: SessionUser) {
    const file = await readImportUpload(request);
    if (!file) throw new GatewayException('import_invalid', 'Attach the file as the `file` field.');
    return this.importer.import(file, user);
  }
}
