import { describe, expect, it } from 'vitest';
import {
  parseQualification,
  parseQualifications,
} from '../../src/partner-center/qualification-guard.js';
import type { QualificationRecord } from '../../src/partner-center/types.js';
import { UpstreamError } from '../../src/partner-center/upstream-error.js';

const EDUCATION = {
  qualification: 'Education',
  vettingStatus: 'Approved',
  vettingCreatedDate: '2020-12-04T20:54:24Z',
};
const STATE_OWNED = {
  qualification: 'StateOwnedEntity',
  vettingStatus: 'InReview',
  vettingReason: 'Pending documents',
  vettingCreateDate: '2021-05-06T19:59:56.6832021+00:00',
};

const PARSED: QualificationRecord[] = [
  {
    qualification: 'Education',
    vettingStatus: 'Approved',
    vettingReason: null,
    vettingCreatedDate: '2020-12-04T20:54:24Z',
  },
  {
    qualification: 'StateOwnedEntity',
    vettingStatus: 'InReview',
    vettingReason: 'Pending documents',
    vettingCreatedDate: '2021-05-06T19:59:56.6832021+00:00',
  },
];

/** Runs `parse` expecting an UpstreamError and returns it. */
function upstreamError(parse: () => unknown): UpstreamError {
  try {
    parse();
  } catch (error) {
    if (error instanceof UpstreamError) return error;
    throw error;
  }
  throw new Error('expected an UpstreamError');
}

describe('parseQualifications shapes', () => {
  it('accepts a bare array', () => {
    expect(parseQualifications([EDUCATION, STATE_OWNED])).toEqual(PARSED);
  });

  it('accepts a {qualifications: [...]} wrapper', () => {
    expect(parseQualifications({ qualifications: [EDUCATION, STATE_OWNED] })).toEqual(PARSED);
  });

  it('accepts an {items: [...]} wrapper', () => {
    expect(parseQualifications({ items: [EDUCATION, STATE_OWNED], totalCount: 2 })).toEqual(PARSED);
  });

  it('prefers qualifications over items when both are present', () => {
    expect(parseQualifications({ qualifications: [EDUCATION], items: [STATE_OWNED] })).toEqual([
      PARSED[0],
    ]);
  });

  it('falls back to items when qualifications is null', () => {
    expect(parseQualifications({ qualifications: null, items: [STATE_OWNED] })).toEqual([
      PARSED[1],
    ]);
  });

  it('accepts an empty array, bare or wrapped', () => {
    expect(parseQualifications([])).toEqual([]);
    expect(parseQualifications({ qualifications: [] })).toEqual([]);
    expect(parseQualifications({ items: [] })).toEqual([]);
  });
});

describe('parseQualifications fields', () => {
  it('reads the vettingCreatedDate spelling', () => {
    expect(
      parseQualifications([{ qualification: 'Education', vettingCreatedDate: '2020-12-04' }]),
    ).toEqual([
      {
        qualification: 'Education',
        vettingStatus: null,
        vettingReason: null,
        vettingCreatedDate: '2020-12-04',
      },
    ]);
  });

  it('reads the vettingCreateDate spelling', () => {
    expect(
      parseQualifications([{ qualification: 'Education', vettingCreateDate: '2020-12-04' }]),
    ).toEqual([
      {
        qualification: 'Education',
        vettingStatus: null,
        vettingReason: null,
        vettingCreatedDate: '2020-12-04',
      },
    ]);
  });

  it('prefers vettingCreatedDate when both spellings are present', () => {
    expect(
      parseQualifications([
        { qualification: 'Education', vettingCreatedDate: 'created', vettingCreateDate: 'create' },
      ]),
    ).toEqual([
      {
        qualification: 'Education',
        vettingStatus: null,
        vettingReason: null,
        vettingCreatedDate: 'created',
      },
    ]);
  });

  it('falls back to vettingCreateDate when vettingCreatedDate is empty or null', () => {
    expect(
      parseQualifications([
        { qualification: 'A', vettingCreatedDate: '', vettingCreateDate: '2020-12-04' },
        { qualification: 'B', vettingCreatedDate: null, vettingCreateDate: '2021-01-01' },
      ]),
    ).toEqual([
      {
        qualification: 'A',
        vettingStatus: null,
        vettingReason: null,
        vettingCreatedDate: '2020-12-04',
      },
      {
        qualification: 'B',
        vettingStatus: null,
        vettingReason: null,
        vettingCreatedDate: '2021-01-01',
      },
    ]);
  });

  it('turns absent optional fields into null', () => {
    expect(parseQualifications([{ qualification: 'Education' }])).toEqual([
      {
        qualification: 'Education',
        vettingStatus: null,
        vettingReason: null,
        vettingCreatedDate: null,
      },
    ]);
  });

  it('turns null optional fields into null', () => {
    expect(
      parseQualifications([
        {
          qualification: 'Education',
          vettingStatus: null,
          vettingReason: null,
          vettingCreatedDate: null,
          vettingCreateDate: null,
        },
      ]),
    ).toEqual([
      {
        qualification: 'Education',
        vettingStatus: null,
        vettingReason: null,
        vettingCreatedDate: null,
      },
    ]);
  });

  it('turns empty and blank optional strings into null', () => {
    expect(
      parseQualifications([
        {
          qualification: 'Education',
          vettingStatus: '',
          vettingReason: '   ',
          vettingCreatedDate: '',
          vettingCreateDate: ' ',
        },
      ]),
    ).toEqual([
      {
        qualification: 'Education',
        vettingStatus: null,
        vettingReason: null,
        vettingCreatedDate: null,
      },
    ]);
  });

  it('trims every string it keeps', () => {
    expect(
      parseQualifications([
        {
          qualification: ' Education ',
          vettingStatus: '\tApproved\n',
          vettingReason: ' ok ',
          vettingCreateDate: ' 2020-12-04 ',
        },
      ]),
    ).toEqual([
      {
        qualification: 'Education',
        vettingStatus: 'Approved',
        vettingReason: 'ok',
        vettingCreatedDate: '2020-12-04',
      },
    ]);
  });

  it('drops fields it does not know', () => {
    expect(
      parseQualifications([{ qualification: 'Education', extra: 'x', vettingStatus: 'Approved' }]),
    ).toEqual([
      {
        qualification: 'Education',
        vettingStatus: 'Approved',
        vettingReason: null,
        vettingCreatedDate: null,
      },
    ]);
  });

  it('keeps unknown status values as upstream spells them', () => {
    expect(
      parseQualifications([{ qualification: 'NewKind', vettingStatus: 'SomethingNew' }]),
    ).toEqual([
      {
        qualification: 'NewKind',
        vettingStatus: 'SomethingNew',
        vettingReason: null,
        vettingCreatedDate: null,
      },
    ]);
  });
});

describe('parseQualifications malformed answers', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'Education'],
    ['a number', 42],
    ['a boolean', true],
    ['an object without a list', {}],
    ['a wrapper whose list is not an array', { qualifications: 'Education' }],
    ['a wrapper whose items is an object', { items: { qualification: 'Education' } }],
  ])('refuses %s as a bad response', (_label, json) => {
    const error = upstreamError(() => parseQualifications(json));
    expect(error.kind).toBe('bad-response');
    expect(error.message).toBe(
      'unexpected qualifications shape: expected an array of qualifications or a wrapper object',
    );
  });

  it.each([
    ['null', null],
    ['a string', 'Education'],
    ['a number', 1],
    ['an array', [{ qualification: 'Education' }]],
  ])('refuses an item that is %s', (_label, item) => {
    const error = upstreamError(() => parseQualifications([EDUCATION, item]));
    expect(error.kind).toBe('bad-response');
    expect(error.message).toBe('unexpected qualifications shape: qualification 1 is not an object');
  });

  it.each([
    ['missing', {}],
    ['null', { qualification: null }],
    ['empty', { qualification: '' }],
    ['blank', { qualification: '   ' }],
    ['a number', { qualification: 3 }],
  ])('refuses an item whose qualification is %s', (_label, item) => {
    const error = upstreamError(() => parseQualifications({ qualifications: [item] }));
    expect(error.kind).toBe('bad-response');
    expect(error.message).toBe(
      'unexpected qualifications shape: qualification 0 has no qualification name',
    );
  });

  it.each([
    ['vettingStatus', 1],
    ['vettingStatus', true],
    ['vettingStatus', { value: 'Approved' }],
    ['vettingReason', ['a']],
    ['vettingCreatedDate', 1_607_115_264_000],
    ['vettingCreateDate', false],
  ])('refuses an item whose %s is %j', (key, value) => {
    const error = upstreamError(() =>
      parseQualifications({
        items: [EDUCATION, STATE_OWNED, { qualification: 'X', [key]: value }],
      }),
    );
    expect(error.kind).toBe('bad-response');
    expect(error.message).toBe(
      `unexpected qualifications shape: qualification 2 has a non-string ${key}`,
    );
  });

  it('is an UpstreamError with no status, code or retry hint', () => {
    const error = upstreamError(() => parseQualifications('nope'));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('UpstreamError');
    expect(error.status).toBeUndefined();
    expect(error.upstreamCode).toBeUndefined();
    expect(error.retryAfterSeconds).toBeUndefined();
  });
});

describe('parseQualification', () => {
  it('parses one created qualification', () => {
    expect(parseQualification(STATE_OWNED)).toEqual(PARSED[1]);
  });

  it('names index 0 by default in its error', () => {
    const error = upstreamError(() => parseQualification('x'));
    expect(error.kind).toBe('bad-response');
    expect(error.message).toBe('unexpected qualifications shape: qualification 0 is not an object');
  });
});
