import { Controller, Get, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { AssetRegistry, type Asset } from './assets.js';
import { Public } from '../platform.js';

/** Hashed, immutable static files (CSS, our script, vendored htmx, icons), precompressed. */
@Controller()
@Public()
export class AssetsController {
  constructor(private readonly assets: AssetRegistry) {}

  @Get('assets/:file')
  serve(@Param('file') file: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const asset = this.assets.find(file);
    if (!asset) throw new NotFoundException();
    return send(asset, 'public, max-age=31536000, immutable', request, reply);
  }

  /**
   * Browsers and feed readers ask for `/favicon.ico` whatever the page links. Its URL carries no
   * hash, so it is cached for 30 days rather than forever (the ETag revalidates after that).
   */
  @Get('favicon.ico')
  favicon(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return send(this.assets.named('favicon.ico'), 'public, max-age=2592000', request, reply);
  }
}

function send(asset: Asset, cacheControl: string, request: FastifyRequest, reply: FastifyReply) {
  void reply.headers({
    'content-type': asset.contentType,
    etag: asset.etag,
    'cache-control': cacheControl,
    vary: 'Accept-Encoding',
  });
  if (request.headers['if-none-match'] === asset.etag) return reply.status(304).send();
  const accepts = String(request.headers['accept-encoding'] ?? '');
  if (/\bbr\b/.test(accepts)) return reply.header('content-encoding', 'br').send(asset.brotli);
  if (/\bgzip\b/.test(accepts)) return reply.header('content-encoding', 'gzip').send(asset.gzip);
  return reply.send(asset.body);
}
