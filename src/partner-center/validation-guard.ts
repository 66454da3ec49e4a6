import type { ValidationCodeRecord } from './types.js';
import { UpstreamError } from './upstream-error.js';

/**
 * Narrows `GET /v1/customers/all/validations`: an array (or an `items` wrapper) of
 * `{partnerId, organizationName, validationId, maxCreates, remainingCreates, eTag}`.
 * `validationId` is a string in the SDK and examples but an int in one table: both are taken.
 */
export function parseValidationCodes(json: unknown): ValidationCodeRecord[] {
  const list = Array.isArray(json)
    ? (json as unknown[])
    : typeof json === 'object' &&
        json !== null &&
        Array.isArray((json as { items?: unknown }).items)
      ? (json as { items: unknown[] }).items
      : undefined;
  if (list === undefined) throw bad('expected an array of validation codes');
  return list.map((item, index) => {
    if (typeof item !== 'object' || item === null)
      throw bad(`validation ${index} is not an object`);
    const record = item as Record<string, unknown>;
    const id = record['validationId'];
    if (!(typeof id === 'string' && id.trim() !== '') && !Number.isSafeInteger(id)) {
      throw bad(`validation ${index} has no validationId`);
    }
    return {
      validationId: String(id).trim(),
      organizationName:
        typeof record['organizationName'] === 'string' ? record['organizationName'] : null,
      maxCreates: count(record['maxCreates']),
      remainingCreates: count(record['remainingCreates']),
    };
  });
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

function bad(reason: string): UpstreamError {
  return new UpstreamError('bad-response', `unexpected validations shape: ${reason}`);
}
