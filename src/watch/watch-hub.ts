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
  /** A fraction in [0, 1) for spreading retries (Math.random; tests fix it). */
  readonly spread?: () => number;
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
  readonly key: string;
  /** By join: the same listener may join twice, and each join leaves once. */
  readonly listeners: Map<
    symbol,
    { readonly listener: WatchListener; readonly reader: WatchReader }
  >;
  state: WatchedState | undefined;
  fingerprint: string | undefined;
  timer: NodeJS.Timeout | undefined;
  /** From the claim to the end of the read: a poll or poke meanwhile waits for it. */
  polling: boolean;
  /** A write's read that came while a poll was on its way: done after it (its answer may predate the write). */
  pokedWhilePolling: string | undefined;
  /** A write's read that was deferred: the entry's next turn is it, with the same claim. */
  pendingPoke: string | undefined;
  /** Whether this replica may hold the entry's lease (it claimed it), so leaving gives it up. */
  claimed: boolean;
}

/** A poll that found the lease taken tries again this long after it ends (clock skew, latency). */
const LEASE_SLACK_MS = 50;
const DEFAULT_POKE_CLAIM_MS = 30_000;

type Learned = 'news' | 'same' | 'older';

/**
 * The watch: one entry per (scope, customer) however many subscriptions watch it, each read at
 * its cadence by whichever replica claims the read, and every change told to every listener on
 * every replica. Reads are Partner Center's answers in that scope only: an entry is read with a
 * reader of its own scope, and a change travels with its scope.
 */
export function createWatchHub(options: WatchHubOptions): WatchHub {
  const { cadence, fleet, logger, observer } = options;
  const pokeClaimMs = options.pokeClaimMs ?? DEFAULT_POKE_CLAIM_MS;
  const spread = options.spread ?? Math.random;
  /** The last answer outlives every lease, so whoever takes one over finds it. */
  const recordMs = 2 * Math.max(cadence.settledSeconds, cadence.inReviewSeconds) * 1000;
  const entries = new Map<string, Entry>();
  /** Entries by customer, for writes, which concern every scope. */
  const byCustomer = new Map<string, Set<Entry>>();
  let closed = false;

  const keyOf = (scope: string, id: string) => `${scope}:${id}`;
  const live = (entry: Entry) => !closed && entries.get(entry.key) === entry;

  function schedule(entry: Entry, inMs: number): void {
    clearTimeout(entry.timer);
    entry.timer = undefined;
    if (!live(entry) || entry.listeners.size === 0) return;
    entry.timer = setTimeout(() => void poll(entry, entry.pendingPoke), Math.max(1, inMs));
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

  /** One listener's failure is its own: the others are still told. */
  function tell(entry: Entry, call: (listener: WatchListener) => void): void {
    for (const { listener } of [...entry.listeners.values()]) {
      try {
        call(listener);
      } catch (error) {
        logger.warn({ err: error, customerId: entry.id }, 'watch listener failed');
      }
    }
  }

  /**
   * An answer for the entry, from this replica's read or another's: told to the listeners when
   * it differs from the last one and is not older.
   */
  function learn(entry: Entry, state: WatchedState): Learned {
    if (entry.state !== undefined && state.readAt < entry.state.readAt) return 'older';
    const fingerprint = fingerprintOf(state);
    // The first answer is news too: a listener whose first look failed has nothing yet.
    const news = fingerprint !== entry.fingerprint;
    entry.state = state;
    entry.fingerprint = fingerprint;
    if (news) tell(entry, (listener) => listener.changed(entry.id, state));
    return news ? 'news' : 'same';
  }

  /** Tells the fleet: the last answer beside the lease, and a message to the other replicas. */
  function share(entry: Entry, state: WatchedState): void {
    fleet.record(entry.key, state, recordMs);
    fleet.publish({ kind: 'state', scope: entry.scope, id: entry.id, state });
  }

  async function claim(lease: string, entry: Entry, ms: number) {
    try {
      return await fleet.claim(lease, entry.key, ms);
    } catch (error) {
      logger.debug({ err: error }, 'watch lease not claimed: reading alone');
      return { waitMs: 0, last: undefined };
    }
  }

  async function poll(entry: Entry, nonce: string | undefined): Promise<void> {
    if (!live(entry) || entry.listeners.size === 0) return;
    if (entry.polling) {
      if (nonce !== undefined) entry.pokedWhilePolling = nonce;
      return;
    }
    entry.polling = true;
    let poked = nonce;
    try {
      poked = await pollOnce(entry, nonce);
    } finally {
      entry.polling = false;
      const next = entry.pokedWhilePolling;
      entry.pokedWhilePolling = undefined;
      // A write's read that came meanwhile, unless this poll was that read and did it.
      if (next !== undefined && next !== poked && live(entry)) void poll(entry, next);
    }
  }

  /** Returns the poke this poll did (its read answered or failed for good), if any. */
  async function pollOnce(entry: Entry, nonce: string | undefined): Promise<string | undefined> {
    const interval = pollIntervalMs(cadence, entry.state);
    const lease = nonce === undefined ? entry.key : `poke:${nonce}:${entry.key}`;
    const claimed = await claim(lease, entry, nonce === undefined ? interval : pokeClaimMs);
    if (!live(entry)) return undefined;
    // What the fleet last found: listeners that missed it are told now, and this replica's read
    // is compared with it, so taking over from another replica emits no old answer as news.
    if (claimed.last !== undefined) learn(entry, claimed.last);
    if (claimed.waitMs > 0) {
      // Another replica reads it: its answer arrives by pub/sub; the next turn is just after its
      // lease (never longer than this claim asked for), not at its very end, where the holder's
      // own next turn is (the claim also brings the last answer).
      if (nonce === undefined) schedule(entry, claimed.waitMs + LEASE_SLACK_MS);
      else if (entry.pendingPoke === nonce) {
        entry.pendingPoke = undefined;
        scheduleAfter(entry, entry.state);
      }
      return nonce;
    }
    if (nonce === undefined) entry.claimed = true;
    const first = entry.listeners.values().next().value;
    if (first === undefined) return undefined;
    const { reader } = first;
    try {
      const { state, stale } = await reader.read(entry.id, 'watch');
      if (entry.pendingPoke === nonce) entry.pendingPoke = undefined;
      if (stale) {
        observer?.polled('failed');
        scheduleAfter(entry, entry.state);
        return nonce;
      }
      if (!live(entry)) {
        // Its last watcher left while it was read: nobody to tell, but the call was made, and
        // the metric of polls is to add up to the watch's reads of Partner Center.
        observer?.polled('unchanged');
        return nonce;
      }
      const learned = learn(entry, state);
      observer?.polled(learned === 'news' ? 'changed' : 'unchanged');
      if (learned === 'news') share(entry, state);
      scheduleAfter(entry, entry.state);
      return nonce;
    } catch (error) {
      if (error instanceof UpstreamError && error.kind === 'deferred') {
        // Interactive reads come first; this read waits its turn and stays claimed meanwhile.
        // A write's read stays one: its claim is this replica's, so no other replica does it.
        observer?.polled('deferred');
        // Polls put off together (hundreds that came due at once, a slot apiece) come back
        // spread over as long again, not in one burst that puts most of them off once more.
        if (nonce !== undefined) entry.pendingPoke = nonce;
        const retryMs = Math.max(1, error.retryAfterSeconds ?? 1) * 1000;
        schedule(entry, retryMs * (1 + spread()));
        return undefined;
      }
      if (entry.pendingPoke === nonce) entry.pendingPoke = undefined;
      if (reader.callerCredentials && isRefusedCredential(error)) {
        observer?.polled('refused');
        // The scope is the token (a hash of it): every listener here sent the same one.
        tell(entry, (listener) => listener.refused());
        schedule(entry, interval);
        return nonce;
      }
      // 5xx, timeout, 429: nothing is emitted, the listeners keep what they have.
      observer?.polled('failed');
      logger.debug(
        { err: error instanceof Error ? error.message : String(error) },
        'watch poll failed',
      );
      schedule(entry, interval);
      return nonce;
    }
  }

  function entryFor(scope: string, id: string): Entry {
    const key = keyOf(scope, id);
    let entry = entries.get(key);
    if (entry === undefined) {
      entry = {
        scope,
        id,
        key,
        listeners: new Map(),
        state: undefined,
        fingerprint: undefined,
        timer: undefined,
        polling: false,
        pokedWhilePolling: undefined,
        pendingPoke: undefined,
        claimed: false,
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
    entry.timer = undefined;
    // Only this very entry: a later join may have made a new one under the same key.
    if (entries.get(entry.key) !== entry) return;
    entries.delete(entry.key);
    const set = byCustomer.get(entry.id);
    set?.delete(entry);
    if (set?.size === 0) byCustomer.delete(entry.id);
    // Others watching it need not wait for a lease nobody here will use.
    if (entry.claimed) fleet.release(entry.key);
  }

  fleet.onMessage((message) => {
    if (closed) return;
    if (message.kind === 'poke') {
      for (const entry of byCustomer.get(message.id) ?? []) void poll(entry, message.nonce);
      return;
    }
    const entry = entries.get(keyOf(message.scope, message.id));
    if (entry === undefined) return;
    // Read just now elsewhere: the next read is an interval from that one.
    const learned = learn(entry, message.state);
    // A deferred write's read keeps its turn: the answer may predate the write.
    if (learned !== 'older' && !entry.polling && entry.pendingPoke === undefined) {
      scheduleAfter(entry, entry.state);
    }
  });

  return {
    join(scope, id, reader, listener) {
      const entry = entryFor(scope, id);
      const first = entry.listeners.size === 0;
      const handle = Symbol('join');
      entry.listeners.set(handle, { listener, reader });
      if (first && entry.timer === undefined && !entry.polling) scheduleAfter(entry, entry.state);
      let left = false;
      return () => {
        if (left) return;
        left = true;
        entry.listeners.delete(handle);
        if (entry.listeners.size === 0) drop(entry);
      };
    },
    async look(scope, id, reader) {
      const read = await reader.read(id, 'interactive');
      const entry = entries.get(keyOf(scope, id));
      if (entry === undefined || read.stale || closed) return read;
      const known = entry.state;
      if (known !== undefined && known.readAt > read.state.readAt) {
        return { state: known, stale: false };
      }
      const hadState = entry.state !== undefined;
      if (learn(entry, read.state) === 'news') share(entry, read.state);
      if (!hadState && !entry.polling && entry.pendingPoke === undefined) {
        scheduleAfter(entry, read.state);
      }
      return read;
    },
    written(id) {
      if (closed) return;
      const nonce = randomUUID();
      fleet.publish({ kind: 'poke', id, nonce });
      for (const entry of byCustomer.get(id) ?? []) void poll(entry, nonce);
    },
    watched: () => entries.size,
    close() {
      closed = true;
      for (const entry of entries.values()) {
        clearTimeout(entry.timer);
        entry.timer = undefined;
      }
    },
  };
}

/** Partner Center refused the token (401): a new poll with it would be refused the same. */
function isRefusedCredential(error: unknown): boolean {
  return error instanceof UpstreamError && error.kind === 'status' && error.status === 401;
}
