import { parseSeatState, reservedPrice } from './seat-state.codec.js';

/** Issue 19's reservation value, `R|user|reservedAt|categoryId|amount|currency`, beside the forms before it. */
describe('seat-state codec with prices', () => {
  it('reads the three-field forms as before', () => {
    expect(parseSeatState('H|u1|1000')).toEqual({ kind: 'held', userId: 'u1', until: 1000 });
    expect(parseSeatState('R|u1|1000')).toEqual({ kind: 'reserved', userId: 'u1', at: 1000 });
  });

  it('reads a reservation with its category and price, or with a category and no price', () => {
    expect(parseSeatState('R|u1|1000|premium|8000|EUR')).toEqual({
      kind: 'reserved',
      userId: 'u1',
      at: 1000,
      price: { categoryId: 'premium', price: { amount: 8000, currency: 'EUR' } },
    });
    expect(parseSeatState('R|u1|1000|general||')).toEqual({
      kind: 'reserved',
      userId: 'u1',
      at: 1000,
      price: { categoryId: 'general', price: null },
    });
    // Reserved in an event the venue migration had not reached: no category known.
    expect(parseSeatState('R|u1|1000|||')).toEqual({ kind: 'reserved', userId: 'u1', at: 1000 });
  });

  it.each([
    'H|u1|1000|premium|8000|EUR',
    'R|u1|1000|premium|8000|',
    'R|u1|1000|premium||EUR',
    'R|u1|1000||5|EUR',
    'R|u1|1000|a b|1|EUR',
    'R|u1|1000|premium|8000|eur',
    'R|u1|1000|premium|8000',
  ])('refuses %s', (value) => expect(parseSeatState(value)).toBeUndefined());

  it('reads the reserve script’s answer fields the same way', () => {
    expect(reservedPrice('', '', '')).toBeUndefined();
    expect(reservedPrice('box', '300', 'GBP')).toEqual({ categoryId: 'box', price: { amount: 300, currency: 'GBP' } });
    expect(reservedPrice('box', '', '')).toEqual({ categoryId: 'box', price: null });
  });
});
