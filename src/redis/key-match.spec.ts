import { keyMatcher } from './key-match.js';
import { keys } from './keys.js';

type Builder = (...ids: string[]) => string;
/** Builders that hash an id (userEmail, idempotency) have no inverse: the id is not in the key. */
const HASHED = ['userEmail', 'idempotency'];
const all = Object.entries(keys).filter((entry): entry is [string, Builder] => typeof entry[1] === 'function');
const builders = all.filter(([name]) => !HASHED.includes(name));
const ids = ['3f1c', 'u-7', 'show'];

describe('keyMatcher', () => {
  it.each(builders)('%s: gives back the ids a key was built from', (_, build) => {
    const args = ids.slice(0, build.length);
    expect(keyMatcher(build)(build(...args))).toEqual(args);
  });

  it('matches a key by exactly one builder', () => {
    for (const [name, build] of builders) {
      const key = build(...ids.slice(0, build.length));
      const matching = builders.filter(([, other]) => keyMatcher(other)(key) !== null).map(([other]) => other);
      expect({ key, matching }).toEqual({ key, matching: [name] });
    }
  });

  it('refuses to invert a builder that hashes an id', () => {
    expect(() => keyMatcher(keys.idempotency)).toThrow(/does not use its argument 1/);
  });

  it('refuses keys of other shapes', () => {
    const seatState = keyMatcher(keys.seatState);
    expect(seatState('{event:a}:seat-state:x')).toBeNull();
    expect(seatState('{event:a}:seats')).toBeNull();
    expect(seatState('{event:a{b}:seat-state')).toBeNull();
    expect(seatState('prefix{event:a}:seat-state')).toBeNull();
    expect(keyMatcher(keys.userBookingsOfType)('{user:a}:bookings')).toBeNull();
    expect(keyMatcher(keys.userBookings)('{user:a}:bookings:show')).toBeNull();
  });
});
