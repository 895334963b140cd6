import { connect, createServer, type Server, type Socket } from 'node:net';

interface Backend {
  port: number;
  /** In the Service's endpoints: added and not yet removed (pod not terminating). */
  listed: boolean;
  /** Its readiness probe passed, and has not failed `FAILURE_THRESHOLD` times in a row since. */
  ready: boolean;
  failures: number;
}

/**
 * Like a readiness probe's failureThreshold: one slow probe on a busy machine does not take a
 * replica out (2 × 200 ms is still well inside the services' drain delay).
 */
const FAILURE_THRESHOLD = 2;

/**
 * A round-robin TCP load balancer on 127.0.0.1 that behaves like a Kubernetes Service: a new
 * connection goes to the next endpoint that is listed and whose readiness probe passed; open
 * connections stay where they are (kube-proxy balances connections, not requests).
 */
export class LoadBalancer {
  private readonly backends: Backend[] = [];
  private readonly sockets = new Set<Socket>();
  private next = 0;
  private probeTimer: NodeJS.Timeout | undefined;
  private probing = false;
  /** Connections refused because no endpoint was ready (the client sees a reset). */
  refused = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly routeUnready: boolean,
  ) {}

  /**
   * `routeUnready`: keep sending to endpoints whose readiness fails (to see what the services
   * themselves answer during an outage, rather than the balancer's refusal).
   */
  static async start(probeIntervalMs = 200, routeUnready = false): Promise<LoadBalancer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (typeof address !== 'object' || !address) throw new Error('no address');
    const self = new LoadBalancer(server, address.port, routeUnready);
    server.on('connection', (client) => self.route(client));
    self.probeTimer = setInterval(() => void self.probe(), probeIntervalMs);
    return self;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A new endpoint; it takes traffic once its readiness probe passes. */
  add(port: number): void {
    this.backends.push({ port, listed: true, ready: false, failures: 0 });
  }

  /** The endpoint is gone from the Service (pod deleted): no new connections go there. */
  remove(port: number): void {
    for (const b of this.backends) if (b.port === port) b.listed = false;
  }

  isReady(port: number): boolean {
    return this.backends.some((b) => b.port === port && b.listed && b.ready);
  }

  async close(): Promise<void> {
    clearInterval(this.probeTimer);
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async probe(): Promise<void> {
    // A round still running (slow probes on a busy machine) is not overlapped by the next.
    if (this.probing) return;
    this.probing = true;
    await Promise.all(
      this.backends
        .filter((b) => b.listed)
        .map(async (b) => {
          let ok = false;
          try {
            const res = await fetch(`http://127.0.0.1:${b.port}/readyz`, {
              signal: AbortSignal.timeout(1000),
            });
            await res.body?.cancel();
            ok = res.ok;
          } catch {
            // refused or timed out: a failed probe
          }
          b.failures = ok ? 0 : b.failures + 1;
          if (ok) b.ready = true;
          else if (b.failures >= FAILURE_THRESHOLD) b.ready = false;
        }),
    );
    this.probing = false;
  }

  private pick(): Backend | undefined {
    const candidates = this.backends.filter((b) => b.listed && (b.ready || this.routeUnready));
    if (candidates.length === 0) return undefined;
    this.next = (this.next + 1) % candidates.length;
    return candidates[this.next];
  }

  private route(client: Socket): void {
    const backend = this.pick();
    if (!backend) {
      this.refused += 1;
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(backend.port, '127.0.0.1');
    this.sockets.add(client);
    this.sockets.add(upstream);
    const forget = (s: Socket) => () => this.sockets.delete(s);
    client.once('close', forget(client));
    upstream.once('close', forget(upstream));
    // A reset on one side is passed on as a reset, so the client sees what really happened.
    upstream.on('error', () => client.resetAndDestroy());
    client.on('error', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
