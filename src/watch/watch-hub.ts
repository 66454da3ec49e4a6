import { randomUUID } from 'node:crypto';
import type { Logger } from '../observability/logger.js';
import { UpstreamError } from '../partner-center/upstream-error.js';
import type { WatchFleet } from './watch-fleet.js';
import {
  fingerprintOf,
  pollIntervalMs,
  type WatchCadence,
  type WatchedState,
} from './watched-state.js';

/** Reads one customer for a scope: `watch` for polls (background), `interactive` for a first look. */
export interface WatchReader {
  /**
   * The caller's own token (user mode): Partner Center refusing it (401) ends the watch for its
   * listeners, who come back with a new one. False: the gateway's app token, which renews itself.
   */
  readonly callerCredentials: boolean;
  read(id: string, purpose: 'watch' | 'interactive'): Promise<WatchRead>;
}

export interface WatchRead {
  readonly state: WatchedState;
  /** Served past its freshness because Partner Center failed: not news about the customer. */
  readonly stale: boolean;
}

/** One subscription, told about every customer it watches. */
export interface WatchListener {
  /** A new answer for the customer, different from the last one the hub knew. */
  changed(id: string, state: WatchedState): void;
  /** Partner Center refused the scope's credentials: this watch cannot go on. */
  refused(): void;
}

export type PollResult = 'changed' | 'unchanged' | 'failed' | 'deferred' | 'refused';

export interface WatchObserver {
  polled(result: PollResult): void;
}

export interface WatchHubOptions {
  readonly cadence: WatchCadence;
  readonly fleet: WatchFleet;
  readonly logger: Logger;
  readonly observer?: WatchObserver | undefined;
  /** How long a write's read is claimed for, so one replica per scope does it. */
  readonly pokeClaimMs?: number;
}

export interface WatchHub {
  /** Starts watching `id` for `listener` with `reader`'s credentials; returns how to stop. */
  join(scope: string, id: string, reader: WatchReader, listener: WatchListener): () => void;
  /**
   * A subscriber's first look: the customer as the cache (or Partner Center) has it now, at
   * least as new as what the watch knows, which learns from it in turn.
   */
  look(scope: string, id: string, reader: WatchReader): Promise<WatchRead>;
  /** The customer was written to: every watch of it, in every scope and replica, reads it now. */
  written(id: string): void;
  /** Distinct (scope, customer) pairs watched here. */
  watched(): number;
  close(): void;
}

interface Entry {
  readonly scope: string;
  readonly id: string;
  readonly listeners: Map<WatchListener, WatchReader>;
  state: WatchedState | undefined;
  fingerprint: string | undefined;
  timer: NodeJS.Timeout | undefined;
  polling: boolean;
  /** A write's read that came while a poll was on its way: done after it (its answer may predate the write). */
  pokedWhilePolling: string | undefined;
}

/** A poll that found the lease taken tries again this long after it ends (clock skew, latency). */
const LEASE_SLACK_MS = 50;
const DEFAULT_POKE_CLAIM_MS = 30_000;

/**
 * The watch: one entry per (scope, customer) however many subscriptions watch it, each read at
 * its cadence by whichever replica claims the read, and every change told to every listener on
 * every replica. Reads are Partner Center's answers in that scope only: an entry is read with a
 * reader of its own scope, and a change travels with its scope.
 */
export function createWatchHub(options: WatchHubOptions): WatchHub {
  const { cadence, fleet, logger, observer } = options;
  const pokeClaimMs = options.pokeClaimMs ?? DEFAULT_POKE_CLAIM_MS;
  const entries = new Map<string, Entry>();
  /** Entries by customer, for writes, which concern every scope. */
  const byCustomer = new Map<string, Set<Entry>>();
  let closed = false;

  const keyOf = (scope: string, id: string) => `${scope}:${id}`;

  function schedule(entry: Entry, inMs: number): void {
    clearTimeout(entry.timer);
    if (closed || entry.listeners.size === 0) return;
    entry.timer = setTimeout(() => void poll(entry, undefined), Math.max(1, inMs));
    entry.timer.unref();
  }

  /**
   * The entry's next read, an interval from now as its answer says. Not from the answer's read
   * time: a read the cache answered may be older than the interval, and would be read again at
   * once, and again, until the cache entry expires.
   */
  function scheduleAfter(entry: Entry, state: WatchedState | undefined): void {
    schedule(entry, pollIntervalMs(cadence, state));
  }

  /**
   * An answer for the entry, from this replica's read or another's: told to the listeners when
   * it differs from the last one and is not older. Returns whether it was news.
   */
  function learn(entry: Entry, state: WatchedState): boolean {
    if (entry.state !== undefined && state.readAt < entry.state.readAt) return false;
    const fingerprint = fingerprintOf(state);
    // The first answer is news too: a listener whose first look failed has nothing yet.
    const news = fingerprint !== entry.fingerprint;
    entry.state = state;
    entry.fingerprint = fingerprint;
    if (news) for (const listener of entry.listeners.keys()) listener.changed(entry.id, state);
    return news;
  }

  async function poll(entry: Entry, nonce: string | undefined): Promise<void> {
    if (closed || entry.listeners.size === 0) return;
    if (entry.polling) {
      if (nonce !== undefined) entry.pokedWhilePolling = nonce;
      return;
    }
    const interval = pollIntervalMs(cadence, entry.state);
    const key = keyOf(entry.scope, entry.id);
    const wait = await fleet.claim(
      nonce === undefined ? key : `poke:${nonce}:${key}`,
      nonce === undefined ? interval : pokeClaimMs,
    );
    if (wait > 0) {
      // Another replica reads it: its answer arrives by pub/sub; the next turn is after its lease.
      if (nonce === undefined) schedule(entry, wait + LEASE_SLACK_MS);
      return;
    }
    const reader = entry.listeners.values().next().value;
    if (reader === undefined) return;
    entry.polling = true;
    try {
      const { state, stale } = await reader.read(entry.id, 'watch');
      if (stale) {
        observer?.polled('failed');
        scheduleAfter(entry, entry.state);
        return;
      }
      const news = learn(entry, state);
      observer?.polled(news ? 'changed' : 'unchanged');
      if (news) fleet.publish({ kind: 'state', scope: entry.scope, id: entry.id, state });
      scheduleAfter(entry, state);
    } catch (error) {
      if (error instanceof UpstreamError && error.kind === 'deferred') {
        // Interactive reads come first; this read waits its turn and stays claimed meanwhile.
        observer?.polled('deferred');
        schedule(entry, Math.max(1, error.retryAfterSeconds ?? 1) * 1000);
        return;
      }
      if (reader.callerCredentials && isRefusedCredential(error)) {
        observer?.polled('refused');
        // The scope is the token (a hash of it): every listener here sent the same one.
        for (const listener of [...entry.listeners.keys()]) listener.refused();
        schedule(entry, interval);
        return;
      }
      // 5xx, timeout, 429: nothing is emitted, the listeners keep what they have.
      observer?.polled('failed');
      logger.debug(
        { err: error instanceof Error ? error.message : String(error) },
        'watch poll failed',
      );
      schedule(entry, interval);
    } finally {
      entry.polling = false;
      const poked = entry.pokedWhilePolling;
      entry.pokedWhilePolling = undefined;
      if (poked !== undefined) void poll(entry, poked);
    }
  }

  function entryFor(scope: string, id: string): Entry {
    const key = keyOf(scope, id);
    let entry = entries.get(key);
    if (entry === undefined) {
      entry = {
        scope,
        id,
        listeners: new Map(),
        state: undefined,
        fingerprint: undefined,
        timer: undefined,
        polling: false,
        pokedWhilePolling: undefined,
      };
      entries.set(key, entry);
      let set = byCustomer.get(id);
      if (set === undefined) byCustomer.set(id, (set = new Set()));
      set.add(entry);
    }
    return entry;
  }

  function drop(entry: Entry): void {
    clearTimeout(entry.timer);
    entries.delete(keyOf(entry.scope, entry.id));
    const set = byCustomer.get(entry.id);
    set?.delete(entry);
    if (set?.size === 0) byCustomer.delete(entry.id);
  }

  fleet.onMessage((message) => {
    if (message.kind === 'poke') {
      for (const entry of byCustomer.get(message.id) ?? []) void poll(entry, message.nonce);
      return;
    }
    const entry = entries.get(keyOf(message.scope, message.id));
    if (entry === undefined) return;
    learn(entry, message.state);
    // Read just now elsewhere: the next read is an interval from that one.
    if (!entry.polling) scheduleAfter(entry, entry.state);
  });

  return {
    join(scope, id, reader, listener) {
      const entry = entryFor(scope, id);
      const first = entry.listeners.size === 0;
      entry.listeners.set(listener, reader);
      if (first && entry.timer === undefined) scheduleAfter(entry, entry.state);
      return () => {
        entry.listeners.delete(listener);
        if (entry.listeners.size === 0) drop(entry);
      };
    },
    async look(scope, id, reader) {
      const read = await reader.read(id, 'interactive');
      const entry = entries.get(keyOf(scope, id));
      if (entry === undefined || read.stale) return read;
      const known = entry.state;
      if (known !== undefined && known.readAt > read.state.readAt) {
        return { state: known, stale: false };
      }
      const hadState = entry.state !== undefined;
      if (learn(entry, read.state)) {
        fleet.publish({ kind: 'state', scope, id, state: read.state });
      }
      if (!hadState) scheduleAfter(entry, read.state);
      return read;
    },
    written(id) {
      const nonce = randomUUID();
      fleet.publish({ kind: 'poke', id, nonce });
      for (const entry of byCustomer.get(id) ?? []) void poll(entry, nonce);
    },
    watched: () => entries.size,
    close() {
      closed = true;
      for (const entry of entries.values()) clearTimeout(entry.timer);
    },
  };
}

/** Partner Center refused the token (401): a new poll with it would be refused the same. */
function isRefusedCredential(error: unknown): boolean {
  return error instanceof UpstreamError && error.kind === 'status' && error.status === 401;
}
