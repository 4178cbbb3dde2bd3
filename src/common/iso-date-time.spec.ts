import { isIsoDateTimeWithOffset } from './iso-date-time.js';

describe('isIsoDateTimeWithOffset', () => {
  it.each(['2030-01-01T10:00:00Z', '2030-01-01T10:00Z', '2030-01-01T10:00:00.123+02:00', '2028-02-29T23:59:59-05:30'])(
    'accepts %s',
    (value) => expect(isIsoDateTimeWithOffset(value)).toBe(true),
  );

  it.each([
    '2030-01-01T10:00:00', // no offset: ambiguous
    '2030-02-30T10:00:00Z', // no such day
    '2029-02-29T10:00:00Z', // not a leap year
    '2030-13-01T10:00:00Z',
    '2030-01-01T24:00:00Z',
    '2030-01-01T10:60:00Z',
    '2030-01-01T10:00:00+15:00',
    '2030-01-01 10:00:00Z',
    '1700000000000',
    '',
  ])('refuses %s', (value) => expect(isIsoDateTimeWithOffset(value)).toBe(false));

  it('refuses non-strings', () => {
    expect(isIsoDateTimeWithOffset(1_700_000_000_000)).toBe(false);
    expect(isIsoDateTimeWithOffset(null)).toBe(false);
  });
});
