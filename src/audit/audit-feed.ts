import { randomUUID } from 'node:crypto';
import type { Logger } from '../observability/logger.js';
import type { PartnerCenterApi } from '../partner-center/client.js';
import type { AuditRecord, CallContext } from '../partner-center/types.js';
import { UpstreamError } from '../partner-center/upstream-error.js';
import type { AppliedRecords } from './applied-records.js';
import { effectsOf, operationLabel, type RecordEffects } from './record-effects.js';

export type AuditReadResult =
  'ok' | 'elsewhere' | 'deferred' | 'throttled' | 'failed' | 'malformed';
export type AuditRecordOutcome = 'applied' | 'skipped' | 'malformed';

export interface AuditObserver {
  read(result: AuditReadResult): void;
  record(operation: string, outcome: AuditRecordOutcome): void;
  /** The operation date (epoch ms) of a record just applied. */
  applied(operationDate: number): void;
}

export interface AuditFeedOptions {
  readonly api: PartnerCenterApi;
  /** The gateway's own app token: the feed reads for the whole partner, not for a caller. */
  readonly authorize: () => Promise<string>;
  readonly intervalMs: number;
  /** Each read (all its pages) ends by then. */
  readonly timeoutMs: number;
  /** The fleet's lease (src/watch/watch-fleet.ts): 0 when this replica may read now. */
  readonly claim: (name: string, ms: number) => Promise<number>;
  readonly applied: AppliedRecords;
  /** Makes the cache forget what the record changed, and has the watch read the customer. */
  readonly apply: (customerId: string, effects: RecordEffects) => Promise<void>;
  readonly logger: Logger;
  readonly observer?: AuditObserver | undefined;
  /** The clock of dates (tests move it across midnight). */
  readonly now?: (() => number) | undefined;
}

export interface AuditFeed {
  /** The first read is one interval after start, then one per interval across the fleet. */
  start(): void;
  /** One turn now: claims the lease and reads if it may (tests; the timer calls it too). */
  tick(): Promise<AuditReadResult>;
  close(): void;
}

const LEASE = 'audit-records';
/** A turn that found the lease taken tries again this long after it ends. */
const LEASE_SLACK_MS = 50;
const DAY_MS = 86_400_000;

/**
 * Partner Center's audit records, read for the whole partner once per interval by whichever
 * replica holds the lease: each succeeded record about a customer's qualifications or profile
 * makes every tier of the cache forget that answer, and a qualification change has the watch
 * read the customer at once. Reads are background work (`purpose: 'watch'`): they yield to
 * interactive calls and teach the breaker nothing, and a failed read waits and tries again.
 */
export function createAuditFeed(options: AuditFeedOptions): AuditFeed {
  const { api, applied, logger, observer } = options;
  const now = options.now ?? Date.now;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  function schedule(inMs: number): void {
    clearTimeout(timer);
    if (closed) return;
    timer = setTimeout(() => void turn(), Math.max(1, inMs));
    timer.unref();
  }

  async function turn(): Promise<void> {
    const { nextInMs } = await turnOnce();
    schedule(nextInMs);
  }

  /** One turn: read if this replica holds the lease; and how long until the next turn. */
  async function turnOnce(): Promise<{ result: AuditReadResult; nextInMs: number }> {
    const wait = await options.claim(LEASE, options.intervalMs);
    if (wait > 0) {
      observer?.read('elsewhere');
      return { result: 'elsewhere', nextInMs: wait + LEASE_SLACK_MS };
    }
    let outcome: { result: AuditReadResult; retryAfterMs?: number };
    try {
      outcome = await readAndApply();
    } catch (error) {
      // Applying failed (the cache's Redis tier gives up quietly, so this is unexpected).
      logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'audit records not applied',
      );
      outcome = { result: 'failed' };
    }
    observer?.read(outcome.result);
    // A deferred read goes again as soon as a slot may be free; any other after an interval,
    // or later when Partner Center asked for longer (Retry-After).
    const base = outcome.result === 'deferred' ? 0 : options.intervalMs;
    return { result: outcome.result, nextInMs: Math.max(base, outcome.retryAfterMs ?? 0) };
  }

  async function readAndApply(): Promise<{ result: AuditReadResult; retryAfterMs?: number }> {
    const startedAt = now();
    const today = utcDay(startedAt);
    const last = await applied.lastReadAt();
    // The day before too while the last read was before today's midnight (or is not known):
    // records of yesterday's last minutes are not missed.
    const startDate =
      last !== undefined && utcDay(last) === today ? today : utcDay(startedAt - DAY_MS);
    const call: CallContext = {
      authorize: options.authorize,
      correlationId: randomUUID(),
      forwardedHeaders: {},
      signal: AbortSignal.timeout(options.timeoutMs),
      deadlineAt: Date.now() + options.timeoutMs,
      purpose: 'watch',
    };
    const records: AuditRecord[] = [];
    let malformed = 0;
    try {
      let token: string | undefined;
      do {
        const page = await api.listAuditRecords(
          { startDate, endDate: today, continuationToken: token },
          call,
        );
        records.push(...page.items);
        malformed += page.malformed;
        token = page.nextToken ?? undefined;
      } while (token !== undefined);
    } catch (error) {
      return failure(error);
    }
    if (malformed > 0) {
      logger.warn(
        { malformed, correlationId: call.correlationId },
        'audit records: unreadable items skipped',
      );
      for (let n = 0; n < malformed; n += 1) observer?.record('other', 'malformed');
    }
    await applyAll(records);
    await applied.setLastReadAt(startedAt);
    return { result: 'ok' };
  }

  async function applyAll(records: readonly AuditRecord[]): Promise<void> {
    const byDay = new Map<string, AuditRecord[]>();
    for (const record of records) {
      const day = utcDay(record.operationDate ?? now());
      let list = byDay.get(day);
      if (list === undefined) byDay.set(day, (list = []));
      list.push(record);
    }
    for (const [day, list] of byDay) {
      const fresh = new Set(await applied.unapplied(day, [...new Set(list.map((r) => r.id))]));
      const done: string[] = [];
      for (const record of list) {
        if (!fresh.delete(record.id)) continue;
        const effects = effectsOf(record);
        if (effects === undefined || record.customerId === null) {
          observer?.record(operationLabel(record), 'skipped');
        } else {
          await options.apply(record.customerId, effects);
          observer?.record(operationLabel(record), 'applied');
          if (record.operationDate !== null) observer?.applied(record.operationDate);
        }
        done.push(record.id);
      }
      // Marked after applying: a crash in between applies a record twice, never skips it.
      await applied.markApplied(day, done);
    }
  }

  function failure(error: unknown): { result: AuditReadResult; retryAfterMs?: number } {
    if (error instanceof UpstreamError && error.kind === 'deferred') {
      return { result: 'deferred', retryAfterMs: (error.retryAfterSeconds ?? 1) * 1000 };
    }
    const throttled =
      error instanceof UpstreamError &&
      (error.kind === 'rate-limited' || (error.kind === 'status' && error.status === 429));
    const malformedBody = error instanceof UpstreamError && error.kind === 'bad-response';
    logger.warn(
      {
        kind: error instanceof UpstreamError ? error.kind : 'unexpected',
        status: error instanceof UpstreamError ? error.status : undefined,
        err: error instanceof Error ? error.message : String(error),
      },
      'audit records read failed: trying again later',
    );
    return {
      result: throttled ? 'throttled' : malformedBody ? 'malformed' : 'failed',
      ...(error instanceof UpstreamError && error.retryAfterSeconds !== undefined
        ? { retryAfterMs: error.retryAfterSeconds * 1000 }
        : {}),
    };
  }

  return {
    start() {
      schedule(options.intervalMs);
    },
    async tick() {
      return (await turnOnce()).result;
    },
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
}

/** `yyyy-mm-dd` of the UTC day `at` falls on. */
export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}
