import { reminderTitle } from './reminders.js';

describe('reminderTitle', () => {
  const startsAt = Date.UTC(2030, 0, 1, 12);
  const at = (msBefore: number) => reminderTitle({ subject: 'Dinner', startsAt }, startsAt - msBefore);

  it('words the time left to the nearest minute', () => {
    expect(at(60 * 60_000)).toBe('Dinner starts in 60 minutes');
    expect(at(4 * 60_000 + 59_000)).toBe('Dinner starts in 5 minutes');
    expect(at(60_000)).toBe('Dinner starts in 1 minute');
    expect(at(20_000)).toBe('Dinner starts now');
    expect(at(-3 * 60_000)).toBe('Dinner started 3 minutes ago');
  });

  it('keeps a fixed title as it is', () => {
    expect(reminderTitle('Your table is booked for 19:30', startsAt)).toBe('Your table is booked for 19:30');
  });
});
