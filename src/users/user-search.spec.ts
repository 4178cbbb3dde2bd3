import { byteOrder, listedToken, searchForm, searchTokens } from './user-search.js';

describe('user search tokens', () => {
  it('are the email and the name from the start of each word, in the searched form', () => {
    expect(searchTokens({ email: 'jl@example.com', name: '  Jean-Luc   PICARD ' })).toEqual([
      'jl@example.com',
      'jean-luc picard',
      'luc picard',
      'picard',
    ]);
    expect(searchTokens({ email: 'x@example.com', name: 'Ｒｅｎéｅ' })).toEqual(['x@example.com', 'renée']);
  });

  it('normalize a query as emails are, with white space made one space', () => {
    expect(searchForm('  ADA\u00a0 Lov ')).toBe('ada lov');
    expect(searchForm('ｊｏｓｅ\u0301')).toBe('josé');
  });

  it('list an account once, under its first matching token in Redis order', () => {
    const user = { email: 'ada@example.com', name: 'Ada Adams' };
    expect(listedToken(user, 'ada')).toBe('ada adams');
    expect(listedToken(user, 'adam')).toBe('adams');
    expect(listedToken(user, 'ada@')).toBe('ada@example.com');
    expect(listedToken(user, 'bob')).toBeUndefined();
  });

  it('order by UTF-8 bytes, as Redis does, not by UTF-16 units', () => {
    // U+E000 sorts after U+1F600 (a surrogate pair, D83D DE00) by UTF-16 units, before it by UTF-8 bytes.
    expect(byteOrder('\ue000', '\u{1f600}')).toBeLessThan(0);
    expect('\ue000' < '\u{1f600}').toBe(false);
  });
});
