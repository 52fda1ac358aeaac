/**
 * A background pass that runs every `everyMs` and whenever it is kicked, never twice at once: a kick
 * during a pass runs one more right after it (kicks in between coalesce). `stop()` ends the timer and
 * waits for the pass in progress. The workers of the apps (deliveries, imports) run on it.
 */
export class KickedLoop {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly everyMs: number,
    private readonly onError: (err: Error) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.everyMs);
    this.kick();
  }

  /** Runs a pass now, or right after the one in progress. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass()
      .catch((err: Error) => this.onError(err))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }
}
