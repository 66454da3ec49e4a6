import type { Server as HttpServer } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

/**
 * How long a keep-alive connection that is idle when shutdown begins may still bring one last
 * request (answered, with `Connection: close`) before it is closed as idle. A busy client, such
 * as a router, sends on each of its connections well within it; one that has not sent for this
 * long meets the race every keep-alive close has (see `drainConnections`).
 */
export const IDLE_LINGER_MS = 1_000;

/**
 * After the shutdown grace, how long the operations cut short have to send their
 * `SHUTTING_DOWN` answers, and the process to close its pools, before the exit is forced: the
 * process is gone at most `SHUTDOWN_GRACE_MS` plus this after the signal (the orchestrator's
 * own grace must be longer). Answering takes milliseconds; the rest is room for a busy machine.
 */
export const CUT_ANSWER_MS = 3_000;

/** Each tracked server's open connections (`trackConnections`). */
const connectionsOf = new WeakMap<HttpServer, Set<Socket>>();

/**
 * Keeps the server's open connections, so that shutdown can close those that have not sent a
 * byte. Node's `closeIdleConnections` takes such a connection for busy (it is waiting for its
 * first request), so a browser's preconnect or a client pool's spare socket would hold
 * shutdown until Node's headers timeout checks it, a minute or more, past a usual grace.
 */
export function trackConnections(server: HttpServer): void {
  const sockets = new Set<Socket>();
  connectionsOf.set(server, sockets);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
}

/**
 * Closes the connections on which no byte has arrived yet: nothing is lost, as a connection
 * idle between requests loses nothing when `closeIdleConnections` closes it.
 */
export function closeUnusedConnections(server: HttpServer): void {
  for (const socket of connectionsOf.get(server) ?? []) {
    if (socket.bytesRead === 0) socket.destroy();
  }
}

/**
 * Stops accepting connections and resolves once every connection has ended, closing none that
 * is busy: the caller makes each answer from now on carry `Connection: close`, so a connection
 * ends after its next answer. Only connections still idle after `idleLingerMs` are closed.
 *
 * `http.Server#close` is not used: it also closes every connection idle at that instant, and in
 * a keep-alive closed loop many connections are "idle" only because their client's next request
 * is on its way or not read yet; those requests would meet a reset. HTTP/1.1 has no way to tell
 * a client "stop using this connection" but an answer, so a client that writes on a connection
 * just as the linger closes it still can: the race of any keep-alive timeout, rare after
 * `IDLE_LINGER_MS` of silence on that connection.
 */
export function drainConnections(server: HttpServer, idleLingerMs: number): Promise<void> {
  const ended = new Promise<void>((resolve) => {
    // At once, before any answer asks a client to close: its next connection is then refused
    // (nothing sent, safe to try elsewhere) rather than left in the listener's backlog, which
    // closing resets after the client may have written on it. What sits there already now is
    // lost that way; a load balancer that stopped sending before the signal (`preStop`) leaves
    // nothing there.
    // A server that never listened reports ERR_SERVER_NOT_RUNNING: nothing to wait for either.
    NetServer.prototype.close.call(server, () => {
      resolve();
    });
  });
  const linger = setTimeout(closeIdleConnections, idleLingerMs, server);
  return ended.finally(() => {
    clearTimeout(linger);
  });
}

/**
 * Closes the connections that are idle: no byte of a next request read, or none of a first
 * one (`closeUnusedConnections`). Called from a timer, it
 * waits for the event loop's poll for I/O that comes next, so that a request the kernel holds by
 * then is read and begun, and its connection is not idle; at once, a process that has been busy
 * for a while would take connections for idle whose requests arrived in the meantime.
 */
function closeIdleConnections(server: HttpServer): void {
  setImmediate(() => {
    server.closeIdleConnections();
    closeUnusedConnections(server);
  });
}
