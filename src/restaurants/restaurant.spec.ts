import { timeslotsOn } from './restaurant.js';
import type { OpeningHours, Restaurant } from './restaurant.js';

const london = (openingHours: OpeningHours[], slotMinutes = 30, sittingMinutes = 60): Restaurant => ({
  id: 'r',
  name: 'R',
  timezone: 'Europe/London',
  slotMinutes,
  sittingMinutes,
  openingHours,
  managerId: 'm',
  createdAt: 0,
});

const local = (r: Restaurant, date: string) =>
  timeslotsOn(r, date).map((s) =>
    new Date(s.start).toLocaleTimeString('en-GB', { timeZone: r.timezone, hour: '2-digit', minute: '2-digit' }),
  );

describe('timeslotsOn', () => {
  it('cuts opening hours into slots whose whole sitting ends by closing', () => {
    const r = london([{ day: 'mon', opens: '18:00', closes: '21:00' }]);
    expect(local(r, '2026-06-01')).toEqual(['18:00', '18:30', '19:00', '19:30', '20:00']);
    expect(timeslotsOn(r, '2026-06-02')).toEqual([]);
    const [first] = timeslotsOn(r, '2026-06-01');
    expect(new Date(first.start).toISOString()).toBe('2026-06-01T17:00:00.000Z'); // BST is UTC+1
    expect(first.end - first.start).toBe(3_600_000);
  });

  it('spring forward (2026-03-29, 01:00 -> 02:00): the missing hour has no slots and nothing repeats', () => {
    const r = london([{ day: 'sun', opens: '00:00', closes: '04:00' }]);
    // 00:00 GMT to 04:00 BST is three real hours: sittings of 60 min at 30-min steps starting until 02:00 UTC.
    expect(local(r, '2026-03-29')).toEqual(['00:00', '00:30', '02:00', '02:30', '03:00']);
    const starts = timeslotsOn(r, '2026-03-29').map((s) => s.start);
    expect(starts.every((s, i) => i === 0 || s - starts[i - 1] === 1_800_000)).toBe(true);
  });

  it('fall back (2026-10-25, 02:00 -> 01:00): the repeated hour has slots at both offsets', () => {
    const r = london([{ day: 'sun', opens: '00:00', closes: '03:00' }]);
    const slots = timeslotsOn(r, '2026-10-25');
    // 00:00 BST (23:00Z) to 03:00 GMT (03:00Z) is four real hours.
    expect(slots.map((s) => new Date(s.start).toISOString().slice(11, 16))).toEqual([
      '23:00',
      '23:30',
      '00:00',
      '00:30',
      '01:00',
      '01:30',
      '02:00',
    ]);
    expect(local(r, '2026-10-25')).toEqual(['00:00', '00:30', '01:00', '01:30', '01:00', '01:30', '02:00']);
  });

  it('counts hours past midnight for the date they fall on', () => {
    const r = london([{ day: 'fri', opens: '22:00', closes: '02:00' }]);
    expect(local(r, '2026-06-05')).toEqual(['22:00', '22:30', '23:00', '23:30']); // Friday
    expect(local(r, '2026-06-06')).toEqual(['00:00', '00:30', '01:00']); // Saturday, from Friday's hours
  });

  it('merges overlapping opening hours without repeating a slot', () => {
    const r = london([
      { day: 'mon', opens: '12:00', closes: '14:00' },
      { day: 'mon', opens: '13:00', closes: '15:00' },
    ]);
    expect(local(r, '2026-06-01')).toEqual(['12:00', '12:30', '13:00', '13:30', '14:00']);
  });
});
