import { Counter, Gauge, type Registry } from 'prom-client';
import type { AuditObserver, AuditReadResult } from '../audit/audit-feed.js';

const READ_RESULTS: readonly AuditReadResult[] = [
  'ok',
  'elsewhere',
  'deferred',
  'throttled',
  'failed',
  'malformed',
];

/** The audit-records feed (docs/cache.md, "The audit feed"): its reads, the records it acted on, and its lag. */
export function createAuditMetrics(
  registry: Registry,
  now: () => number = Date.now,
): AuditObserver {
  const registers = [registry];
  const reads = new Counter({
    name: 'pcgw_audit_reads_total',
    help: 'Turns of the audit-records feed on this replica, by result (ok, elsewhere: another replica holds the lease, deferred: yielded to interactive calls, throttled: 429, failed, malformed: a body that is no collection).',
    labelNames: ['result'] as const,
    registers,
  });
  for (const result of READ_RESULTS) reads.inc({ result }, 0);
  const records = new Counter({
    name: 'pcgw_audit_records_total',
    help: 'Audit records this replica read for the first time, by operation type (the documented customer ones, else other) and outcome (applied, skipped: another kind, not succeeded or no customer id, malformed).',
    labelNames: ['operation', 'outcome'] as const,
    registers,
  });
  let newest: number | undefined;
  new Gauge({
    name: 'pcgw_audit_lag_seconds',
    help: 'Now minus the operation date of the newest audit record this replica applied (0 until one is).',
    registers,
    collect() {
      this.set(newest === undefined ? 0 : Math.max(0, (now() - newest) / 1000));
    },
  });
  return {
    read: (result) => {
      reads.inc({ result });
    },
    record: (operation, outcome) => {
      records.inc({ operation, outcome });
    },
    applied: (operationDate) => {
      newest = Math.max(newest ?? operationDate, operationDate);
    },
  };
}
