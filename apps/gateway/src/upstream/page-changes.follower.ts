import { setTimeout as sleep } from 'node:timers/promises';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { LOGGER, type Logger } from '@lateral/observability';
import { GatewayMetrics } from '../gateway.metrics.js';
import { NotesClient } from './notes.client.js';
import { PageViewCache } from './page-view-cache.js';

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 10_000;

/**
 * Follows notes' page changes (`GET /api/v1/page-changes`: `ready`, then `page <id>`, `all`, and
 * a `.` every 5 s) into the PageViewCache: caching starts at `ready` and stops, dropping
 * everything, whenever the stream ends, breaks or goes silent (NotesClient's body timeout), since
 * notices may be lost until it is followed again. Notes down or older than the feed: the gateway
 * simply caches no page views and asks again with backoff.
 */
@Injectable()
export class PageChangesFollower implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly stopping = new AbortController();

  constructor(
    private readonly notes: NotesClient,
    private readonly views: PageViewCache,
    private readonly metrics: GatewayMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    void this.run();
  }

  /** Before the upstream pools close: they would wait for this stream to end. */
  onModuleDestroy(): void {
    this.stopping.abort();
  }

  private async run(): Promise<void> {
    const signal = this.stopping.signal;
    let failures = 0;
    let wasFollowing = true; // so the first failure is logged
    while (!signal.aborted) {
      let following = false;
      try {
        const res = await this.notes.followPageChanges(signal);
        if (res.statusCode !== 200) {
          await res.body.dump();
          throw new Error(`notes answered ${res.statusCode}`);
        }
        res.body.setEncoding('utf8');
        let partial = '';
        for await (const chunk of res.body as AsyncIterable<string>) {
          const lines = (partial + chunk).split('\n');
          partial = lines.pop() ?? '';
          for (const line of lines) {
            if (line === 'ready') {
              following = true;
              failures = 0;
              this.views.start();
              this.metrics.pageChangesFollowing.set(1);
              if (!wasFollowing) this.logger.info('page changes: following; page views cached');
              wasFollowing = true;
            } else if (line === 'all') this.views.allChanged();
            else if (line.startsWith('page ')) this.views.pageChanged(line.slice(5));
            // `.`: a heartbeat; it only keeps the body timeout from firing.
          }
        }
        throw new Error('notes ended the stream');
      } catch (error) {
        if (signal.aborted) break;
        if (wasFollowing || following) {
          this.logger.warn({ err: error }, 'page changes: not following; page views not cached');
        }
        wasFollowing = false;
      } finally {
        this.views.stop();
        this.metrics.pageChangesFollowing.set(0);
      }
      const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** failures++);
      await sleep(delay, undefined, { signal }).catch(() => undefined);
    }
  }
}
