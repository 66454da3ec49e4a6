import { fromUpstream } from '../graphql/errors.js';
import { unknownCustomer, type CustomerModel } from '../graphql/resolvers/models.js';
import type { WatchHub, WatchListener, WatchRead, WatchReader } from '../watch/watch-hub.js';
import { fingerprintOf } from '../watch/watched-state.js';

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
  const { hub, scope, reader, ids } = options;
  const pending = new Map<string, Pending>();
  const emitted = new Map<string, { fingerprint: string; readAt: number }>();
  let waiting: ((result: IteratorResult<CustomerModel>) => void) | undefined;
  let ended = false;

  const push = (id: string, event: Pending) => {
    if (ended) return;
    pending.delete(id);
    pending.set(id, event);
    pump();
  };

  /** The next event worth sending: a first answer, or one that differs from the last sent. */
  function take(): CustomerModel | undefined {
    for (const [id, event] of pending) {
      pending.delete(id);
      if ('error' in event) {
        if (emitted.has(id)) continue;
        return { id, failed: { qualifications: fromUpstream(event.error, { customerId: id }) } };
      }
      const { state } = event.read;
      const fingerprint = fingerprintOf(state);
      const last = emitted.get(id);
      if (last !== undefined && (last.fingerprint === fingerprint || state.readAt < last.readAt)) {
        continue;
      }
      emitted.set(id, { fingerprint, readAt: state.readAt });
      return modelOf(id, event.read);
    }
    return undefined;
  }

  function pump(): void {
    if (waiting === undefined) return;
    const model = take();
    if (model === undefined) return;
    const resolve = waiting;
    waiting = undefined;
    options.onEvent?.();
    resolve({ done: false, value: model });
  }

  const listener: WatchListener = {
    changed: (id, state) => {
      push(id, { read: { state, stale: false } });
    },
    refused: () => {
      options.onRefused();
      finish();
    },
  };
  const leaves = ids.map((id) => hub.join(scope, id, reader, listener));
  for (const id of ids) {
    hub.look(scope, id, reader).then(
      (read) => {
        push(id, { read });
      },
      (error: unknown) => {
        push(id, { error });
      },
    );
  }

  function finish(): IteratorResult<CustomerModel> {
    const done: IteratorResult<CustomerModel> = { done: true, value: undefined };
    if (!ended) {
      ended = true;
      options.onEnd?.();
      pending.clear();
      for (const leave of leaves) leave();
      waiting?.(done);
      waiting = undefined;
    }
    return done;
  }

  const iterator: AsyncIterableIterator<CustomerModel> = {
    [Symbol.asyncIterator]: () => iterator,
    next() {
      if (ended) return Promise.resolve({ done: true, value: undefined });
      return new Promise((resolve) => {
        waiting = resolve;
        pump();
      });
    },
    return() {
      return Promise.resolve(finish());
    },
    throw(error: unknown) {
      finish();
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    },
  };
  return iterator;
}

/** The customer as one answer shows it; its read time and staleness travel with it. */
function modelOf(id: string, read: WatchRead): CustomerModel {
  const qualificationsRead = { readAt: new Date(read.state.readAt), stale: read.stale };
  if (!read.state.known) return { ...unknownCustomer(id), qualificationsRead };
  return { id, qualifications: [...read.state.qualifications], qualificationsRead };
}
