/** The time source. Services take `now` from here so tests can set it; the workflow engine takes it as an argument. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
