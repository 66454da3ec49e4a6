import type { CustomerProfileRecord } from '../partner-center/types.js';
import type { CacheKind } from './kind.js';
import type { FreshnessPolicy } from './qualifications.js';

/** A customer's company profile, or `null` for a customer Partner Center does not know (404). */
export type ProfileRead = CustomerProfileRecord | null;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FIELDS = ['companyName', 'domain', 'relationshipToPartner'] as const;

/**
 * Names and domains change about as rarely as settled vetting: the settled age. An unknown
 * customer may become known at any moment (a new relationship): the short one, as for
 * qualifications.
 */
export function profilesKind(policy: FreshnessPolicy): CacheKind<ProfileRead> {
  return {
    name: 'profiles',
    maxAgeSeconds: (read) => (read === null ? policy.inReviewSeconds : policy.settledSeconds),
    decode(json) {
      if (json === null) return null;
      if (typeof json !== 'object' || Array.isArray(json)) return undefined;
      const fields = json as Record<string, unknown>;
      const id = fields['id'];
      if (typeof id !== 'string' || !GUID.test(id)) return undefined;
      const values = FIELDS.map((name) => fields[name]);
      if (!values.every((value) => value === null || typeof value === 'string')) return undefined;
      const [companyName, domain, relationshipToPartner] = values;
      return {
        id,
        companyName: companyName ?? null,
        domain: domain ?? null,
        relationshipToPartner: relationshipToPartner ?? null,
      };
    },
  };
}
