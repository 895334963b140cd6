import { Injectable } from '@nestjs/common';

/** The time source for "edited 3 minutes ago", replaceable in tests. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
