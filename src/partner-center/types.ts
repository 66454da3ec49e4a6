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
  /** When Partner Center gave this answer (earlier than now when it came from the cache). */
  readonly readAt: Date;
  /** Served past its freshness because Partner Center failed (stale if error). */
  readonly stale: boolean;
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
}

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
