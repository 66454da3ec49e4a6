import { fixed, table } from './markdown-table.js';
import { formatSpread, spread } from './rounds.js';
import type { S1Comparison, S1Result } from './s1.js';
import type { DeliverySummary, Spread } from './s1-summary.js';

/** S1's tables: the issue's targets first, then W1 and W5 beside idle subscriptions. */

const MiB = 2 ** 20;
const TARGET = { readRatio: 1.05, rssPerThousandMiB: 20, p99Ms: 1000 } as const;

const met = (ok: boolean | undefined) => (ok === undefined ? '—' : ok ? 'met' : 'NOT met');
const ms = (value: Spread | undefined) =>
  value === undefined ? '—' : `${value.p50} / ${value.p99} / ${value.max}`;

function deliveryRows(label: string, d: DeliverySummary | undefined): string[][] {
  if (d === undefined) return [];
  const p99 = d.latencyMs?.p99;
  return [
    [
      `${label}: change → delivery per subscriber, p50 / p99 / max ms (${d.delivered} of ${d.subscribers} subscribers of ${d.customers} customers${d.missing > 0 ? `, ${d.missing} MISSING` : ''})`,
      ms(d.latencyMs),
      `p99 ≤ ${TARGET.p99Ms}`,
      met(p99 === undefined || d.missing > 0 ? false : p99 <= TARGET.p99Ms),
    ],
    [
      `${label}: until a customer's last subscriber has it, per customer, p50 / p99 / max ms`,
      ms(d.customerAllDeliveredMs),
      '',
      '',
    ],
  ];
}

export function formatS1(r: S1Result): string {
  const s = r.settings;
  const rss = r.memory.map((m) => m.rssPerThousandBytes / MiB);
  const idle = r.idle;
  const rows: string[][] = [
    [
      `Partner Center reads ÷ (${s.customers} customers / ${s.intervalSeconds} s) over ${idle.seconds.toFixed(1)} s (${idle.reads} reads, ${idle.readsPerMinute.toFixed(0)}/min)`,
      fixed(idle.readRatio, 3),
      `≤ ${TARGET.readRatio}`,
      met(idle.readRatio <= TARGET.readRatio),
    ],
    [
      `RSS per 1,000 idle subscriptions, MiB, per replica, as it is ${s.intervals + 1} intervals after opening, before V8 may have given back the opening's young generation (bench/s1-rss-over-time.ts follows it longer) (${r.memory.map((m) => `${m.subscriptions} subs: ${fixed(m.rssWithoutBytes / MiB, 0)} → ${fixed(m.rssWithBytes / MiB, 0)} MiB`).join('; ')})`,
      rss.map((v) => fixed(v, 1)).join(' / '),
      `≤ ${TARGET.rssPerThousandMiB}`,
      met(rss.every((v) => v <= TARGET.rssPerThousandMiB)),
    ],
    [
      `… after a full GC in each (inspector), MiB per 1,000: RSS / V8 heap used (${r.memory.map((m) => `RSS ${fixed(m.collectedWithout.rssBytes / MiB, 0)} → ${fixed(m.collectedWith.rssBytes / MiB, 0)}, heap ${fixed(m.collectedWithout.heapUsedBytes / MiB, 0)} → ${fixed(m.collectedWith.heapUsedBytes / MiB, 0)} MiB`).join('; ')})`,
      r.memory
        .map(
          (m) =>
            `${fixed(m.collectedRssPerThousandBytes / MiB, 1)} / ${fixed(m.heapUsedPerThousandBytes / MiB, 1)}`,
        )
        .join('; '),
      `≤ ${TARGET.rssPerThousandMiB}`,
      met(r.memory.every((m) => m.collectedRssPerThousandBytes / MiB <= TARGET.rssPerThousandMiB)),
    ],
    [
      'CPU s per minute, both replicas, idle with subscriptions: whole intervals / between polls',
      `${fixed(idle.cpuSecondsPerMinute, 2)} / ${fixed(idle.betweenPollsCpuSecondsPerMinute, 2)} (over ${idle.betweenPollsSeconds.toFixed(1)} s)`,
      '',
      '',
    ],
    [
      'CPU s per minute, both replicas, with subscriptions and no poll (fitted: CPU rate against read rate, at 0 reads) / CPU ms per poll (slope)',
      idle.fitted === undefined
        ? '—'
        : `${fixed(idle.fitted.idleCpuSecondsPerMinute, 2)} / ${fixed(idle.fitted.cpuMsPerRead, 2)}`,
      '',
      '',
    ],
    [
      'CPU s per minute, both replicas, before any subscription / redis-server with them',
      `${fixed(r.idleWithoutCpuSecondsPerMinute, 2)} / ${fixed(idle.redisCpuSecondsPerMinute, 2)}`,
      '',
      '',
    ],
    ...deliveryRows(`all ${r.changeAll.customers} customers at once`, r.changeAll),
    [
      `all ${r.changeAll.customers} customers at once: spread of the polls that found them / first such read → last delivery, ms`,
      `${fixed(r.changeAll.pollSpreadMs, 0)} / ${fixed(r.changeAll.firstReadToLastDeliveryMs, 0)}`,
      '',
      '',
    ],
    ...deliveryRows(`${r.singles.length} single-customer changes`, r.singlesTogether),
  ];
  const rounds = Math.max(0, ...r.comparisons.map((c) => c.round));
  const comparisons = r.comparisons.map((c) => [
    ...(rounds > 1 ? [`${c.round}${c.withFirst ? ' (subs first)' : ''}`] : []),
    c.workload,
    String(c.latencyMs),
    c.without.opsPerSecond.toFixed(0),
    c.with.opsPerSecond.toFixed(0),
    fixed(c.opsRatio, 2),
    `${c.without.load.latencyMs.p50} / ${c.without.load.latencyMs.p99}`,
    `${c.with.load.latencyMs.p50} / ${c.with.load.latencyMs.p99}`,
    fixed(c.without.gateway?.cpuSecondsPer1000Operations, 3),
    fixed(c.with.gateway?.cpuSecondsPer1000Operations, 3),
    fixed(c.cpuPerOperationRatio, 2),
    `${fixed((c.without.gateway?.peakRssBytes ?? Number.NaN) / MiB, 0)} / ${fixed((c.with.gateway?.peakRssBytes ?? Number.NaN) / MiB, 0)}`,
    `${fixed(c.without.upstreamCallsPerOperation, 2)} / ${fixed(c.with.upstreamCallsPerOperation, 2)}`,
    `${fixed(c.without.otherCpuPercent, 0)} / ${fixed(c.with.otherCpuPercent, 0)}`,
    `${fixed(helperThreadsCpu(c.without), 0)} / ${fixed(helperThreadsCpu(c.with), 0)}`,
    `${fixed(gcPause(c.without), 1)} / ${fixed(gcPause(c.with), 1)}`,
    String(
      c.without.load.non2xx +
        c.without.load.errors +
        c.without.load.graphqlErrors +
        c.with.load.non2xx +
        c.with.load.errors +
        c.with.load.graphqlErrors,
    ),
  ]);
  const checks = [
    `${r.subscriptions} subscriptions over ${r.connections} connections opened in ${r.openSeconds.toFixed(1)} s (every one past its first event);`,
    `polls by result while opening ${JSON.stringify(r.polls.opening)}, idle ${JSON.stringify(r.polls.idle)}, during the changes ${JSON.stringify(r.polls.changes)}; ${r.events} events handed to subscribers;`,
    `Partner Center watch reads by outcome ${JSON.stringify(r.watchAttempts)}; ${r.errorEvents} events carried errors instead of the customer;`,
    `${r.unexpectedEvents} events nobody expected, ${r.droppedConnections} sockets dropped, ${r.changeAll.readBeforeChange + (r.singlesTogether?.readBeforeChange ?? 0)} changes read before they were made${r.clientErrors.length > 0 ? `; client errors: ${r.clientErrors.join(' | ')}` : ''};`,
    `the subscription worker used ${r.workerCpuSeconds.toFixed(1)} CPU s (not in the gateways').`,
  ];
  return [
    `S1: ${r.subscriptions} subscriptions (${s.perConnection} per connection) over ${r.connections} graphql-ws connections, ${s.customers} customers, 2 gateways sharing one redis-server, simulator 20 ms, WATCH_POLL_SECONDS = WATCH_POLL_IN_REVIEW_SECONDS = ${s.intervalSeconds}, gateway env ${JSON.stringify(r.gatewayEnv)}`,
    '',
    table(['measure', 'value', 'target', ''], rows),
    '',
    checks.join('\n'),
    ...(comparisons.length === 0
      ? []
      : [
          '',
          `W1 (cold) and W5 (warm) on one gateway with ${r.subscriptions} idle subscriptions (${r.connections} connections) open vs none, same run (gateway env adds ${JSON.stringify({ WATCH_POLL_SECONDS: s.intervalSeconds })} to both):`,
          '',
          table(
            [
              ...(rounds > 1 ? ['round'] : []),
              'workload',
              'latency ms',
              'ops/s none',
              'ops/s subs',
              'subs/none ops',
              'p50 / p99 ms none',
              'p50 / p99 ms subs',
              'CPU s/1k ops none',
              'CPU s/1k ops subs',
              'subs/none CPU per op',
              'peak RSS MiB none / subs',
              'upstream calls/op none / subs',
              'other CPU % none / subs',
              'gateway helper threads CPU % none / subs',
              'main-thread GC pause % none / subs',
              'failures',
            ],
            comparisons,
          ),
          ...(rounds > 1
            ? [
                '',
                `The same pairs over ${rounds} rounds: median (min–max) of the ratios within each pair:`,
                '',
                table(
                  ['workload', 'latency ms', 'subs/none ops/s', 'subs/none CPU per op', 'rounds'],
                  medianRows(r.comparisons),
                ),
              ]
            : []),
        ]),
  ].join('\n');
}

/** The gateway's CPU off its main thread (V8's GC and compiler helpers, libuv), percent of a core. */
function helperThreadsCpu(run: S1Comparison['with']): number | undefined {
  const gateway = run.gateway;
  if (gateway?.mainThreadCpuPercent === undefined) return undefined;
  return gateway.cpuPercent - gateway.mainThreadCpuPercent;
}

/** The gateway's main-thread GC pauses of every kind, percent of the measured wall time. */
function gcPause(run: S1Comparison['with']): number | undefined {
  const share = run.gateway?.gcPausePercent;
  return share === undefined ? undefined : Object.values(share).reduce((a, b) => a + b, 0);
}

/** Each workload×latency's ratios over the rounds, in the order the pairs first ran. */
function medianRows(comparisons: readonly S1Comparison[]): string[][] {
  const groups = new Map<string, S1Comparison[]>();
  for (const c of comparisons) {
    const key = `${c.workload} ${c.latencyMs}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.values()].map((pairs) => {
    const first = pairs[0];
    const cpu = pairs.flatMap((c) =>
      c.cpuPerOperationRatio === undefined ? [] : [c.cpuPerOperationRatio],
    );
    return [
      first?.workload ?? '',
      String(first?.latencyMs ?? ''),
      formatSpread(spread(pairs.map((c) => c.opsRatio)), 2),
      formatSpread(spread(cpu), 2),
      String(pairs.length),
    ];
  });
}
