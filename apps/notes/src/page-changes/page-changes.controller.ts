import { Controller, Get, Res } from '@nestjs/common';
import { Caller } from '@lateral/http';
import { untimed } from '@lateral/observability';
import { type Identity } from '@lateral/identity';
import { type FastifyReply } from 'fastify';
import { NotesException } from '../errors/notes-errors.js';
import { PageChangesFeed, type PageChangesFollower } from './page-changes.feed.js';

/** A follower that stops reading is cut off past this much unsent text (it then starts over). */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * `GET /api/v1/page-changes`: for the gateways' page-view caches. A stream of lines: `ready`
 * once following, then `page <id>` and `all` as PageChangesFeed has them, and `.` every few
 * seconds. It ends when the feed breaks or this replica shuts down; the gateway then drops what
 * it cached and follows again (another replica, or this one once back).
 */
@Controller('api/v1/page-changes')
export class PageChangesController {
  constructor(private readonly feed: PageChangesFeed) {}

  @Get()
  follow(@Caller() caller: Identity, @Res() reply: FastifyReply): void {
    // Admin only, as the media references: what changed is not for every reader to watch.
    if (caller.role !== 'admin') {
      throw new NotesException('forbidden', 'Only the gateway follows page changes.');
    }
    const raw = reply.raw;
    const follower: PageChangesFollower = {
      send: (line) => {
        if (raw.writableLength > MAX_BUFFERED_BYTES) return follower.close();
        raw.write(`${line}\n`);
      },
      close: () => raw.end(),
    };
    const unfollow = this.feed.follow(follower);
    if (!unfollow) {
      throw new NotesException(
        'service_unavailable',
        'Page changes cannot be followed right now; try again shortly.',
      );
    }
    untimed(reply.request);
    void reply.hijack();
    raw.on('close', unfollow);
    raw.writeHead(200, {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
      // Its socket is never handed back for another request: the stream ends when this replica
      // shuts down, long after the drain's `Connection: close` (graceful-shutdown.ts) went out
      // on other answers, and a request sent on it then would meet the listener closing (a
      // reset: 503 for a save, which is not retried).
      connection: 'close',
      'x-request-id': String(reply.getHeader('x-request-id') ?? ''),
    });
    raw.write('ready\n');
  }
}
