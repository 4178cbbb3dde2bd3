import { reminderTitle, startingTitle, titleStarting } from './reminders.js';

describe('reminder titles', () => {
  const startsAt = Date.UTC(2030, 0, 1, 12);
  const at = (msBefore: number) => startingTitle({ subject: 'Dinner', startsAt }, startsAt - msBefore);

  it('words the time left to the nearest minute', () => {
    expect(at(60 * 60_000)).toBe('Dinner starts in 60 minutes');
    expect(at(4 * 60_000 + 59_000)).toBe('Dinner starts in 5 minutes');
    expect(at(60_000)).toBe('Dinner starts in 1 minute');
    expect(at(20_000)).toBe('Dinner starts now');
    expect(at(-3 * 60_000)).toBe('Dinner started 3 minutes ago');
  });

  it('stores plain text worded for the run time beside the parts', () => {
    expect(titleStarting('Dinner', startsAt, startsAt - 30 * 60_000)).toEqual({
      title: 'Dinner starts in 30 minutes',
      titleParts: { subject: 'Dinner', startsAt },
    });
  });

  it('reads jobs of every release: parts first, then a plain title, then parts in the title', () => {
    const now = startsAt - 3 * 60_000;
    const titleParts = { subject: 'Dinner', startsAt };
    expect(reminderTitle({ title: 'Dinner starts in 30 minutes', titleParts }, now)).toBe('Dinner starts in 3 minutes');
    expect(reminderTitle({ title: 'Your table is booked for 19:30' }, now)).toBe('Your table is booked for 19:30');
    expect(reminderTitle({ title: titleParts }, now)).toBe('Dinner starts in 3 minutes');
    expect(reminderTitle({ title: 'Dinner', titleParts: { subject: 1 } }, now)).toBe('Dinner');
  });
});
