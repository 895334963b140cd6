import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { SessionsService } from './sessions.service.js';

const EVERY_MS = 60 * 60_000;

/** Deletes expired sessions hourly so the table holds only live ones. */
@Injectable()
export class SessionsJanitor implements OnModuleInit, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly sessions: SessionsService) {}

  onModuleInit(): void {
    this.timer = setInterval(() => {
      // Best effort: a failed sweep is retried next hour.
      this.sessions.purgeExpired().catch(() => undefined);
    }, EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }
}
