import { fromUpstream } from '../graphql/errors.js';
import { unknownCustomer, type CustomerModel } from '../graphql/resolvers/models.js';
import type { WatchHub, WatchListener, WatchRead, WatchReader } from '../watch/watch-hub.js';
import { fingerprintOf, type WatchedState } from '../watch/watched-state.js';

export interface CustomerEventsOptions {
  readonly hub: WatchHub;
  readonly scope: string;
  readonly reader: WatchReader;
  /** Normalised, distinct customer ids. */
  readonly ids: readonly string[];
  /** Partner Center refused the subscriber's credentials: its connection is to be closed. */
  readonly onRefused: () => void;
  /** Told of every event handed to the subscriber. */
  readonly onEvent?: (() => void) | undefined;
  /** Told once, when the subscription ends. */
  readonly onEnd?: (() => void) | undefined;
}

type Pending = { readonly read: WatchRead } | { readonly error: unknown };

/**
 * One subscription's events: each customer's current state first, then each change. A change
 * that comes while the subscriber has not taken the last one replaces it (the subscriber wants
 * the customer as it is, not every step), so a slow subscriber holds at most one pending event
 * per customer. An iterator rather than an async generator: a generator waiting for the next
 * change could not be ended (`return()`) until that change came.
 */
export function customerEvents(
  options: CustomerEventsOptions,
): AsyncIterableIterator<CustomerModel> {
  return new CustomerEvents(options);
}

/**
 * A class, not closures over a function's locals: an idle subscription is mostly what it holds
 * while it waits, and methods on the prototype cost it nothing each.
 */
class CustomerEvents implements AsyncIterableIterator<CustomerModel>, WatchListener {
  readonly #options: CustomerEventsOptions;
  readonly #pending = new Map<string, Pending>();
  readonly #emitted = new Map<string, { fingerprint: string; readAt: number }>();
  readonly #leaves: (() => void)[];
  #waiting: ((result: IteratorResult<CustomerModel>) => void) | undefined;
  #ended = false;

  constructor(options: CustomerEventsOptions) {
    this.#options = options;
    const { hub, scope, reader, ids } = options;
    this.#leaves = ids.map((id) => hub.join(scope, id, reader, this));
    for (const id of ids) {
      hub.look(scope, id, reader).then(
        (read) => {
          this.#push(id, { read });
        },
        (error: unknown) => {
          this.#push(id, { error });
        },
      );
    }
  }

  changed(id: string, state: WatchedState): void {
    this.#push(id, { read: { state, stale: false } });
  }

  refused(): void {
    this.#options.onRefused();
    this.#finish();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<CustomerModel>> {
    if (this.#ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => {
      this.#waiting = resolve;
      this.#pump();
    });
  }

  return(): Promise<IteratorResult<CustomerModel>> {
    return Promise.resolve(this.#finish());
  }

  throw(error: unknown): Promise<IteratorResult<CustomerModel>> {
    this.#finish();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  #push(id: string, event: Pending): void {
    if (this.#ended) return;
    this.#pending.delete(id);
    this.#pending.set(id, event);
    this.#pump();
  }

  /** The next event worth sending: a first answer, or one that differs from the last sent. */
  #take(): CustomerModel | undefined {
    for (const [id, event] of this.#pending) {
      this.#pending.delete(id);
      if ('error' in event) {
        if (this.#emitted.has(id)) continue;
        return { id, failed: { qualifications: fromUpstream(event.error, { customerId: id }) } };
      }
      const { state } = event.read;
      const fingerprint = fingerprintOf(state);
      const last = this.#emitted.get(id);
      if (last !== undefined && (last.fingerprint === fingerprint || state.readAt < last.readAt)) {
        continue;
      }
      this.#emitted.set(id, { fingerprint, readAt: state.readAt });
      return modelOf(id, event.read);
    }
    return undefined;
  }

  #pump(): void {
    const waiting = this.#waiting;
    if (waiting === undefined) return;
    const model = this.#take();
    if (model === undefined) return;
    this.#waiting = undefined;
    this.#options.onEvent?.();
    waiting({ done: false, value: model });
  }

  #finish(): IteratorResult<CustomerModel> {
    const done: IteratorResult<CustomerModel> = { done: true, value: undefined };
    if (!this.#ended) {
      this.#ended = true;
      this.#options.onEnd?.();
      this.#pending.clear();
      for (const leave of this.#leaves) leave();
      this.#waiting?.(done);
      this.#waiting = undefined;
    }
    return done;
  }
}

/** The customer as one answer shows it; its read time and staleness travel with it. */
function modelOf(id: string, read: WatchRead): CustomerModel {
  const qualificationsRead = { readAt: new Date(read.state.readAt), stale: read.stale };
  if (!read.state.known) return { ...unknownCustomer(id), qualificationsRead };
  return { id, qualifications: [...read.state.qualifications], qualificationsRead };
}
