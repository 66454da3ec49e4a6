import { describe, expect, it } from 'vitest';
import { memoryAppliedRecords, type AppliedRecords } from '../../src/audit/applied-records.js';
import { createAuditFeed, type AuditObserver } from '../../src/audit/audit-feed.js';
import type { RecordEffects } from '../../src/audit/record-effects.js';
import type {
  AuditRecord,
  AuditRecordsRequest,
  AuditRecordsPage,
} from '../../src/partner-center/types.js';
import { UpstreamError } from '../../src/partner-center/upstream-error.js';
import { fakeApi } from '../helpers/fake-api.js';
import { captureLogs } from '../helpers/log-capture.js';

const A = 'a0000000-0000-4000-8000-000000000001';
const B = 'b0000000-0000-4000-8000-000000000002';

function record(id: string, fields: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id,
    customerId: A,
    resourceType: 'customer',
    operationType: 'update_customer_qualification',
    operationStatus: 'succeeded',
    operationDate: Date.parse('2026-12-02T10:00:00Z'),
    ...fields,
  };
}

interface Harness {
  readonly requests: AuditRecordsRequest[];
  readonly applied: [string, RecordEffects][];
  readonly observed: string[];
  readonly logs: ReturnType<typeof captureLogs>;
  readonly feed: ReturnType<typeof createAuditFeed>;
  clock: number;
}

function harness(
  pages: (request: AuditRecordsRequest) => AuditRecordsPage | Promise<AuditRecordsPage>,
  store: AppliedRecords = memoryAppliedRecords(),
  claim: () => Promise<number> = () => Promise.resolve(0),
): Harness {
  const logs = captureLogs();
  const observer: AuditObserver = {
    read: (result) => h.observed.push(`read:${result}`),
    record: (operation, outcome) => h.observed.push(`${operation}:${outcome}`),
    applied: () => undefined,
  };
  const h: Harness = {
    requests: [],
    applied: [],
    observed: [],
    logs,
    clock: Date.parse('2026-12-02T12:00:00Z'),
    feed: createAuditFeed({
      api: fakeApi({
        listAuditRecords: async (request, call) => {
          expect(call.purpose).toBe('watch');
          expect(await call.authorize()).toBe('Bearer app');
          h.requests.push(request);
          return pages(request);
        },
      }),
      authorize: () => Promise.resolve('Bearer app'),
      intervalMs: 60_000,
      timeoutMs: 5_000,
      claim,
      applied: store,
      apply: (id, effects) => {
        h.applied.push([id, effects]);
        return Promise.resolve();
      },
      logger: logs.logger,
      observer,
      now: () => h.clock,
    }),
  };
  return h;
}

const page = (items: AuditRecord[], nextToken: string | null = null, malformed = 0) => ({
  items,
  nextToken,
  malformed,
});

describe('the audit feed', () => {
  it('follows continuation pages and applies each record once, across reads', async () => {
    const h = harness((request) =>
      request.continuationToken === undefined
        ? page([record('r1')], 'next-1')
        : page([record('r2', { customerId: B, operationType: 'add_customer' })]),
    );
    expect(await h.feed.tick()).toBe('ok');
    expect(await h.feed.tick()).toBe('ok');
    expect(h.requests).toEqual([
      { startDate: '2026-12-01', endDate: '2026-12-02', continuationToken: undefined },
      { startDate: '2026-12-01', endDate: '2026-12-02', continuationToken: 'next-1' },
      // The last read was today: today only.
      { startDate: '2026-12-02', endDate: '2026-12-02', continuationToken: undefined },
      { startDate: '2026-12-02', endDate: '2026-12-02', continuationToken: 'next-1' },
    ]);
    expect(h.applied).toEqual([
      [A, { qualifications: true, profiles: false }],
      [B, { qualifications: false, profiles: true }],
    ]);
    expect(h.observed).toEqual([
      'update_customer_qualification:applied',
      'add_customer:applied',
      'read:ok',
      'read:ok',
    ]);
  });

  it('reads yesterday too on the first read after midnight, and misses no record of its last minutes', async () => {
    const late = record('late', { operationDate: Date.parse('2026-12-02T23:59:50Z') });
    let published: AuditRecord[] = [];
    const h = harness((request) =>
      page(
        published.filter(
          (r) => new Date(r.operationDate ?? 0).toISOString().slice(0, 10) >= request.startDate,
        ),
      ),
    );
    h.clock = Date.parse('2026-12-02T23:59:40Z');
    await h.feed.tick();
    published = [late];
    h.clock = Date.parse('2026-12-03T00:00:40Z');
    await h.feed.tick();
    h.clock = Date.parse('2026-12-03T00:01:40Z');
    await h.feed.tick();
    expect(h.requests.map((r) => `${r.startDate}..${r.endDate}`)).toEqual([
      '2026-12-01..2026-12-02',
      '2026-12-02..2026-12-03',
      '2026-12-03..2026-12-03',
    ]);
    expect(h.applied).toEqual([[A, { qualifications: true, profiles: false }]]);
  });

  it('skips other kinds, failed and running operations and records without a customer; counts unreadable items and logs them once', async () => {
    const h = harness(() =>
      page(
        [
          record('order', { resourceType: 'order', operationType: 'create_order' }),
          record('failed', { operationStatus: 'failed' }),
          record('running', { operationStatus: 'progress' }),
          record('nobody', { customerId: null }),
          record('gone', { operationType: 'remove_partner_customer_relationship' }),
          record('renamed', {
            customerId: B,
            operationType: 'update_customer_partner_contract_company_name',
          }),
        ],
        null,
        2,
      ),
    );
    expect(await h.feed.tick()).toBe('ok');
    expect(h.applied).toEqual([
      [A, { qualifications: true, profiles: true }],
      [B, { qualifications: false, profiles: true }],
    ]);
    expect(h.observed).toEqual([
      'other:malformed',
      'other:malformed',
      'other:skipped',
      'update_customer_qualification:skipped',
      'update_customer_qualification:skipped',
      'update_customer_qualification:skipped',
      'remove_partner_customer_relationship:applied',
      'update_customer_partner_contract_company_name:applied',
      'read:ok',
    ]);
    expect(h.logs.entries().filter((e) => String(e['msg']).startsWith('audit records'))).toEqual([
      expect.objectContaining({ malformed: 2, msg: 'audit records: unreadable items skipped' }),
    ]);
  });

  it('a restarted reader sharing the bookkeeping replays nothing', async () => {
    const store = memoryAppliedRecords();
    const first = harness(() => page([record('r1')]), store);
    await first.feed.tick();
    const second = harness(() => page([record('r1'), record('r2', { customerId: B })]), store);
    await second.feed.tick();
    expect(first.applied).toEqual([[A, { qualifications: true, profiles: false }]]);
    expect(second.applied).toEqual([[B, { qualifications: true, profiles: false }]]);
  });

  it('a 429, a malformed body or a deferral is counted and logged, never thrown, and the records are read next time', async () => {
    let fail: UpstreamError | undefined = new UpstreamError('status', 'throttled', {
      status: 429,
      retryAfterSeconds: 30,
    });
    const h = harness(() => {
      if (fail !== undefined) throw fail;
      return page([record('r1')]);
    });
    expect(await h.feed.tick()).toBe('throttled');
    fail = new UpstreamError('bad-response', 'unexpected audit records shape');
    expect(await h.feed.tick()).toBe('malformed');
    fail = new UpstreamError('deferred', 'yield', { retryAfterSeconds: 1 });
    expect(await h.feed.tick()).toBe('deferred');
    fail = undefined;
    expect(await h.feed.tick()).toBe('ok');
    expect(h.applied).toEqual([[A, { qualifications: true, profiles: false }]]);
    // Never read successfully before: every try read yesterday too.
    expect(new Set(h.requests.map((r) => r.startDate))).toEqual(new Set(['2026-12-01']));
    expect(
      h.logs.entries().filter((e) => e['msg'] === 'audit records read failed: trying again later'),
    ).toHaveLength(2);
  });

  it('reads nothing while another replica holds the lease', async () => {
    const h = harness(
      () => page([record('r1')]),
      memoryAppliedRecords(),
      () => Promise.resolve(5_000),
    );
    expect(await h.feed.tick()).toBe('elsewhere');
    expect(h.requests).toEqual([]);
  });
});
