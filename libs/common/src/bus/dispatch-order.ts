/**
 * The order in which a consumer took its batches from the stream, for the one part of a handler that
 * must follow it while batches otherwise run concurrently (generation's numbering: an earlier
 * occurrence gets the lower number). The consumer draws a turn synchronously when it takes a batch —
 * before the batch's transaction begins, since which of two transactions gets its connection first is
 * a race — and passes it when the handler is done.
 */
export class DispatchOrder {
  private last: Promise<void> = Promise.resolve();

  /** The turn of the batch taken now: after every batch taken before it. */
  next(): DispatchTurn {
    const previous = this.last;
    let release!: () => void;
    this.last = new Promise<void>((resolve) => (release = resolve));
    return new DispatchTurn(previous, release);
  }
}

export class DispatchTurn {
  /** A turn with nobody before it (a message handled on its own: a retry, a replay, a test). */
  static readonly free = new DispatchTurn(Promise.resolve(), () => undefined);

  constructor(
    private readonly previous: Promise<void>,
    private readonly release: () => void,
  ) {}

  /**
   * Resolves once every batch taken before this one has passed its ordered part, or after `timeoutMs`:
   * a batch before may be waiting on a row this one holds (the same occurrence redelivered while both
   * are in flight); the database then resolves it and the order is the commit order.
   */
  async wait(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.previous,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
  }

  /** This batch is past its ordered part (or done, or failed): the next one may go on. Idempotent. */
  pass(): void {
    this.release();
  }
}
