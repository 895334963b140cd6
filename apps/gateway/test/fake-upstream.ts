import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

type Handler = (req: RecordedRequest, res: ServerResponse) => void;

/** A tiny HTTP server standing in for notes or media: records requests, answers via `handler`. */
export class FakeUpstream {
  readonly requests: RecordedRequest[] = [];
  handler: Handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  };
  private server: Server | undefined;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        // The gateway follows notes' page changes from its start; as a notes without that feed,
        // this answers 404 and keeps it out of what a test sees (page-view-cache.e2e.test.ts
        // follows the feed with FakeWiki).
        if (req.url === '/api/v1/page-changes') {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end('{"error":{"code":"route_not_found","message":"No page-change feed here."}}');
          return;
        }
        const recorded = {
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          headers: req.headers,
          body: Buffer.concat(chunks),
        };
        this.requests.push(recorded);
        this.handler(recorded, res);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  }
}
