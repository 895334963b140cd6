import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { pgPool } from '@lateral/database';
import { withTimeout } from '@lateral/health';
import { LOGGER, type Logger } from '@lateral/observability';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { NotesMetrics } from '../notes.metrics.js';

/** The channel the triggers of migration 1765900000000 notify on. */
export const PAGE_CHANGES_CHANNEL = 'lateral_page_changes';
/** A line every few seconds, so a follower can tell a quiet feed from a dead connection. */
export const HEARTBEAT_MS = 5_000;
/** The LISTEN connection's name in pg_stat_activity, so an operator (and a test) can tell it apart. */
export const LISTEN_APPLICATION_NAME = 'lateral-notes-page-changes';
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 10_000;

/** One follower's stream: a line per notice; `close` ends it (the follower then starts over). */
export interface PageChangesFollower {
  send(line: string): void;
  close(): void;
}

/**
 * What the page-change triggers say (`page <id>`, `all`), passed on to the gateways that follow
 * it (PageChangesController). One PostgreSQL connection of its own, LISTENing; when it breaks
 * (PostgreSQL restarted, the network), every follower's stream is ended, since notices may be
 * lost until it is back: a gateway drops what it cached and follows again. Not part of
 * readiness: without it gateways only cache nothing.
 */
@Injectable()
export class PageChangesFeed implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly followers = new Set<PageChangesFollower>();
  private client: pg.Client | undefined;
  private listening = false;
  private stopped = false;
  private failures = 0;
  private reconnect: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: NotesMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS).unref();
    void this.listen();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnect);
    clearInterval(this.heartbeat);
    this.endAll();
    await this.client?.end().catch(() => undefined);
  }

  /** Adds a follower while notices flow; false when they do not (the caller answers 503). */
  follow(follower: PageChangesFollower): (() => void) | undefined {
    if (!this.listening) return undefined;
    this.followers.add(follower);
    this.metrics.pageChangeFollowers.set(this.followers.size);
    return () => {
      this.followers.delete(follower);
      this.metrics.pageChangeFollowers.set(this.followers.size);
    };
  }

  private async listen(): Promise<void> {
    const options = pgPool(this.dataSource)?.options as pg.ClientConfig | undefined;
    if (!options || this.stopped) return;
    const client = new pg.Client({
      ...options,
      keepAlive: true,
      application_name: LISTEN_APPLICATION_NAME,
    });
    this.client = client;
    const broken = (error?: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      this.listening = false;
      this.endAll();
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** this.failures++);
      this.logger.warn({ err: error, retryInMs: delay }, 'page changes: not following PostgreSQL');
      this.reconnect = setTimeout(() => void this.listen(), delay);
    };
    // A connection that breaks emits 'error' (and 'end'); without listeners it would end the process.
    client.on('error', broken);
    client.on('end', () => broken());
    client.on('notification', (message) => {
      if (message.channel === PAGE_CHANGES_CHANNEL && message.payload) {
        this.broadcast(message.payload);
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${PAGE_CHANGES_CHANNEL}`);
    } catch (error) {
      broken(error as Error);
      return;
    }
    if (this.client !== client) return;
    this.listening = true;
    this.failures = 0;
    this.logger.info('page changes: following PostgreSQL');
  }

  /**
   * The followers' heartbeat, and a check of our own connection: a LISTEN connection that died
   * silently (a network partition, no RST) would otherwise lose notices unnoticed, so one that
   * does not answer `SELECT 1` within a heartbeat is treated as broken.
   */
  private beat(): void {
    this.broadcast('.');
    const client = this.client;
    if (!client || !this.listening) return;
    withTimeout(client.query('SELECT 1'), HEARTBEAT_MS).catch((error: unknown) => {
      if (this.client === client) client.emit('error', error);
    });
  }

  private broadcast(line: string): void {
    for (const follower of this.followers) follower.send(line);
  }

  private endAll(): void {
    for (const follower of [...this.followers]) follower.close();
    this.followers.clear();
    this.metrics.pageChangeFollowers.set(0);
  }
}
