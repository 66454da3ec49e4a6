import { generatedCustomerId, SAMPLE_CUSTOMER_IDS } from './data.js';

/** A customer's company profile as the simulator lists it. */
export interface StoredProfile {
  readonly id: string;
  readonly companyName: string;
  readonly domain: string;
  readonly relationshipToPartner: string;
}

const SAMPLE_NAMES: Record<keyof typeof SAMPLE_CUSTOMER_IDS, [string, string]> = {
  educationApproved: ['Contoso University', 'reseller'],
  educationInReview: ['Fabrikam School District', 'reseller'],
  educationDenied: ['Northwind Traders Academy', 'advisor'],
  stateOwnedEntity: ['Tailspin State Utilities', 'reseller'],
  educationAndStateOwned: ['Woodgrove State College', 'syndication'],
  gccAndStateOwned: ['Litware County Government', 'microsoft_support'],
  noQualifications: ['Adventure Works Cycles', 'none'],
  wrapperAndOffsetDate: ['Wingtip Toys Institute', 'reseller'],
  // A relationship Partner Center may add tomorrow (answered OTHER).
  futureValues: ['Proseware Labs', 'indirect_partner'],
};

const WORDS = [
  'Alpine',
  'Blue Yonder',
  'Coho',
  'Datum',
  'Fourth Coffee',
  'Graphic Design',
  'Humongous',
  'Lamna',
  'Lucerne',
  'Margie',
  'Nod',
  'Relecloud',
  'Southridge',
  'Trey',
  'VanArsdel',
  'Wide World',
  'Woodgrove',
  'Zava',
  'Munson',
  'Bellows',
];
const KINDS = ['Schools', 'Insurance', 'Publishing', 'Travel', 'Health', 'Energy', 'Foods'];
const RELATIONSHIPS = ['reseller', 'reseller', 'reseller', 'advisor', 'syndication'];

function domainOf(companyName: string): string {
  return `${companyName.toLowerCase().replace(/[^a-z0-9]/g, '')}.onmicrosoft.com`;
}

/**
 * Every listed customer's profile, in the order the simulator lists them: the samples, then the
 * generated customers. Names and domains are deterministic (`Alpine Schools 0000`, …), so tests
 * and a newcomer's searches find the same customers every time.
 */
export function seedProfiles(generated: number): StoredProfile[] {
  const profiles: StoredProfile[] = [];
  for (const [name, id] of Object.entries(SAMPLE_CUSTOMER_IDS)) {
    const [companyName, relationshipToPartner] = SAMPLE_NAMES[name as keyof typeof SAMPLE_NAMES];
    profiles.push({ id, companyName, domain: domainOf(companyName), relationshipToPartner });
  }
  for (let n = 0; n < generated; n += 1) {
    const word = WORDS[n % WORDS.length] ?? '';
    const kind = KINDS[Math.floor(n / WORDS.length) % KINDS.length] ?? '';
    const companyName = `${word} ${kind} ${n.toString().padStart(4, '0')}`;
    profiles.push({
      id: generatedCustomerId(n),
      companyName,
      domain: domainOf(companyName),
      relationshipToPartner: RELATIONSHIPS[n % RELATIONSHIPS.length] ?? 'reseller',
    });
  }
  return profiles;
}
