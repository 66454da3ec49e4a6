import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { qualificationsKind, type QualificationsRead } from '../../src/cache/qualifications.js';
import { createReadCache } from '../../src/cache/read-cache.js';
import { appScope, userScope } from '../../src/cache/scope.js';
import type { CallContext } from '../../src/partner-center/types.js';
import { UpstreamError } from '../../src/partner-center/upstream-error.js';
import { captureLogs } from '../helpers/log-capture.js';

const KIND = qualificationsKind({ settledSeconds: 300, inReviewSeconds: 30 });
// App mode: every caller of the gateway reads in this one scope, and shares its runs.
const SCOPE = appScope('contoso.onmicrosoft.com', '00000000-0000-4000-8000-0000000000aa');

function call(deadlineAt: number | undefined): CallContext {
  return {
    authorize: () => Promise.resolve('Bearer app'),
    correlationId: '00000000-0000-4000-8000-000000000000',
    forwardedHeaders: {},
    deadlineAt,
  };
}

const cache = () =>
  createReadCache({
    maxEntries: 100,
    staleIfErrorSeconds: 60,
    maxEntryLifetimeSeconds: 360,
    logger: captureLogs().logger,
  });

/**
 * Partner Center behind a busy gateway: an answer takes 100 ms once a slot is free in 100 ms; a
 * call that could not be done by its deadline is shed (`overloaded`) without being sent, as the
 * slot queue and the call budget do.
 */
function busyUpstream() {
  const deadlines: (number | undefined)[] = [];
  let sent = 0;
  const fetch = async (shared: CallContext): Promise<QualificationsRead> => {
    deadlines.push(shared.deadlineAt);
    await sleep(100);
    if (shared.deadlineAt !== undefined && shared.deadlineAt - Date.now() < 100) {
      throw new UpstreamError('overloaded', 'shed while queued: too little time left');
    }
    sent += 1;
    await sleep(100);
    return [];
  };
  return { fetch, deadlines, sent: () => sent };
}

describe('a shared read started by a caller short of time', () => {
  it('does not fail another caller that joined it with time to spare', async () => {
    const reads = cache();
    const upstream = busyUpstream();
    const id = '30000000-0000-4000-8000-0000000000c1';
    const options = (deadlineAt: number) => ({ call: call(deadlineAt), readThrough: false });

    const hurried = reads.read(KIND, SCOPE, id, upstream.fetch, options(Date.now() + 150));
    await sleep(20);
    // Joins the run already under way, with ten seconds to spare.
    const patient = reads.read(KIND, SCOPE, id, upstream.fetch, options(Date.now() + 10_000));

    await expect(hurried).rejects.toMatchObject({ kind: 'overloaded' });
    expect(await patient).toMatchObject({ value: [], stale: false, source: 'upstream' });
    // Its own run, under its own deadline, after the one it joined was shed.
    expect(upstream.deadlines).toHaveLength(2);
    expect(upstream.sent()).toBe(1);
  });

  it('gives the caller that started it its own outcome, and no second call', async () => {
    const reads = cache();
    const upstream = busyUpstream();
    const id = '30000000-0000-4000-8000-0000000000c2';
    const deadline = Date.now() + 150;
    const first = reads.read(KIND, SCOPE, id, upstream.fetch, {
      call: call(deadline),
      readThrough: false,
    });
    const same = reads.read(KIND, SCOPE, id, upstream.fetch, {
      call: call(deadline),
      readThrough: false,
    });
    await expect(first).rejects.toMatchObject({ kind: 'overloaded' });
    await expect(same).rejects.toMatchObject({ kind: 'overloaded' });
    expect(upstream.deadlines).toHaveLength(1);
  });
});

describe('stale if error, after one bad event', () => {
  const A = userScope('Bearer caller-a');
  const B = userScope('Bearer caller-b');
  const options = { call: call(undefined), readThrough: false };
  const answers = (value: QualificationsRead) => () => Promise.resolve(value);
  const fails = (error: UpstreamError) => () => Promise.reject(error);
  const APPROVED: QualificationsRead = [
    {
      qualification: 'Education',
      vettingStatus: 'Approved',
      vettingReason: null,
      vettingCreatedDate: null,
    },
  ];

  it('keeps a malformed answer out: the entry stays, covers the failure, and the next answer replaces it', async () => {
    // In review: fresh for 30 s only; 31 s later it is stale.
    const reads = cache();
    const id = '30000000-0000-4000-8000-0000000000d1';
    const inReview: QualificationsRead = [
      {
        qualification: 'Education',
        vettingStatus: 'InReview',
        vettingReason: null,
        vettingCreatedDate: null,
      },
    ];
    await reads.read(KIND, A, id, answers(inReview), options);
    const now = Date.now();
    const later = vi.spyOn(Date, 'now').mockReturnValue(now + 31_000);
    try {
      const malformed = new UpstreamError('bad-response', 'an answer that does not parse');
      expect(await reads.read(KIND, A, id, fails(malformed), options)).toMatchObject({
        value: inReview,
        stale: true,
      });
      // Nothing of it was kept: the next healthy answer is read and served fresh.
      expect(await reads.read(KIND, A, id, answers(APPROVED), options)).toMatchObject({
        value: APPROVED,
        stale: false,
        source: 'upstream',
      });
      expect(await reads.read(KIND, A, id, fails(malformed), options)).toMatchObject({
        value: APPROVED,
        source: 'memory',
      });
    } finally {
      later.mockRestore();
    }
  });

  it('never covers one scope with another scope’s entry, nor drops it for a refusal', async () => {
    const reads = cache();
    const id = '30000000-0000-4000-8000-0000000000d2';
    await reads.read(KIND, A, id, answers(APPROVED), options);
    // B has nothing of its own: its failure is its own, whatever A holds.
    const down = new UpstreamError('status', 'Partner Center failed', { status: 503 });
    await expect(reads.read(KIND, B, id, fails(down), options)).rejects.toBe(down);
    // B's token is refused: B's error, and A's entry is untouched.
    const refused = new UpstreamError('status', 'token expired', { status: 401 });
    await expect(
      reads.read(KIND, B, id, fails(refused), { ...options, readThrough: true }),
    ).rejects.toBe(refused);
    expect(await reads.read(KIND, A, id, fails(down), options)).toMatchObject({
      value: APPROVED,
      source: 'memory',
    });
  });

  it('starts afresh for the next reader once every reader of a run has gone', async () => {
    const reads = cache();
    const id = '30000000-0000-4000-8000-0000000000d3';
    const gone = new AbortController();
    const hanging = (shared: CallContext) =>
      new Promise<QualificationsRead>((_resolve, reject) => {
        shared.signal?.addEventListener('abort', () => {
          reject(new UpstreamError('aborted', 'cancelled'));
        });
      });
    const left = reads.read(KIND, A, id, hanging, {
      call: { ...call(undefined), signal: gone.signal },
      readThrough: false,
    });
    gone.abort();
    await expect(left).rejects.toMatchObject({ kind: 'aborted' });
    expect(await reads.read(KIND, A, id, answers(APPROVED), options)).toMatchObject({
      value: APPROVED,
      source: 'upstream',
    });
  });
});
