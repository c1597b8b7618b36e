// Concurrency limits for fetching: a global cap, and at most `perHost` requests at a time to one host,
// so two hundred feeds on one publisher never see more than two requests at once.

function hostOf(source: string): string {
  try {
    const u = new URL(source);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.host.toLowerCase() : 'file';
  } catch {
    return 'file';
  }
}

class Gate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}
  async enter(): Promise<void> {
    if (this.active < this.limit) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  leave(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }
  get idle(): boolean {
    return this.active === 0 && this.waiting.length === 0;
  }
}

export class HostLimiter {
  private readonly global: Gate;
  private readonly hosts = new Map<string, Gate>();
  constructor(
    concurrency: number,
    private readonly perHost: number,
  ) {
    this.global = new Gate(concurrency);
  }

  async run<T>(source: string, fn: () => Promise<T>): Promise<T> {
    const host = hostOf(source);
    let gate = this.hosts.get(host);
    if (!gate) {
      gate = new Gate(this.perHost);
      this.hosts.set(host, gate);
    }
    // Take the host slot first so a busy host does not hold global slots while it waits.
    await gate.enter();
    await this.global.enter();
    try {
      return await fn();
    } finally {
      this.global.leave();
      gate.leave();
      if (gate.idle) this.hosts.delete(host);
    }
  }
}
