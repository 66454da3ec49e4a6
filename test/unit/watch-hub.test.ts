import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src/observability/logger.js';
import { UpstreamError } from '../../src/partner-center/upstream-error.js';
import type { QualificationRecord } from '../../src/partner-center/types.js';
import type { Claim, WatchFleet, WatchMessage } from '../../src/watch/watch-fleet.js';
import {
  createWatchHub,
  type PollResult,
  type WatchHub,
  type WatchListener,
  type WatchRead,
  type WatchReader,
} from '../../src/watch/watch-hub.js';
import { pollIntervalMs, type WatchedState } from '../../src/watch/watched-state.js';

/**
 * The watch hub on a fake clock, with a fake fleet of the same rules as the Redis one (leases by
 * owner, the last answer beside the lease, messages to every other member), so several hubs can
 * stand for several replicas.
 */

const CADENCE = { inReviewSeconds: 60, settledSeconds: 900 };
const IN_REVIEW_MS = 60_000;
const SETTLED_MS = 900_000;
const A = '10000000-0000-4000-8000-00000000000a';
const B = '10000000-0000-4000-8000-00000000000b';
const C = '10000000-0000-4000-8000-00000000000c';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const record = (vettingStatus: string | null): QualificationRecord => ({
  qualification: 'Education',
  vettingStatus,
  vettingReason: vettingStatus === 'Denied' ? 'Not an Education Customer' : null,
  vettingCreatedDate: '2026-12-01T10:00:00Z',
});

type Shape = 'InReview' | 'Approved' | 'Denied' | 'unknown';
const stateOf = (shape: Shape, readAt = Date.now()): WatchedState =>
  shape === 'unknown'
    ? { known: false, qualifications: [], readAt }
    : { known: true, qualifications: [record(shape)], readAt };

/** Partner Center as the readers see it: an answer (or a failure) per customer, and every read. */
function fakeUpstream() {
  const answers = new Map<string, Shape | Error>();
  const reads: { scope: string; id: string; purpose: string }[] = [];
  /** Reads that wait for the test: `release(id)` answers them. */
  const held = new Map<string, (() => void)[]>();
  const holding = new Set<string>();
  return {
    reads,
    set(id: string, answer: Shape | Error) {
      answers.set(id, answer);
    },
    hold(id: string) {
      holding.add(id);
    },
    release(id: string) {
      holding.delete(id);
      for (const go of held.get(id) ?? []) go();
      held.delete(id);
    },
    readsOf: (id: string, scope?: string) =>
      reads.filter((read) => read.id === id && (scope === undefined || read.scope === scope))
        .length,
    reader(scope: string, callerCredentials = true): WatchReader {
      return {
        callerCredentials,
        async read(id, purpose): Promise<WatchRead> {
          reads.push({ scope, id, purpose });
          if (holding.has(id)) {
            await new Promise<void>((resolve) => {
              const list = held.get(id) ?? [];
              list.push(resolve);
              held.set(id, list);
            });
          }
          const answer = answers.get(id) ?? 'InReview';
          if (answer instanceof Error) throw answer;
          return { state: stateOf(answer), stale: false };
        },
      };
    },
  };
}

/** Redis as the hubs use it: one lease table, the last answers, and a bus between members. */
function fakeNetwork() {
  const leases = new Map<string, { owner: string; until: number }>();
  const last = new Map<string, { text: string; until: number }>();
  const members = new Map<string, ((message: WatchMessage) => void)[]>();
  let away = false;
  let deaf = new Set<string>();
  return {
    leases,
    /** Redis unreachable: every claim is won (reading alone), nothing is published or recorded. */
    setAway(value: boolean) {
      away = value;
    },
    /** Members whose pub/sub subscription is down: they hear no message. */
    setDeaf(owners: string[]) {
      deaf = new Set(owners);
    },
    fleet(owner: string): WatchFleet {
      const listeners: ((message: WatchMessage) => void)[] = [];
      members.set(owner, listeners);
      return {
        claim(lease, key, ms): Promise<Claim> {
          if (away) return Promise.resolve({ waitMs: 0, last: undefined });
          const now = Date.now();
          const found = last.get(key);
          const lastState =
            found !== undefined && found.until > now
              ? (JSON.parse(found.text) as WatchedState)
              : undefined;
          const held = leases.get(lease);
          const left = held === undefined ? 0 : held.until - now;
          if (held !== undefined && left > 0 && held.owner !== owner && left <= ms) {
            return Promise.resolve({ waitMs: left, last: lastState });
          }
          leases.set(lease, { owner, until: now + ms });
          return Promise.resolve({ waitMs: 0, last: lastState });
        },
        record(key, state, ms) {
          if (!away) last.set(key, { text: JSON.stringify(state), until: Date.now() + ms });
        },
        release(lease) {
          if (!away && leases.get(lease)?.owner === owner) leases.delete(lease);
        },
        publish(message) {
          if (away) return;
          const text = JSON.stringify(message);
          for (const [other, handlers] of members) {
            if (other === owner || deaf.has(other)) continue;
            // Pub/sub delivers later, never within the publisher's call.
            queueMicrotask(() => {
              for (const handler of handlers) handler(JSON.parse(text) as WatchMessage);
            });
          }
        },
        onMessage(listener) {
          listeners.push(listener);
        },
      };
    },
  };
}

interface Recorder extends WatchListener {
  /** `status` is the vetting status, or 'unknown' when Partner Center does not know the customer. */
  readonly events: { id: string; status: string | null }[];
  refusals: number;
}

function recorder(): Recorder {
  const events: Recorder['events'] = [];
  const self: Recorder = {
    events,
    refusals: 0,
    changed(id, state) {
      events.push({
        id,
        status: state.known ? (state.qualifications[0]?.vettingStatus ?? null) : 'unknown',
      });
    },
    refused() {
      self.refusals += 1;
    },
  };
  return self;
}

function hubOn(fleet: WatchFleet, polls: PollResult[] = []): WatchHub {
  return createWatchHub({
    cadence: CADENCE,
    fleet,
    logger: silentLogger,
    observer: { polled: (result) => polls.push(result) },
    spread: () => 0,
  });
}

const local = (): WatchFleet => fakeNetwork().fleet('only');
const tick = (ms: number) => vi.advanceTimersByTimeAsync(ms);

describe('cadence', () => {
  it('reads a customer in review (or unknown) every in-review interval, a settled one every settled interval', () => {
    expect(pollIntervalMs(CADENCE, undefined)).toBe(IN_REVIEW_MS);
    expect(pollIntervalMs(CADENCE, stateOf('InReview'))).toBe(IN_REVIEW_MS);
    expect(pollIntervalMs(CADENCE, stateOf('unknown'))).toBe(IN_REVIEW_MS);
    expect(pollIntervalMs(CADENCE, stateOf('Approved'))).toBe(SETTLED_MS);
    expect(pollIntervalMs(CADENCE, stateOf('Denied'))).toBe(SETTLED_MS);
    expect(pollIntervalMs(CADENCE, { known: true, qualifications: [], readAt: 0 })).toBe(
      SETTLED_MS,
    );
  });

  it('polls on that cadence, and changes cadence with the answer', async () => {
    const upstream = fakeUpstream();
    upstream.set(A, 'InReview');
    upstream.set(B, 'unknown');
    const hub = hubOn(local());
    hub.join('s', A, upstream.reader('s'), recorder());
    hub.join('s', B, upstream.reader('s'), recorder());
    await tick(IN_REVIEW_MS - 1);
    expect(upstream.reads).toEqual([]);
    await tick(1);
    expect([upstream.readsOf(A), upstream.readsOf(B)]).toEqual([1, 1]);
    await tick(3 * IN_REVIEW_MS);
    expect([upstream.readsOf(A), upstream.readsOf(B)]).toEqual([4, 4]);
    expect(upstream.reads.every((read) => read.purpose === 'watch')).toBe(true);

    upstream.set(A, 'Approved');
    await tick(IN_REVIEW_MS); // read 5 finds it settled
    expect(upstream.readsOf(A)).toBe(5);
    await tick(SETTLED_MS - 1);
    expect(upstream.readsOf(A)).toBe(5);
    expect(upstream.readsOf(B)).toBe(19); // every minute of the 20 minus a moment
    await tick(1);
    expect(upstream.readsOf(A)).toBe(6);
    hub.close();
  });
});

describe('one entry per (scope, customer)', () => {
  it('reads once per interval for many listeners and tells each of them every change once', async () => {
    const upstream = fakeUpstream();
    const hub = hubOn(local());
    const listeners = Array.from({ length: 50 }, () => recorder());
    for (const listener of listeners) hub.join('s', A, upstream.reader('s'), listener);
    expect(hub.watched()).toBe(1);
    await tick(IN_REVIEW_MS);
    expect(upstream.readsOf(A)).toBe(1);
    upstream.set(A, 'Approved');
    await tick(IN_REVIEW_MS);
    expect(upstream.readsOf(A)).toBe(2);
    for (const listener of listeners) {
      // The first answer is news (a listener whose first look failed has nothing yet).
      expect(listener.events).toEqual([
        { id: A, status: 'InReview' },
        { id: A, status: 'Approved' },
      ]);
    }
    hub.close();
  });

  it('tells a change, not a newer read time of the same answer', async () => {
    const upstream = fakeUpstream();
    const polls: PollResult[] = [];
    const hub = hubOn(local(), polls);
    const listener = recorder();
    hub.join('s', A, upstream.reader('s'), listener);
    await tick(3 * IN_REVIEW_MS);
    expect(listener.events).toEqual([{ id: A, status: 'InReview' }]);
    expect(polls).toEqual(['changed', 'unchanged', 'unchanged']);
    upstream.set(A, 'Denied');
    await tick(IN_REVIEW_MS);
    expect(listener.events).toEqual([
      { id: A, status: 'InReview' },
      { id: A, status: 'Denied' },
    ]);
    expect(polls.at(-1)).toBe('changed');
    hub.close();
  });

  it('a listener that throws does not keep the change from the others', async () => {
    const upstream = fakeUpstream();
    const hub = hubOn(local());
    const good = recorder();
    hub.join('s', A, upstream.reader('s'), {
      changed: () => {
        throw new Error('a broken subscriber');
      },
      refused: () => undefined,
    });
    hub.join('s', A, upstream.reader('s'), good);
    await tick(IN_REVIEW_MS);
    expect(good.events).toEqual([{ id: A, status: 'InReview' }]);
    await tick(IN_REVIEW_MS);
    expect(upstream.readsOf(A)).toBe(2);
    hub.close();
  });
});

describe('failures', () => {
  it('a failed or stale poll emits nothing and keeps what the entry knew', async () => {
    const upstream = fakeUpstream();
    const polls: PollResult[] = [];
    const hub = hubOn(local(), polls);
    const listener = recorder();
    hub.join('s', A, upstream.reader('s'), listener);
    await tick(IN_REVIEW_MS);
    upstream.set(A, new UpstreamError('status', 'Partner Center 503', { status: 503 }));
    await tick(IN_REVIEW_MS);
    upstream.set(A, new UpstreamError('timeout', 'no answer'));
    await tick(IN_REVIEW_MS);
    // Back with the same answer: nothing to tell, the failures changed nothing.
    upstream.set(A, 'InReview');
    await tick(IN_REVIEW_MS);
    expect(listener.events).toEqual([{ id: A, status: 'InReview' }]);
    expect(polls).toEqual(['changed', 'failed', 'failed', 'unchanged']);

    const stale: WatchReader = {
      callerCredentials: true,
      read: () => Promise.resolve({ state: stateOf('Approved'), stale: true }),
    };
    const other = recorder();
    hub.join('t', A, stale, other);
    await tick(IN_REVIEW_MS);
    expect(other.events).toEqual([]);
    expect(polls.at(-1)).toBe('failed');
    hub.close();
  });

  it('a poll whose watchers all left while it was read is counted, and tells no one', async () => {
    const upstream = fakeUpstream();
    const polls: PollResult[] = [];
    const hub = hubOn(local(), polls);
    const listener = recorder();
    upstream.set(A, 'InReview');
    const leave = hub.join('s', A, upstream.reader('s'), listener);
    upstream.hold(A);
    await tick(IN_REVIEW_MS);
    expect(upstream.readsOf(A)).toBe(1);

    leave();
    upstream.release(A);
    await tick(0);

    // One read of Partner Center, one poll counted: the metric adds up to the calls made.
    expect(polls).toEqual(['unchanged']);
    expect(listener.events).toEqual([]);
    hub.close();
  });

  it('a deferred poll is retried after its retry-after, not an interval later', async () => {
    const upstream = fakeUpstream();
    const polls: PollResult[] = [];
    const hub = hubOn(local(), polls);
    hub.join('s', A, upstream.reader('s'), recorder());
    upstream.set(A, new UpstreamError('deferred', 'yield', { retryAfterSeconds: 5 }));
    await tick(IN_REVIEW_MS);
    expect(polls).toEqual(['deferred']);
    upstream.set(A, 'InReview');
    await tick(4_999);
    expect(upstream.readsOf(A)).toBe(1);
    await tick(1);
    expect(upstream.readsOf(A)).toBe(2);
    expect(polls).toEqual(['deferred', 'changed']);
    hub.close();
  });

  it('deferred polls come back spread over as long again as their retry-after', async () => {
    const upstream = fakeUpstream();
    const polls: PollResult[] = [];
    const spreads = [0, 0.5, 0.999];
    const hub = createWatchHub({
      cadence: CADENCE,
      fleet: local(),
      logger: silentLogger,
      observer: { polled: (result) => polls.push(result) },
      spread: () => spreads.shift() ?? 0,
    });
    for (const id of [A, B, C]) {
      hub.join('s', id, upstream.reader('s'), recorder());
      upstream.set(id, new UpstreamError('deferred', 'yield', { retryAfterSeconds: 2 }));
    }
    await tick(IN_REVIEW_MS);
    expect(polls).toEqual(['deferred', 'deferred', 'deferred']);
    for (const id of [A, B, C]) upstream.set(id, 'InReview');
    await tick(2_000);
    expect([A, B, C].map((id) => upstream.readsOf(id))).toEqual([2, 1, 1]);
    await tick(1_000);
    expect([A, B, C].map((id) => upstream.readsOf(id))).toEqual([2, 2, 1]);
    await tick(998);
    expect([A, B, C].map((id) => upstream.readsOf(id))).toEqual([2, 2, 2]);
    hub.close();
  });

  it('a 401 with caller credentials refuses that scope only; with the app token it is a failure', async () => {
    const upstream = fakeUpstream();
    const polls: PollResult[] = [];
    const hub = hubOn(local(), polls);
    const refusedScope = recorder();
    const otherScope = recorder();
    const appScope = recorder();
    const unauthorized = new UpstreamError('status', 'Partner Center 401', { status: 401 });
    const failing = (callerCredentials: boolean): WatchReader => ({
      callerCredentials,
      read: () => Promise.reject(unauthorized),
    });
    hub.join('expired', A, failing(true), refusedScope);
    hub.join('fresh', A, upstream.reader('fresh'), otherScope);
    hub.join('app', B, failing(false), appScope);
    await tick(IN_REVIEW_MS);
    expect(refusedScope.refusals).toBe(1);
    expect(otherScope.refusals).toBe(0);
    expect(appScope.refusals).toBe(0);
    expect(otherScope.events).toEqual([{ id: A, status: 'InReview' }]);
    expect(polls.filter((result) => result === 'refused')).toEqual(['refused']);
    await tick(IN_REVIEW_MS);
    expect(upstream.readsOf(A, 'fresh')).toBe(2);
    hub.close();
  });

  it('a read that hangs or fails never stops the polls of other customers and scopes', async () => {
    const upstream = fakeUpstream();
    const hub = hubOn(local());
    upstream.hold(A);
    upstream.set(B, new UpstreamError('network', 'reset'));
    const others = recorder();
    hub.join('s', A, upstream.reader('s'), recorder());
    hub.join('s', B, upstream.reader('s'), recorder());
    // Another scope of the hanging customer reads through its own entry.
    const otherScope: WatchReader = {
      callerCredentials: true,
      read: () => Promise.resolve({ state: stateOf('Approved'), stale: false }),
    };
    hub.join('t', A, otherScope, others);
    await tick(5 * IN_REVIEW_MS);
    expect(upstream.readsOf(A)).toBe(1); // still waiting, and not read twice meanwhile
    expect(upstream.readsOf(B)).toBe(5);
    expect(others.events).toEqual([{ id: A, status: 'Approved' }]);
    upstream.set(A, new UpstreamError('timeout', 'no answer'));
    upstream.release(A);
    await tick(IN_REVIEW_MS);
    expect(upstream.readsOf(A)).toBe(2);
    hub.close();
  });
});

describe('writes', () => {
  it('a write reads every scope of the customer at once', async () => {
    const upstream = fakeUpstream();
    const hub = hubOn(local());
    const s = recorder();
    const t = recorder();
    hub.join('s', A, upstream.reader('s'), s);
    hub.join('t', A, upstream.reader('t'), t);
    hub.join('s', B, upstream.reader('s'), recorder());
    await tick(IN_REVIEW_MS);
    upstream.set(A, 'Approved');
    hub.written(A);
    await tick(0);
    expect([upstream.readsOf(A, 's'), upstream.readsOf(A, 't'), upstream.readsOf(B)]).toEqual([
      2, 2, 1,
    ]);
    expect(s.events.at(-1)).toEqual({ id: A, status: 'Approved' });
    expect(t.events.at(-1)).toEqual({ id: A, status: 'Approved' });
    hub.close();
  });

  it('a write during a poll reads again after it (the poll may predate the write), once', async () => {
    const upstream = fakeUpstream();
    const hub = hubOn(local());
    const listener = recorder();
    hub.join('s', A, upstream.reader('s'), listener);
    upstream.hold(A);
    await tick(IN_REVIEW_MS);
    expect(upstream.readsOf(A)).toBe(1);
    hub.written(A);
    hub.written(A);
    await tick(0);
    expect(upstream.readsOf(A)).toBe(1);
    upstream.set(A, 'Approved');
    upstream.release(A); // the poll answers with the new state already
    await tick(0);
    expect(upstream.readsOf(A)).toBe(2);
    expect(listener.events).toEqual([{ id: A, status: 'Approved' }]);
    await tick(IN_REVIEW_MS);
    expect(upstream.readsOf(A)).toBe(2); // settled now: 900 s
    hub.close();
  });

  it('a write that comes while the poll is claiming its lease is not read twice at once', async () => {
    const upstream = fakeUpstream();
    const network = fakeNetwork();
    const slow = network.fleet('slow');
    const claims: (() => void)[] = [];
    const fleet: WatchFleet = {
      ...slow,
      claim: (lease, key, ms) =>
        new Promise((resolve) => {
          claims.push(() => void slow.claim(lease, key, ms).then(resolve));
        }),
    };
    const hub = hubOn(fleet);
    hub.join('s', A, upstream.reader('s'), recorder());
    await tick(IN_REVIEW_MS);
    hub.written(A); // the poll is waiting for Redis
    expect(claims.length).toBe(1);
    claims.shift()?.();
    await tick(0);
    expect(upstream.readsOf(A)).toBe(1);
    claims.shift()?.(); // then the write's own read
    await tick(0);
    expect(upstream.readsOf(A)).toBe(2);
    expect(claims.length).toBe(0);
    hub.close();
  });

  it("a deferred write's read is retried under its own claim, though another replica holds the poll", async () => {
    const upstream = fakeUpstream();
    const network = fakeNetwork();
    const polls: PollResult[] = [];
    // The reader hears the write first and takes its read; the holder polls the pair.
    const reader = hubOn(network.fleet('reader'), polls);
    const holder = hubOn(network.fleet('holder'));
    const writer = hubOn(network.fleet('writer'));
    holder.join('s', A, upstream.reader('s'), recorder());
    const listener = recorder();
    reader.join('s', A, upstream.reader('s'), listener);
    await tick(IN_REVIEW_MS);
    expect(upstream.readsOf(A)).toBe(1); // the holder's
    upstream.set(A, new UpstreamError('deferred', 'yield', { retryAfterSeconds: 2 }));
    writer.written(A);
    await tick(0);
    expect(polls).toEqual(['deferred']);
    upstream.set(A, 'Approved');
    await tick(2_000);
    expect(upstream.readsOf(A)).toBe(3);
    expect(polls).toEqual(['deferred', 'changed']);
    expect(listener.events.at(-1)).toEqual({ id: A, status: 'Approved' });
    for (const hub of [reader, holder, writer]) hub.close();
  });
});

describe('leaving', () => {
  it('leaving twice is leaving once: a later join of the same pair keeps its entry', async () => {
    const upstream = fakeUpstream();
    const hub = hubOn(local());
    const first = recorder();
    const leave = hub.join('s', A, upstream.reader('s'), first);
    leave();
    expect(hub.watched()).toBe(0);
    const second = recorder();
    hub.join('s', A, upstream.reader('s'), second);
    leave(); // again, after the rejoin
    expect(hub.watched()).toBe(1);
    await tick(IN_REVIEW_MS);
    expect(second.events).toEqual([{ id: A, status: 'InReview' }]);
    expect(first.events).toEqual([]);
    upstream.set(A, 'Denied');
    hub.written(A);
    await tick(0);
    expect(second.events.at(-1)).toEqual({ id: A, status: 'Denied' });
    hub.close();
  });

  it('the same listener joined twice stays until its second leave', async () => {
    const upstream = fakeUpstream();
    const hub = hubOn(local());
    const listener = recorder();
    const leaveOne = hub.join('s', A, upstream.reader('s'), listener);
    const leaveTwo = hub.join('s', A, upstream.reader('s'), listener);
    leaveOne();
    leaveOne();
    await tick(IN_REVIEW_MS);
    expect(upstream.readsOf(A)).toBe(1);
    leaveTwo();
    await tick(5 * IN_REVIEW_MS);
    expect(upstream.readsOf(A)).toBe(1);
    expect(hub.watched()).toBe(0);
    hub.close();
  });

  it('a pair left while its read is on the way is not scheduled again, and rejoins fresh', async () => {
    const upstream = fakeUpstream();
    const hub = hubOn(local());
    const leave = hub.join('s', A, upstream.reader('s'), recorder());
    upstream.hold(A);
    await tick(IN_REVIEW_MS);
    leave();
    upstream.release(A);
    await tick(5 * IN_REVIEW_MS);
    expect(upstream.readsOf(A)).toBe(1);
    const back = recorder();
    hub.join('s', A, upstream.reader('s'), back);
    await tick(IN_REVIEW_MS);
    expect(upstream.readsOf(A)).toBe(2);
    expect(back.events).toEqual([{ id: A, status: 'InReview' }]);
    hub.close();
  });

  it('close stops every poll, and nothing is told after it', async () => {
    const upstream = fakeUpstream();
    const network = fakeNetwork();
    const closing = hubOn(network.fleet('closing'));
    const other = hubOn(network.fleet('other'));
    const listener = recorder();
    closing.join('s', A, upstream.reader('s'), listener);
    other.join('s', A, upstream.reader('s'), recorder());
    closing.close();
    upstream.set(A, 'unknown');
    await tick(5 * IN_REVIEW_MS);
    expect(listener.events).toEqual([]);
    closing.written(A);
    await tick(0);
    expect(upstream.readsOf(A)).toBe(5); // the other replica's alone
    other.close();
  });
});

describe('a fleet of hubs', () => {
  function threeHubs(network = fakeNetwork()) {
    const polls: PollResult[][] = [[], [], []];
    const hubs = ['a', 'b', 'c'].map((owner, i) => hubOn(network.fleet(owner), polls[i]));
    return { network, hubs, polls, close: () => hubs.forEach((hub) => hub.close()) };
  }

  it('reads once per interval across the fleet, and every hub tells the change', async () => {
    const upstream = fakeUpstream();
    const { hubs, close } = threeHubs();
    const listeners = hubs.map((hub) => {
      const listener = recorder();
      hub.join('s', A, upstream.reader('s'), listener);
      return listener;
    });
    await tick(IN_REVIEW_MS);
    expect(upstream.readsOf(A)).toBe(1);
    upstream.set(A, 'Approved');
    await tick(4 * IN_REVIEW_MS);
    expect(upstream.readsOf(A)).toBeLessThanOrEqual(5);
    for (const listener of listeners) {
      expect(listener.events).toEqual([
        { id: A, status: 'InReview' },
        { id: A, status: 'Approved' },
      ]);
    }
    close();
  });

  it('a hub that missed the message gets the change from the last answer at its next claim', async () => {
    const upstream = fakeUpstream();
    const { network, hubs, close } = threeHubs();
    const [a, b] = hubs as [WatchHub, WatchHub, WatchHub];
    const deaf = recorder();
    a.join('s', A, upstream.reader('s'), recorder());
    await tick(IN_REVIEW_MS);
    b.join('s', A, upstream.reader('s'), deaf);
    network.setDeaf(['b']);
    upstream.set(A, 'Approved');
    // a reads the change and b hears nothing, but b's claim right after brings the last answer.
    await tick(IN_REVIEW_MS);
    expect(deaf.events).toEqual([{ id: A, status: 'Approved' }]);
    expect(upstream.readsOf(A)).toBe(2);
    await tick(SETTLED_MS);
    expect(deaf.events).toEqual([{ id: A, status: 'Approved' }]);
    close();
  });

  it('a hub taking the lease over starts from the last answer: no old answer told as news', async () => {
    const upstream = fakeUpstream();
    const { network, hubs, polls, close } = threeHubs();
    const [a, b] = hubs as [WatchHub, WatchHub, WatchHub];
    const leaveA = a.join('s', A, upstream.reader('s'), recorder());
    const late = recorder();
    await tick(IN_REVIEW_MS);
    upstream.set(A, 'Approved');
    network.setDeaf(['b']);
    b.join('s', A, upstream.reader('s'), late);
    hubs[0]?.written(A); // a reads Approved at once, b does not hear it
    await tick(0);
    leaveA(); // a gives its lease up
    upstream.set(A, 'Approved');
    await tick(IN_REVIEW_MS);
    // b's first read of its own finds what the fleet knew: one event, and no 'changed' poll.
    expect(late.events).toEqual([{ id: A, status: 'Approved' }]);
    expect(polls[1]).toEqual(['unchanged']);
    close();
  });

  it('a write on one hub is read by one hub per scope and told on all', async () => {
    const upstream = fakeUpstream();
    const { hubs, close } = threeHubs();
    const listeners = hubs.flatMap((hub) =>
      ['s', 't'].map((scope) => {
        const listener = recorder();
        hub.join(scope, A, upstream.reader(scope), listener);
        return listener;
      }),
    );
    await tick(IN_REVIEW_MS);
    const before = [upstream.readsOf(A, 's'), upstream.readsOf(A, 't')];
    upstream.set(A, 'Approved');
    hubs[2]?.written(A);
    await tick(0);
    expect([upstream.readsOf(A, 's'), upstream.readsOf(A, 't')]).toEqual([
      (before[0] ?? 0) + 1,
      (before[1] ?? 0) + 1,
    ]);
    for (const listener of listeners) expect(listener.events.at(-1)?.status).toBe('Approved');
    close();
  });

  it('with Redis away each hub reads alone, and shares again when it is back', async () => {
    const upstream = fakeUpstream();
    const { network, hubs, close } = threeHubs();
    const listeners = hubs.map((hub) => {
      const listener = recorder();
      hub.join('s', A, upstream.reader('s'), listener);
      return listener;
    });
    await tick(IN_REVIEW_MS);
    expect(upstream.readsOf(A)).toBe(1);
    network.setAway(true);
    network.leases.clear();
    const away = upstream.readsOf(A);
    await tick(2 * IN_REVIEW_MS);
    expect(upstream.readsOf(A) - away).toBeGreaterThanOrEqual(4);
    upstream.set(A, 'Denied');
    await tick(IN_REVIEW_MS);
    for (const listener of listeners) expect(listener.events.at(-1)?.status).toBe('Denied');
    network.setAway(false);
    await tick(IN_REVIEW_MS);
    const back = upstream.readsOf(A);
    await tick(3 * IN_REVIEW_MS);
    expect(upstream.readsOf(A) - back).toBeLessThanOrEqual(4);
    close();
  });

  it('a claim that fails (Redis busy) is a read alone, not a lease someone else holds', async () => {
    const upstream = fakeUpstream();
    const busy: WatchFleet = {
      ...fakeNetwork().fleet('busy'),
      claim: () => Promise.reject(new Error('BUSY Redis is busy running a script')),
    };
    const hub = hubOn(busy);
    const listener = recorder();
    hub.join('s', A, upstream.reader('s'), listener);
    await tick(3 * IN_REVIEW_MS);
    expect(upstream.readsOf(A)).toBe(3);
    expect(listener.events).toEqual([{ id: A, status: 'InReview' }]);
    hub.close();
  });
});
