import { Clock } from '../clock.js';

/** A settable {@link Clock} for tests: time moves only when the test says so. */
export class FixedClock extends Clock {
  constructor(private current = new Date('2026-01-05T09:00:00.000Z')) {
    super();
  }

  override now(): Date {
    return new Date(this.current);
  }

  set(at: Date | string): void {
    this.current = new Date(at);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
