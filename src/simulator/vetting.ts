import { SAMPLE_CUSTOMER_IDS, type StoredCustomer, type UpstreamQualification } from './data.js';

/** `SIMULATOR_VETTING_SECONDS` when nothing sets it. */
export const DEFAULT_VETTING_SECONDS = 120;

/** Customers whose reviews end Denied, with Partner Center's reason; every other review ends Approved. */
const DENIED = new Map<string, string>([
  [SAMPLE_CUSTOMER_IDS.wrapperAndOffsetDate, 'Not an Education Customer'],
]);

export interface VettingOptions {
  /** How long a review lasts; 0: reviews never end (the seed's shapes stay as they are). */
  readonly seconds: number;
  readonly now: () => number;
}

/**
 * Microsoft's side of vetting, sped up: a qualification `InReview` is decided `seconds` after
 * it entered review in this simulator. Decided lazily when read, so there are no timers to stop.
 * The seed's reviews count from the seeding (start or reset), not from their `vettingCreateDate`:
 * those dates are years old and would decide everything at once.
 */
export class Vetting {
  readonly #periodMs: number;
  readonly #now: () => number;
  readonly #startedAt = new WeakMap<UpstreamQualification, number>();
  #seededAt: number;

  constructor(options: VettingOptions) {
    this.#periodMs = options.seconds * 1000;
    this.#now = options.now;
    this.#seededAt = options.now();
  }

  /** The seed's reviews start again now. */
  seeded(): void {
    this.#seededAt = this.#now();
  }

  /** A review that starts now: a qualification just created. */
  started(qualification: UpstreamQualification): void {
    this.#startedAt.set(qualification, this.#now());
  }

  /** Decides each of the customer's reviews whose time has come; the decision is stored. */
  decide(customerId: string, customer: StoredCustomer): void {
    if (this.#periodMs === 0) return;
    const now = this.#now();
    for (const qualification of customer.qualifications) {
      if (qualification['vettingStatus'] !== 'InReview') continue;
      const startedAt = this.#startedAt.get(qualification) ?? this.#seededAt;
      if (now - startedAt < this.#periodMs) continue;
      const reason = DENIED.get(customerId);
      if (reason === undefined) {
        qualification['vettingStatus'] = 'Approved';
      } else {
        qualification['vettingStatus'] = 'Denied';
        qualification['vettingReason'] = reason;
      }
    }
  }
}
