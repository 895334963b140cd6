import { Injectable } from '@nestjs/common';

/**
 * The time, behind an injectable class so tests can pin it (imports back-date, cursors and
 * sessions compare it, "edited 3 minutes ago" renders it). Durations for metrics are measured
 * with `performance.now()` instead: they need a monotonic clock, not the date.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
