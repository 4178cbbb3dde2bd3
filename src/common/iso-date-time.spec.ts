import { isIsoDateTimeWithOffset, toIso } from './iso-date-time.js';

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

describe('toIso', () => {
  it('formats as Date#toISOString does, across seconds, alternating instants and odd values', () => {
    const base = Date.UTC(2026, 10, 29, 11, 59, 59, 990);
    const instants = [0, -1, -999, -1000, -1001, 1, 999, 1000, 8.64e15, 1.5, base, base + 600_000];
    for (let i = 0; i < 3000; i++) instants.push(base + i, base + 600_000 + i * 7, base + (i % 3) * 1000 + i);
    for (const ms of instants) expect(toIso(ms)).toBe(new Date(ms).toISOString());
  });

  it('throws for what Date cannot format', () => {
    expect(() => toIso(Number.NaN)).toThrow(RangeError);
  });
});
