import type { ServerResponse } from 'node:http';

/**
 * The HTTP requests not answered yet, so that shutdown closes the subscription sockets only
 * once they are: a socket closed while an answer is still on its way would send its client to
 * another replica for no gain, and the socket's subscriptions still get their events meanwhile.
 * Multipart subscription streams are not counted: they are the transports' to end.
 */
export class RequestsInFlight {
  private readonly open = new Set<ServerResponse>();
  private waiting: (() => void)[] = [];

  /** Counts the request until its response is done with (sent whole, or its connection gone). */
  began(response: ServerResponse): void {
    this.open.add(response);
    response.once('close', () => {
      this.forget(response);
    });
  }

  /** A subscription stream: shutdown ends it, it does not wait for it. */
  exempt(response: ServerResponse): void {
    this.forget(response);
  }

  /** Resolves once no counted request is left. */
  idle(): Promise<void> {
    if (this.open.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private forget(response: ServerResponse): void {
    if (!this.open.delete(response) || this.open.size > 0) return;
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }
}
