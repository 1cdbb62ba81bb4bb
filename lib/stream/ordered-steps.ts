// The steps of a stream filter (one per event, then the close) run in arrival order. While
// nothing asynchronous is pending a step runs at once, so a stream without moderation pays
// for no promise; once one is pending, later steps wait for it.

export class OrderedSteps {
  private chain: Promise<void> | undefined;

  /** `onFailure` runs when a step rejects (moderation that failed): the filter blocks. */
  constructor(private readonly onFailure: () => void) {}

  /** What is still pending, or undefined when every step has run. */
  get pending(): Promise<void> | undefined {
    return this.chain;
  }

  run(step: () => void | Promise<void>): void {
    if (this.chain === undefined) {
      const r = step();
      if (r instanceof Promise) this.track(r);
    } else this.track(this.chain.then(step));
  }

  private track(p: Promise<void>): void {
    const tracked: Promise<void> = p.then(
      () => {
        if (this.chain === tracked) this.chain = undefined;
      },
      () => {
        if (this.chain === tracked) this.chain = undefined;
        this.onFailure();
      },
    );
    this.chain = tracked;
  }
}
