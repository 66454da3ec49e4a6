import { nextContinuationToken } from './continuation-token.js';
import type { CustomerPage, CustomerProfileRecord } from './types.js';
import { UpstreamError } from './upstream-error.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Narrows one Customer (`GET /v1/customers/{id}` or a list item). The id must be a GUID, since
 * it later shapes the qualifications URL; the profile fields are optional, as list items may
 * leave attributes out.
 */
export function parseCustomer(json: unknown, index = 0): CustomerProfileRecord {
  if (!isObject(json)) throw bad(`customer ${index} is not an object`);
  const profile = json['companyProfile'];
  if (profile !== undefined && profile !== null && !isObject(profile)) {
    throw bad(`customer ${index} has a companyProfile that is not an object`);
  }
  const company = isObject(profile) ? profile : {};
  const id = json['id'] ?? company['tenantId'];
  if (typeof id !== 'string' || !GUID.test(id)) throw bad(`customer ${index} has no GUID id`);
  return {
    id: id.toLowerCase(),
    companyName: optionalString(company, 'companyName', index),
    domain: optionalString(company, 'domain', index),
    relationshipToPartner: optionalString(json, 'relationshipToPartner', index),
  };
}

/**
 * Narrows a `GET /v1/customers` page: `items`, an optional `totalCount`, and in `links.next` the
 * `MS-ContinuationToken` header of the next page. A next link without a usable token is a bad
 * response: the gateway could not page on.
 */
export function parseCustomerPage(json: unknown): CustomerPage {
  if (!isObject(json) || !Array.isArray(json['items'])) {
    throw bad('expected a collection with items');
  }
  const items = (json['items'] as unknown[]).map((item, index) => parseCustomer(item, index));
  const total = json['totalCount'];
  const totalCount =
    typeof total === 'number' && Number.isSafeInteger(total) && total >= 0 ? total : null;
  return { totalCount, items, nextToken: nextToken(json['links']) };
}

function nextToken(links: unknown): string | null {
  const token = nextContinuationToken(links);
  if (token === undefined) throw bad('links.next has no usable MS-ContinuationToken header');
  return token;
}

function optionalString(record: Json, key: string, index: number): string | null {
  const value = record[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw bad(`customer ${index} has a non-string ${key}`);
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function bad(reason: string): UpstreamError {
  return new UpstreamError('bad-response', `unexpected customers shape: ${reason}`);
}
