import { Controller, Get, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { AssetRegistry } from './assets.js';
import { Public } from '../platform.js';

/** Hashed, immutable static files (CSS, our script, vendored htmx), precompressed. */
@Controller('assets')
@Public()
export class AssetsController {
  constructor(private readonly assets: AssetRegistry) {}

  @Get(':file')
  serve(@Param('file') file: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const asset = this.assets.find(file);
    if (!asset) throw new NotFoundException();
    void reply.headers({
      'content-type': asset.contentType,
      etag: asset.etag,
      'cache-control': 'public, max-age=31536000, immutable',
      vary: 'Accept-Encoding',
    });
    if (request.headers['if-none-match'] === asset.etag) return reply.status(304).send();
    const accepts = String(request.headers['accept-encoding'] ?? '');
    if (/\bbr\b/.test(accepts)) return reply.header('content-encoding', 'br').send(asset.brotli);
    if (/\bgzip\b/.test(accepts)) return reply.header('content-encoding', 'gzip').send(asset.gzip);
    return reply.send(asset.body);
  }
}
