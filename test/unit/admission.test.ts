import { describe, expect, it } from 'vitest';
import { createAdmission } from '../../src/overload/admission.js';
import { createHoldTimes, holdTimePriorMs } from '../../src/overload/hold-times.js';

const idle = () => ({ active: 0, queued: 0 });

describe('createAdmission', () => {
  it('cold start: a burst of 100 operations before any hold time is measured is mostly refused', () => {
    const admission = createAdmission({
      maxConcurrency: 16,
      holdTimes: createHoldTimes(holdTimePriorMs(10_000)),
      upstreamLoad: idle,
    });

    const decisions = Array.from({ length: 100 }, () => admission.admit(15, 10_000));

    // Prior 500 ms (cautious 1500): the eighth operation, 105 reads behind, still fits in 5 s.
    expect(decisions.filter((decision) => decision.admitted)).toHaveLength(8);
    expect(decisions.slice(0, 8).every((decision) => decision.admitted)).toBe(true);
    expect(admission.reservedReads()).toBe(120);
    expect(decisions[8]).toEqual({
      admitted: false,
      retryAfterSeconds: 1,
      estimatedMs: ((120 + 15 - 16) / 16) * 500 + 1500,
      allowedMs: 10_000,
    });
  });

  it('admits more once hold times are measured, and again as reservations are released', () => {
    const holdTimes = createHoldTimes(1000);
    const admission = createAdmission({ maxConcurrency: 16, holdTimes, upstreamLoad: idle });
    for (let n = 0; n < 20; n += 1) holdTimes.record(200);

    const admitted = [];
    for (let decision = admission.admit(15, 10_000); decision.admitted;) {
      admitted.push(decision);
      decision = admission.admit(15, 10_000);
    }
    // About 5 s of work at 16 × 5 calls a second: 400 reads, 26 operations.
    expect(admitted).toHaveLength(26);

    for (const decision of admitted) decision.release();
    admitted[0]?.release(); // a second release frees nothing more

    expect(admission.reservedReads()).toBe(0);
    expect(admission.admit(15, 10_000).admitted).toBe(true);
  });

  it('tells how long to wait: when enough of the work ahead will have drained', () => {
    const holdTimes = createHoldTimes(1000);
    holdTimes.record(100);
    for (let n = 0; n < 30; n += 1) holdTimes.record(100);
    const admission = createAdmission({ maxConcurrency: 1, holdTimes, upstreamLoad: idle });
    expect(admission.admit(100, 10_000).admitted).toBe(true);

    const refused = admission.admit(10, 10_000);

    // 109 rounds of 100 ms ahead and a cautious 150 ms round trip, 5 s allowed: a little over
    // 6 s too many, rounded up.
    expect(refused).toEqual({
      admitted: false,
      retryAfterSeconds: 7,
      estimatedMs: 109 * 100 + 150,
      allowedMs: 10_000,
    });
  });

  it('admits behind another caller as before after one slow answer, and after one timeout', () => {
    const holdTimes = createHoldTimes(75, 1500);
    for (let n = 0; n < 40; n += 1) holdTimes.record(40);
    const admission = createAdmission({ maxConcurrency: 4, holdTimes, upstreamLoad: idle });
    const ahead = admission.admit(20, 1500);
    const behind = () => {
      const decision = admission.admit(20, 1500);
      if (decision.admitted) decision.release();
      return decision.admitted;
    };
    expect([ahead.admitted, behind()]).toEqual([true, true]);

    holdTimes.record(1400);
    expect(behind()).toBe(true);
    holdTimes.censored(1500);
    // Nine rounds of 40 ms and a cautious round trip of 120 ms, within 750 ms.
    expect(behind()).toBe(true);
    expect(admission.reservedReads()).toBe(20);
  });

  it('counts calls in the queue that no operation reserved', () => {
    const admission = createAdmission({
      maxConcurrency: 4,
      holdTimes: createHoldTimes(1000),
      upstreamLoad: () => ({ active: 4, queued: 40 }),
    });

    expect(admission.admit(1, 10_000).admitted).toBe(false);
  });

  it('always admits with nothing ahead, and operations that read nothing upstream', () => {
    const admission = createAdmission({
      maxConcurrency: 1,
      holdTimes: createHoldTimes(1000),
      upstreamLoad: idle,
    });

    expect(admission.admit(100, 1000).admitted).toBe(true);
    expect(admission.admit(0, 1000).admitted).toBe(true);
    expect(admission.reservedReads()).toBe(100);
  });

  it('shrinks a reservation as its calls take a slot, where the load counts them instead', () => {
    let load = { active: 0, queued: 0 };
    const admission = createAdmission({
      maxConcurrency: 4,
      holdTimes: createHoldTimes(1000),
      upstreamLoad: () => load,
    });
    let taken = 0;
    const large = admission.admit(60, 10_000, () => taken);
    const small = () => {
      const decision = admission.admit(4, 10_000);
      if (decision.admitted) decision.release();
      return decision.admitted;
    };
    // 14 rounds of the 1 s prior ahead, and a cautious 3 s: more than half of 10 s.
    expect([admission.reservedReads(), small()]).toEqual([60, false]);

    // 4 in slots and 56 queued: both counts hold the same calls.
    taken = 4;
    load = { active: 4, queued: 56 };
    expect([admission.reservedReads(), small()]).toEqual([56, false]);

    // All 60 taken (a retry or an uncharged read may make it more), one still in its slot: that
    // call is what stands ahead, not the 60 reserved.
    taken = 61;
    load = { active: 1, queued: 0 };
    expect([admission.reservedReads(), small()]).toEqual([0, true]);
    expect(admission.admittedOperations()).toBe(1);

    if (large.admitted) large.release();
    expect([admission.reservedReads(), admission.admittedOperations()]).toEqual([0, 0]);
  });
});
