import type { Context as TraceContext } from '@opentelemetry/api';
import type { OperationStats } from '../observability/operation-stats.js';

/**
 * One qualification as Partner Center sends it, after the response guard has checked its shape.
 * Values stay as upstream spells them: the GraphQL layer maps them to enums, so a value added
 * upstream tomorrow is still carried through.
 */
export interface QualificationRecord {
  readonly qualification: string;
  readonly vettingStatus: string | null;
  readonly vettingReason: string | null;
  /** Raw ISO-8601 text from either spelling (`vettingCreatedDate` or `vettingCreateDate`). */
  readonly vettingCreatedDate: string | null;
}

/** A customer known to Partner Center together with its qualifications. */
export interface CustomerRecord {
  /** Normalised (lower-case) tenant id. */
  readonly id: string;
  readonly qualifications: QualificationRecord[];
}

/** Per-call data that travels with every upstream request of one GraphQL operation. */
export interface CallContext {
  /**
   * The `Authorization` value for Partner Center: the caller's own, forwarded verbatim, or the
   * gateway's app token (which may need fetching or renewing, hence a promise).
   */
  readonly authorize: () => Promise<string>;
  readonly correlationId: string;
  /** Optional client headers Partner Center understands (`MS-CV`, `X-Locale`). */
  readonly forwardedHeaders: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal | undefined;
  /** Epoch ms by which the operation must be done; retries that cannot make it are skipped. */
  readonly deadlineAt?: number | undefined;
  /** The operation's running cost, counted here and in the loader. */
  readonly stats?: OperationStats | undefined;
  /**
   * The operation's trace context: upstream spans are its children, `traceparent` carries it.
   * Absent: the operation is not traced, and its calls start no spans.
   */
  readonly traceContext?: TraceContext | undefined;
  /**
   * Whose the call is. Absent or `interactive`: a caller waits for it. `watch`: a subscription's
   * background poll, which yields to interactive calls (never queues for a slot or the budget,
   * uses at most half of each, is never retried, and teaches the breaker, the per-customer and
   * 429 holds and the hold-time estimate nothing that could refuse interactive work); a poll
   * that may not be sent now rejects at once with `deferred`.
   */
  readonly purpose?: 'interactive' | 'watch' | undefined;
}

/** `CallContext['purpose']` with its default filled in: a label of the upstream metrics. */
export type CallPurpose = 'interactive' | 'watch';

/** `CustomerQualificationRequest`, the body of a create; absent fields are omitted. */
export interface CreateQualificationRequest {
  readonly qualification: 'Education' | 'StateOwnedEntity' | 'GovernmentCommunityCloud';
  readonly educationSegment?: 'K12' | 'HigherEducation';
  readonly website?: string;
  readonly validationCode?: string;
}

/** How Partner Center answered a create. */
export type CreateQualificationResult =
  | {
      readonly kind: 'created';
      /** Null when the answer carried no usable qualification object. */
      readonly qualification: QualificationRecord | null;
    }
  | {
      readonly kind: 'refused';
      /** 400, 403, 404 or 409: an answer about this request, not a failure of Partner Center. */
      readonly status: number;
      readonly upstreamCode?: string | undefined;
    };

/** One GovernmentCommunityCloud validation code, shape-checked. */
export interface ValidationCodeRecord {
  readonly validationId: string;
  readonly organizationName: string | null;
  readonly maxCreates: number | null;
  readonly remainingCreates: number | null;
}

/**
 * A customer's company profile as `GET /v1/customers/{id}` or a list item carries it, after the
 * guard. Values stay as upstream spells them (`relationshipToPartner` lower-case).
 */
export interface CustomerProfileRecord {
  /** Normalised (lower-case) tenant id. */
  readonly id: string;
  readonly companyName: string | null;
  readonly domain: string | null;
  readonly relationshipToPartner: string | null;
}

/** A search Partner Center runs itself: `starts_with` is its only operator. */
export interface CustomerFilter {
  readonly field: 'CompanyName' | 'Domain';
  readonly value: string;
}

/** One `GET /v1/customers` page to read: the first (no token) or the one a token continues to. */
export interface CustomerListRequest {
  readonly size: number;
  /** Sent on the first page only; a continuation token already carries the search. */
  readonly filter?: CustomerFilter | undefined;
  /** Partner Center's `MS-ContinuationToken` of the page to read; absent for the first page. */
  readonly continuationToken?: string | undefined;
}

/** One page of the customer list, shape-checked. */
export interface CustomerPage {
  readonly totalCount: number | null;
  readonly items: readonly CustomerProfileRecord[];
  /** The token of the next page (`links.next`), `null` on the last page. */
  readonly nextToken: string | null;
}

/** How Partner Center answered a list read. */
export type CustomerListResult =
  | { readonly kind: 'page'; readonly page: CustomerPage }
  /** 400 or 404 on a continuation: Partner Center does not accept the token (forged or expired). */
  | { readonly kind: 'token-refused'; readonly status: number };

/**
 * One audit record, after the guard: the fields the audit feed acts on. `customerId` is the
 * normalised GUID, or `null` when the record names none (or none that is a GUID).
 */
export interface AuditRecord {
  readonly id: string;
  readonly customerId: string | null;
  /** As upstream spells it, lower-cased (`customer`, `order`, …). */
  readonly resourceType: string;
  /** Snake case, lower-cased (`update_customer_qualification`, …). */
  readonly operationType: string;
  /** `succeeded`, `failed`, `progress`, lower-cased. */
  readonly operationStatus: string;
  /** Epoch ms of `operationDate`; `null` when it is missing or no date. */
  readonly operationDate: number | null;
}

/** One `GET /v1/auditrecords` page to read: the first of a date range, or the one a token continues to. */
export interface AuditRecordsRequest {
  /** Whole UTC days, `yyyy-mm-dd`. */
  readonly startDate: string;
  readonly endDate?: string | undefined;
  /** Partner Center's `MS-ContinuationToken` of the page to read; absent for the first page. */
  readonly continuationToken?: string | undefined;
}

/** One page of audit records, shape-checked item by item. */
export interface AuditRecordsPage {
  readonly items: readonly AuditRecord[];
  /** Items the guard could not read (no id, no operation type, not an object): skipped, counted. */
  readonly malformed: number;
  /** The token of the next page (`links.next`), `null` on the last page. */
  readonly nextToken: string | null;
}
