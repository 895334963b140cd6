import { Injectable } from '@nestjs/common';

/** The time, behind a class so tests can pin it (imports back-date, cursors compare it). */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
