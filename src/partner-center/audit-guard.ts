import { nextContinuationToken } from './continuation-token.js';
import type { AuditRecord, AuditRecordsPage } from './types.js';
import { UpstreamError } from './upstream-error.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Narrows a `GET /v1/auditrecords` page. The collection itself must be one (else nothing can be
 * trusted: a bad response), but one unreadable item must not hide the others: it is left out
 * and counted. A next link without a usable token is a bad response too: the page could not be
 * followed, and records behind it would be missed.
 */
export function parseAuditRecordsPage(json: unknown): AuditRecordsPage {
  if (!isObject(json) || !Array.isArray(json['items'])) {
    throw bad('expected a collection with items');
  }
  const items: AuditRecord[] = [];
  let malformed = 0;
  for (const item of json['items'] as unknown[]) {
    const record = parseAuditRecord(item);
    if (record === undefined) malformed += 1;
    else items.push(record);
  }
  const nextToken = nextContinuationToken(json['links']);
  if (nextToken === undefined) throw bad('links.next has no usable MS-ContinuationToken header');
  return { items, malformed, nextToken };
}

/** One record, or `undefined` when it lacks what any use of it needs. */
export function parseAuditRecord(json: unknown): AuditRecord | undefined {
  if (!isObject(json)) return undefined;
  const { id, customerId, resourceType, operationType, operationStatus, operationDate } = json;
  if (typeof id !== 'string' || id.trim() === '') return undefined;
  if (typeof operationType !== 'string' || typeof operationStatus !== 'string') return undefined;
  const date = typeof operationDate === 'string' ? Date.parse(operationDate) : Number.NaN;
  return {
    id: id.trim(),
    customerId:
      typeof customerId === 'string' && GUID.test(customerId) ? customerId.toLowerCase() : null,
    resourceType: typeof resourceType === 'string' ? resourceType.trim().toLowerCase() : '',
    operationType: operationType.trim().toLowerCase(),
    operationStatus: operationStatus.trim().toLowerCase(),
    operationDate: Number.isFinite(date) ? date : null,
  };
}

function bad(reason: string): UpstreamError {
  return new UpstreamError('bad-response', `unexpected audit records shape: ${reason}`);
}
