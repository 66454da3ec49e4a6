import type { Dispatcher } from 'undici';
import type { Abortable, AttemptAbort } from './attempt-abort.js';
import { headerValue } from './http-response.js';
import { UpstreamError } from './upstream-error.js';

/**
 * Sends one attempt and collects Partner Center's whole answer from undici's dispatch handler
 * calls. Through `request()` each attempt would also get a body stream and an `AbortSignal` of
 * its own; here the attempt's abort (timeout, operation gone) reaches the dispatch through the
 * controller undici hands over.
 */
export class ReplyReader implements Dispatcher.DispatchHandler, Abortable {
  /** The answer's status, once its headers are in (0 before). */
  status = 0;
  /** The one header the client reads (`Retry-After` of a 429 or 503). */
  retryAfter: string | undefined;
  private controller: Dispatcher.DispatchController | undefined;
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private settled = false;
  private resolve: ((text: string) => void) | undefined;
  private reject: ((error: Error) => void) | undefined;

  constructor(
    private readonly attempt: AttemptAbort,
    /** Largest body read; Partner Center's are a few hundred bytes, a huge one is an attack or a bug. */
    private readonly maxBytes: number,
  ) {}

  /**
   * The answer's body as text. Rejects with undici's error, the attempt's abort reason, or
   * `bad-response` for a body larger than `maxBytes`.
   */
  read(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions): Promise<string> {
    return new Promise((resolve, reject) => {
      const reason = this.attempt.reason;
      if (reason !== undefined) {
        reject(reason);
        return;
      }
      this.resolve = resolve;
      this.reject = reject;
      this.attempt.reach(this);
      dispatcher.dispatch(options, this);
    });
  }

  // Rejected at once even while undici still queues the request for a connection: it is
  // dropped unsent when its turn comes (onRequestStart), so the timeout bounds that wait too.
  abort(reason: Error): void {
    if (this.settled) return;
    this.fail(reason);
    this.controller?.abort(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    // Called again with a new controller if undici retries the request on another connection.
    this.controller = controller;
    const reason = this.attempt.reason;
    if (reason !== undefined) controller.abort(reason);
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    // 1xx: informational, the answer follows (`request()` skips them too).
    if (statusCode < 200) return;
    this.status = statusCode;
    this.retryAfter = headerValue(headers['retry-after']);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      const tooLarge = new UpstreamError(
        'bad-response',
        `response body larger than ${this.maxBytes} bytes`,
      );
      this.fail(tooLarge);
      controller.abort(tooLarge);
      return;
    }
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    this.settled = true;
    this.resolve?.(Buffer.concat(this.chunks, this.size).toString('utf8'));
  }

  // The controller is absent when undici fails the request before it starts (a MockAgent error).
  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    this.fail(error);
  }

  /** Settles once; whatever undici reports after that is the echo of an abort. */
  private fail(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.reject?.(error);
  }
}
