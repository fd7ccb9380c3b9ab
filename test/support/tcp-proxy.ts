import { type Server, type Socket, connect, createServer } from 'node:net';

/**
 * A TCP forwarder in front of a dependency (PostgreSQL, Redis), so a test can take the dependency
 * away from the app, as an outage does, and bring it back, without touching the shared server.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** Starts forwarding (on a free port the first time, on the same port afterwards). */
  async start(): Promise<this> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    this.server = server;
    return this;
  }

  /** New connections are refused from now on; open ones keep working until either side closes them. */
  refuseNew(): void {
    this.server?.close();
    this.server = null;
  }

  /** The whole outage: open connections drop, new ones are refused. */
  cut(): void {
    this.refuseNew();
    for (const socket of this.sockets) socket.destroy();
  }

  stop(): void {
    this.cut();
  }
}
