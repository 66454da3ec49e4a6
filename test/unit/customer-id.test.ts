import { describe, expect, it } from 'vitest';
import { isGuid, normaliseCustomerId } from '../../src/graphql/customer-id.js';

const ID = '10000000-0000-4000-8000-000000000001';

describe('normaliseCustomerId', () => {
  it('keeps a lower-case GUID as it is', () => {
    expect(normaliseCustomerId(ID)).toBe(ID);
  });

  it.each([
    ['4B9A6C1E-2F3D-4A5B-8C7D-9E0F1A2B3C4D', '4b9a6c1e-2f3d-4a5b-8c7d-9e0f1a2b3c4d'],
    ['4b9A6c1E-2f3D-4a5B-8c7D-9e0F1a2B3c4D', '4b9a6c1e-2f3d-4a5b-8c7d-9e0f1a2b3c4d'],
    ['ABCDEF01-ABCD-ABCD-ABCD-ABCDEF012345', 'abcdef01-abcd-abcd-abcd-abcdef012345'],
    ['00000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-000000000000'],
  ])('lower-cases %s', (raw, normalised) => {
    expect(normaliseCustomerId(raw)).toBe(normalised);
  });

  it('makes upper- and lower-case spellings one key', () => {
    expect(normaliseCustomerId(ID.toUpperCase())).toBe(normaliseCustomerId(ID));
  });

  it.each([
    ['empty', ''],
    ['path traversal', '../x'],
    ['a GUID followed by path traversal', `${ID}/../../x`],
    ['path traversal followed by a GUID', `../${ID}`],
    ['a GUID with a trailing slash', `${ID}/`],
    ['a GUID with a query', `${ID}?x=1`],
    ['a GUID with a fragment', `${ID}#x`],
    ['an URL-encoded slash', '10000000-0000-4000-8000-00000000%2F1'],
    ['an URL-encoded traversal', '..%2F..%2Fx'],
    ['a GUID followed by an encoded traversal', `${ID}%2F..%2F..%2Fx`],
    ['a GUID with an upper-case encoded slash', `${ID}%2f`],
    ['a backslash', '10000000-0000-4000-8000-00000000\\001'],
    ['braces', `{${ID}}`],
    ['parentheses', `(${ID})`],
    ['a urn prefix', `urn:uuid:${ID}`],
    ['a leading space', ` ${ID}`],
    ['a trailing space', `${ID} `],
    ['surrounding spaces', ` ${ID} `],
    ['a trailing newline', `${ID}\n`],
    ['a trailing CRLF', `${ID}\r\n`],
    ['a leading newline', `\n${ID}`],
    ['a tab', `${ID}\t`],
    ['a trailing NUL', `${ID}\u0000`],
    ['a zero-width space', `${ID}\u200b`],
    ['35 characters', ID.slice(0, 35)],
    ['37 characters', `${ID}0`],
    ['no hyphens', ID.replaceAll('-', '')],
    ['misplaced hyphens', '1000000-00000-4000-8000-000000000001'],
    ['non-hex letters', '1000000g-0000-4000-8000-000000000001'],
    ['non-hex at the end', '10000000-0000-4000-8000-00000000000z'],
    ['full-width digits', '１0000000-0000-4000-8000-000000000001'],
    ['Arabic-Indic digits', '\u06610000000-0000-4000-8000-000000000001'],
    ['underscores for hyphens', '10000000_0000_4000_8000_000000000001'],
    ['two GUIDs', `${ID},${ID}`],
    ['a single dot', '.'],
    ['two dots', '..'],
  ])('refuses %s', (_label, raw) => {
    expect(normaliseCustomerId(raw)).toBeUndefined();
    expect(isGuid(raw)).toBe(false);
  });
});

describe('isGuid', () => {
  it.each([ID, ID.toUpperCase(), '4b9A6c1E-2f3D-4a5B-8c7D-9e0F1a2B3c4D'])('accepts %s', (raw) => {
    expect(isGuid(raw)).toBe(true);
  });
});
