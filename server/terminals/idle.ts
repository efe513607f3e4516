import "server-only";

/**
 * Ends a terminal nobody typed in for `idleMs`: each keystroke (touch) starts the wait again. Output
 * does not count (a `top` left running is still idle). Timers are injected so tests need no clock.
 */
export class IdleTimer {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(
    private readonly idleMs: number,
    private readonly onIdle: () => void,
    private readonly timers: { set: typeof setTimeout; clear: typeof clearTimeout } = { set: setTimeout, clear: clearTimeout },
  ) {
    this.touch();
  }

  touch(): void {
    if (this.stopped) return;
    if (this.timer) this.timers.clear(this.timer);
    this.timer = this.timers.set(() => {
      this.stopped = true;
      this.onIdle();
    }, this.idleMs);
    (this.timer as { unref?: () => void }).unref?.();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.timers.clear(this.timer);
    this.timer = null;
  }
}
