import type { QualificationRecord } from './types.js';
import { UpstreamError } from './upstream-error.js';

/**
 * Narrows a qualifications answer. Partner Center's docs and SDK return a bare array, its REST
 * reference a `{"qualifications": [...]}` wrapper, and its collections elsewhere use `items`;
 * all are accepted. Anything else is a bad response, never a crash.
 */
export function parseQualifications(json: unknown): QualificationRecord[] {
  const list = unwrap(json);
  if (list === undefined) throw bad('expected an array of qualifications or a wrapper object');
  return list.map((item, index) => parseQualification(item, index));
}

function unwrap(json: unknown): unknown[] | undefined {
  if (Array.isArray(json)) return json as unknown[];
  if (typeof json !== 'object' || json === null) return undefined;
  const record = json as Record<string, unknown>;
  const inner = record['qualifications'] ?? record['items'];
  return Array.isArray(inner) ? (inner as unknown[]) : undefined;
}

/** Parses one created or listed qualification object. */
export function parseQualification(item: unknown, index = 0): QualificationRecord {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw bad(`qualification ${index} is not an object`);
  }
  const record = item as Record<string, unknown>;
  const qualification = record['qualification'];
  if (typeof qualification !== 'string' || qualification.trim() === '') {
    throw bad(`qualification ${index} has no qualification name`);
  }
  return {
    qualification: qualification.trim(),
    vettingStatus: optionalString(record, 'vettingStatus', index),
    vettingReason: optionalString(record, 'vettingReason', index),
    // The docs' samples say `vettingCreatedDate`, the REST model and SDK `vettingCreateDate`.
    vettingCreatedDate:
      optionalString(record, 'vettingCreatedDate', index) ??
      optionalString(record, 'vettingCreateDate', index),
  };
}

function optionalString(record: Record<string, unknown>, key: string, index: number) {
  const value = record[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw bad(`qualification ${index} has a non-string ${key}`);
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function bad(reason: string): UpstreamError {
  return new UpstreamError('bad-response', `unexpected qualifications shape: ${reason}`);
}
