import { randomUUID } from 'node:crypto';
import { json, type Reply } from './faults.js';

/** One audit record as Partner Center sends it (`GET /v1/auditrecords`). */
export type StoredAuditRecord = {
  readonly id: string;
  readonly partnerId: string;
  readonly customerId: string;
  readonly customerName: string;
  readonly userPrincipalName: string;
  readonly applicationId: string;
  readonly resourceType: string;
  readonly resourceOldValue: string;
  readonly resourceNewValue: string;
  readonly operationType: string;
  readonly operationDate: string;
  readonly operationStatus: 'succeeded' | 'failed' | 'progress';
  readonly customizedData: readonly { key: string; value: string }[];
  readonly originalCorrelationId: string;
};

export interface AuditEvent {
  readonly customerId: string;
  readonly customerName: string;
  readonly resourceType: string;
  readonly operationType: string;
  readonly newValue: unknown;
  /** Who made the change: the gateway's caller, or someone "elsewhere" (the dashboard). */
  readonly by: string;
}

const PARTNER_ID = '00000000-0000-4000-8000-00000000beef';
const TOKEN_PREFIX = 'sima.';
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DEFAULT_PAGE_SIZE = 100;

interface Cursor {
  readonly startDate: string;
  readonly endDate: string;
  readonly offset: number;
}

/**
 * The partner's activity log, as the simulator writes it: one succeeded record per change it
 * applies, dated by its clock. `records` may be added to directly (tests, odd shapes).
 */
export class AuditLog {
  readonly records: Record<string, unknown>[] = [];

  constructor(
    private readonly now: () => number,
    private readonly pageSize = DEFAULT_PAGE_SIZE,
  ) {}

  add(event: AuditEvent): void {
    const record: StoredAuditRecord = {
      id: randomUUID(),
      partnerId: PARTNER_ID,
      customerId: event.customerId,
      customerName: event.customerName,
      userPrincipalName: event.by,
      applicationId: '',
      resourceType: event.resourceType,
      resourceOldValue: '',
      resourceNewValue: JSON.stringify(event.newValue),
      operationType: event.operationType,
      operationDate: new Date(this.now()).toISOString(),
      operationStatus: 'succeeded',
      customizedData: [],
      originalCorrelationId: randomUUID(),
    };
    this.records.push(record);
  }

  clear(): void {
    this.records.length = 0;
  }

  /**
   * `GET /v1/auditrecords?startDate=&endDate=` (whole UTC days, both included; no end: today)
   * and its continuation (`seekOperation=next` with `MS-ContinuationToken`), oldest first.
   */
  list(query: URLSearchParams, continuationToken: string | undefined): Reply {
    const cursor =
      query.get('seekOperation') === 'next'
        ? parseToken(continuationToken)
        : rangeOf(query, this.now());
    if (cursor === undefined) {
      return json(400, { code: 400, description: 'Invalid date range or continuation token.' });
    }
    const from = Date.parse(`${cursor.startDate}T00:00:00Z`);
    const to = Date.parse(`${cursor.endDate}T00:00:00Z`) + 86_400_000;
    const matches = this.records.filter((record) => {
      const at = Date.parse(String(record['operationDate']));
      return !(at < from) && !(at >= to);
    });
    const end = cursor.offset + this.pageSize;
    const next = end < matches.length ? makeToken({ ...cursor, offset: end }) : undefined;
    return json(200, {
      totalCount: matches.length,
      items: matches.slice(cursor.offset, end),
      links:
        next === undefined
          ? { self: { uri: '/auditrecords', method: 'GET', headers: [] } }
          : {
              self: { uri: '/auditrecords', method: 'GET', headers: [] },
              next: {
                uri: '/auditrecords?seekOperation=next',
                method: 'GET',
                headers: [{ key: 'MS-ContinuationToken', value: next }],
              },
            },
      attributes: { objectType: 'Collection' },
    });
  }
}

function rangeOf(query: URLSearchParams, now: number): Cursor | undefined {
  const today = new Date(now).toISOString().slice(0, 10);
  const startDate = query.get('startDate') ?? today;
  const endDate = query.get('endDate') ?? today;
  if (!DAY.test(startDate) || !DAY.test(endDate) || endDate < startDate) return undefined;
  return { startDate, endDate, offset: 0 };
}

function makeToken(cursor: Cursor): string {
  return TOKEN_PREFIX + Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function parseToken(token: string | undefined): Cursor | undefined {
  if (token?.startsWith(TOKEN_PREFIX) !== true) return undefined;
  try {
    const { startDate, endDate, offset } = JSON.parse(
      Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8'),
    ) as Record<string, unknown>;
    return typeof startDate === 'string' &&
      DAY.test(startDate) &&
      typeof endDate === 'string' &&
      DAY.test(endDate) &&
      typeof offset === 'number' &&
      Number.isSafeInteger(offset) &&
      offset >= 0
      ? { startDate, endDate, offset }
      : undefined;
  } catch {
    return undefined;
  }
}
