import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../bench/options.js';
import { roundPlan } from '../../bench/rounds.js';
import { changeFor, comparisonPlan, s1WatchEnv, subscriptionPlan } from '../../bench/s1.js';
import { S1_DEFAULTS } from '../../bench/s1-settings.js';
import {
  fit,
  rssPerThousand,
  spread,
  summariseDeliveries,
  summariseIdle,
  type IdleSample,
} from '../../bench/s1-summary.js';
import { customerOf, replicaOf } from '../../bench/subscription-protocol.js';
import { DEFAULT_WORKLOADS } from '../../bench/workloads.js';
import { loadConfig } from '../../src/config.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `customer-${i}`);

describe("S1's subscriptions", () => {
  it('give every customer 20 subscribers, half on each replica, at the default sizes', () => {
    const plan = { ...subscriptionPlan(S1_DEFAULTS, ids(500)), origins: ['a', 'b'] };
    const byCustomer = new Map<string, number[]>();
    for (let c = 0; c < plan.connections; c += 1) {
      const mine = new Set<string>();
      for (let slot = 0; slot < plan.perConnection; slot += 1) {
        const id = customerOf(c, slot, plan);
        mine.add(id);
        byCustomer.set(id, [...(byCustomer.get(id) ?? []), replicaOf(c, plan)]);
      }
      // A connection's subscriptions watch different customers.
      expect(mine.size).toBe(10);
    }
    expect(byCustomer.size).toBe(500);
    for (const replicas of byCustomer.values()) {
      expect(replicas.filter((r) => r === 0)).toHaveLength(10);
      expect(replicas.filter((r) => r === 1)).toHaveLength(10);
    }
  });

  it('spread every customer over both replicas at the smoke test’s tiny sizes too', () => {
    const plan = {
      connections: 10,
      perConnection: 2,
      customerIds: ids(10),
      connectBatch: 5,
      origins: ['a', 'b'],
    };
    const replicas = new Map<string, Set<number>>();
    for (let c = 0; c < 10; c += 1) {
      for (let slot = 0; slot < 2; slot += 1) {
        const id = customerOf(c, slot, plan);
        replicas.set(id, (replicas.get(id) ?? new Set()).add(replicaOf(c, plan)));
      }
    }
    expect([...replicas.values()].map((set) => set.size)).toEqual(Array(10).fill(2));
  });

  it('change each customer with a qualification the simulator accepts, once or twice', () => {
    expect(changeFor([])).toEqual({ qualification: 'StateOwnedEntity' });
    expect(changeFor(['StateOwnedEntity'])).toEqual({
      qualification: 'Education',
      educationSegment: 'K12',
    });
    expect(changeFor(['Education'])).toEqual({ qualification: 'StateOwnedEntity' });
    expect(changeFor(['Education', 'StateOwnedEntity'])).toBeUndefined();
  });

  it('run their gateways with settings the gateway accepts: polls every interval, cache fresh for half', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      PARTNER_CENTER_BASE_URL: 'http://127.0.0.1:4010',
      ...s1WatchEnv(S1_DEFAULTS),
    });
    expect({
      watchPollSeconds: config.watchPollSeconds,
      watchPollInReviewSeconds: config.watchPollInReviewSeconds,
      cacheMaxAgeSeconds: config.cacheMaxAgeSeconds,
      cacheMaxAgeInReviewSeconds: config.cacheMaxAgeInReviewSeconds,
      subscriptionsPerConnectionMax: config.subscriptionsPerConnectionMax,
    }).toEqual({
      watchPollSeconds: 10,
      watchPollInReviewSeconds: 10,
      cacheMaxAgeSeconds: 5,
      cacheMaxAgeInReviewSeconds: 5,
      subscriptionsPerConnectionMax: 20,
    });
  });
});

describe('S1 options', () => {
  it('run S1 only when asked for, with the issue’s sizes unless told otherwise', () => {
    expect(DEFAULT_WORKLOADS).not.toContain('S1');
    const options = parseOptions(['--workloads', 'S1']);
    expect(options?.s1).toEqual(S1_DEFAULTS);
    expect(S1_DEFAULTS).toEqual({
      connections: 1000,
      perConnection: 10,
      customers: 500,
      intervalSeconds: 10,
      intervals: 3,
      singleChanges: 5,
      compare: true,
    });
    // S1 is its own run, like O1 and F1: never a row of the workload table.
    expect(
      roundPlan({ rounds: 1, latenciesMs: [0], workloads: ['S1', 'W1'], withBefore: false }),
    ).toEqual([{ round: 1, latencyMs: 0, workload: 'W1', before: false }]);
  });

  it('run the W1/W5 pairs once per round, each pair in the other order every second round', () => {
    const order = (rounds: number) =>
      comparisonPlan(rounds, [0, 20]).map(
        (pair) =>
          `${pair.round} ${pair.workload}@${pair.latencyMs}${pair.withFirst ? ' with first' : ''}`,
      );
    expect(order(0)).toEqual([]);
    expect(order(2)).toEqual([
      '1 W1@0',
      '1 W5@0',
      '1 W1@20',
      '1 W5@20',
      '2 W1@0 with first',
      '2 W5@0 with first',
      '2 W1@20 with first',
      '2 W5@20 with first',
    ]);
  });

  it('take smaller sizes, and refuse nonsense', () => {
    const options = parseOptions([
      '--workloads',
      'S1',
      '--s1-connections',
      '10',
      '--s1-per-connection',
      '2',
      '--s1-customers',
      '10',
      '--s1-interval',
      '2',
      '--s1-intervals',
      '1',
      '--s1-singles',
      '0',
      '--s1-no-compare',
    ]);
    expect(options?.s1).toEqual({
      connections: 10,
      perConnection: 2,
      customers: 10,
      intervalSeconds: 2,
      intervals: 1,
      singleChanges: 0,
      compare: false,
    });
    expect(() => parseOptions(['--s1-interval', '0'])).toThrow(
      '--s1-interval must be a whole number ≥ 1',
    );
  });
});

describe("S1's arithmetic", () => {
  it('takes nearest-rank percentiles', () => {
    expect(spread([])).toBeUndefined();
    expect(spread([5, 1, 3, 2, 4])).toEqual({ p50: 3, p99: 5, max: 5 });
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(spread(hundred)).toEqual({ p50: 50, p99: 99, max: 100 });
  });

  it('times each delivery from the read that found the change, and each customer by its last subscriber', () => {
    const summary = summariseDeliveries(
      2,
      5,
      [
        { customerId: 'a', readAt: 1_000, receivedAt: 1_010 },
        { customerId: 'a', readAt: 1_000, receivedAt: 1_030 },
        { customerId: 'b', readAt: 1_500, receivedAt: 1_505 },
        { customerId: 'b', readAt: 1_500, receivedAt: 1_540 },
      ],
      1,
      900,
    );
    expect(summary).toEqual({
      customers: 2,
      subscribers: 5,
      delivered: 4,
      missing: 1,
      latencyMs: { p50: 10, p99: 40, max: 40 },
      customerAllDeliveredMs: { p50: 30, p99: 40, max: 40 },
      pollSpreadMs: 500,
      firstReadToLastDeliveryMs: 540,
      readBeforeChange: 0,
    });
    expect(
      summariseDeliveries(1, 1, [{ customerId: 'a', readAt: 800, receivedAt: 810 }], 0, 900)
        .readBeforeChange,
    ).toBe(1);
  });

  it('counts reads against one per customer per interval, and CPU with and between polls', () => {
    // 40 slices of 250 ms; 5 reads in each of the first 4 slices of every 2 s (8 slices), none
    // after. CPU: 0.001 s per slice always, 0.002 s more per read.
    const samples: IdleSample[] = [];
    let reads = 0;
    let cpu = 0;
    for (let i = 0; i <= 40; i += 1) {
      samples.push({ t: i * 250, reads, gatewayCpu: [cpu / 2, cpu / 2], redisCpu: i * 0.0005 });
      const polling = i % 8 < 4 ? 5 : 0;
      reads += polling;
      cpu += 0.001 + 0.002 * polling;
    }
    const idle = summariseIdle(samples, 10, 2);
    expect(idle.seconds).toBe(10);
    expect(idle.reads).toBe(100);
    expect(idle.expectedReads).toBe(50);
    expect(idle.readRatio).toBe(2);
    expect(idle.readsPerMinute).toBe(600);
    expect(idle.cpuSecondsPerMinute).toBeCloseTo((0.04 + 0.2) * 6, 10);
    expect(idle.cpuSecondsPerMinuteByReplica.map((v) => v.toFixed(6))).toEqual([
      '0.720000',
      '0.720000',
    ]);
    // Slices 5 and 6 of each 8 have no read beside them: 2 of every 8, 0.001 s each per 250 ms.
    expect(idle.betweenPollsSeconds).toBe(2.5);
    expect(idle.betweenPollsCpuSecondsPerMinute).toBeCloseTo(0.24, 10);
    expect(idle.fitted?.idleCpuSecondsPerMinute).toBeCloseTo(0.24, 8);
    expect(idle.fitted?.cpuMsPerRead).toBeCloseTo(2, 8);
    expect(idle.redisCpuSecondsPerMinute).toBeCloseTo(0.12, 10);
  });

  it('fits a line, and says when it cannot', () => {
    expect(fit([{ x: 1, y: 1 }])).toBeUndefined();
    expect(
      fit([
        { x: 1, y: 1 },
        { x: 1, y: 2 },
      ]),
    ).toBeUndefined();
    const line = fit([
      { x: 0, y: 1 },
      { x: 2, y: 5 },
    ]);
    expect(line?.slope).toBeCloseTo(2, 10);
    expect(line?.intercept).toBeCloseTo(1, 10);
  });

  it('divides the RSS a replica grew by its subscriptions, per 1,000', () => {
    expect(rssPerThousand(100 * 2 ** 20, 150 * 2 ** 20, 5_000)).toBe(10 * 2 ** 20);
    expect(rssPerThousand(1, 2, 0)).toBeNaN();
  });
});
