import { Controller, Post, Req } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { sendImageUpload } from './image-upload.js';
import { imageMarkdown } from './image-markdown.js';
import { GatewayException, Roles, GatewayConfig, MediaClient } from '../platform.js';

/**
 * The editor's paste/drop upload: streams the file to media and answers the markdown to insert.
 * The CSRF token comes as the `x-csrf-token` header (the multipart body is read after guards).
 */
@Controller('media')
@Roles('editor')
export class MediaUploadController {
  constructor(
    private readonly media: MediaClient,
    private readonly config: GatewayConfig,
  ) {}

  @Post('upload')
  async upload(@Req() request: FastifyRequest) {
    if (!request.isMultipart())
      throw new GatewayException(
        'unsupported_media_type',
        'Send the image as multipart/form-data.',
      );
    const uploaded = await sendImageUpload(
      request,
      this.config.limits.mediaUploadBytes,
      async (file) => ({
        filename: file.filename,
        item: await this.media.uploadMedia(
          file.stream,
          file.filename || 'image',
          file.mimetype || 'application/octet-stream',
        ),
      }),
    );
    if (!uploaded) throw new GatewayException('validation_failed', 'Choose an image to upload.');
    const { item, filename } = uploaded;
    return {
      id: item.id,
      width: item.width,
      height: item.height,
      markdown: imageMarkdown(item.id, filename, item.width, item.height),
    };
  }
}
