import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.map': 'application/json',
};

export interface PortalServer {
  /** `http://host:port`, the origin to put in the gateway's `CORS_ORIGINS`. */
  readonly origin: string;
  close(): Promise<void>;
}

export interface PortalServerOptions {
  /** The built bundle (see build-portal.ts). */
  readonly dir: string;
  readonly port: number;
  readonly host: string;
  /** Read at every request: the gateway may be started after this server (its port unknown). */
  readonly gatewayUrl: () => string | undefined;
}

/**
 * Serves the built portal and its `config.json` (the gateway's URL). Only files under `dir`;
 * anything else is the page itself, so a reload of `#/customers/…` works.
 */
export async function startPortalServer(options: PortalServerOptions): Promise<PortalServer> {
  const root = normalize(options.dir);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://portal').pathname);
    if (path === '/config.json') {
      res.writeHead(200, { 'content-type': TYPES['.json'], 'cache-control': 'no-store' });
      res.end(JSON.stringify({ gatewayUrl: options.gatewayUrl() }));
      return;
    }
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    const inside = file.startsWith(root + sep);
    void (
      inside
        ? stat(file)
            .then((s) => s.isFile())
            .catch(() => false)
        : Promise.resolve(false)
    ).then((found) => {
      const served = found ? file : join(root, 'index.html');
      res.writeHead(200, { 'content-type': TYPES[extname(served)] ?? 'application/octet-stream' });
      createReadStream(served)
        .on('error', () => res.destroy())
        .pipe(res);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
