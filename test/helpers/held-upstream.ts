import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HeldUpstream {
  /** Give the gateway this as `PARTNER_CENTER_BASE_URL`. */
  readonly url: string;
  /** Requests whose path contains `pathPart` wait from now on until `release`. */
  hold(pathPart: string): void;
  /** Requests held now. */
  held(): number;
  /** Sends every held request on, and stops holding. */
  release(): void;
  close(): Promise<void>;
}

/**
 * Partner Center as slow as a test needs, and no slower: a proxy in front of the simulator
 * that keeps the requests it is told to until the test lets them go. A delay of a fixed length
 * would race a loaded machine; this waits for the test instead.
 */
export async function startHeldUpstream(target: URL): Promise<HeldUpstream> {
  let holding: string | undefined;
  let waiting: (() => void)[] = [];
  const forward = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const upstream = request(
      new URL(incoming.url ?? '/', target),
      { method: incoming.method, headers: { ...incoming.headers, host: target.host } },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.once('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  };
  const server = createServer((incoming, outgoing) => {
    if (holding !== undefined && (incoming.url ?? '').includes(holding)) {
      // Paused: its body stays unread until it is sent on.
      waiting.push(() => forward(incoming, outgoing));
    } else forward(incoming, outgoing);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hold: (pathPart) => {
      holding = pathPart;
    },
    held: () => waiting.length,
    release: () => {
      holding = undefined;
      const released = waiting;
      waiting = [];
      for (const send of released) send();
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
