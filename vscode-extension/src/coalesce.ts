/** Run an async job at most once at a time, merging bursts of requests: requests within
 * `delayMs` of each other make one run, and requests made while a run is in progress make
 * exactly one more run after it. Used for server restarts and preview refreshes. */

export class Coalescer {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private idleWaiters: Array<() => void> = [];
  private disposed = false;

  constructor(
    private readonly job: () => Promise<void>,
    private readonly delayMs: number,
  ) {}

  /** Ask for a run; resolves when a run that started after this call has finished. */
  request(): Promise<void> {
    if (this.disposed) {
      return Promise.resolve();
    }
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.running) {
      this.again = true;
    } else {
      this.schedule();
    }
    return done;
  }

  /** Resolves once no run is waiting or in progress (at once when idle). */
  whenIdle(): Promise<void> {
    if (!this.busy || this.disposed) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** True while a run is waiting or in progress. */
  get busy(): boolean {
    return this.timer !== undefined || this.running !== undefined;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    for (const w of this.waiters.splice(0)) {
      w.resolve();
    }
    for (const resolve of this.idleWaiters.splice(0)) {
      resolve();
    }
  }

  private schedule(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, this.delayMs);
  }

  private async run(): Promise<void> {
    const waiters = this.waiters.splice(0);
    let failure: unknown;
    let failed = false;
    this.running = (async () => {
      try {
        await this.job();
      } catch (e) {
        failed = true;
        failure = e;
      }
    })();
    await this.running;
    this.running = undefined;
    for (const w of waiters) {
      if (failed) {
        w.reject(failure);
      } else {
        w.resolve();
      }
    }
    if (this.again && !this.disposed) {
      this.again = false;
      this.schedule();
    } else if (!this.busy) {
      for (const resolve of this.idleWaiters.splice(0)) {
        resolve();
      }
    }
  }
}
