import { MAX_TOKEN_BYTES, capToken, searchForm, searchTokens } from './user-search.js';

describe('search tokens are capped', () => {
  it('at MAX_TOKEN_BYTES bytes of UTF-8, cut before a code point', () => {
    const tokens = searchTokens({ email: 'x@example.com', name: '\uFDFA'.repeat(100) });
    for (const token of tokens) expect(Buffer.byteLength(token)).toBeLessThanOrEqual(MAX_TOKEN_BYTES);
    expect(tokens[1]).toBe(capToken(searchForm('\uFDFA'.repeat(100))));
    expect(capToken('a'.repeat(MAX_TOKEN_BYTES - 1) + 'é')).toBe('a'.repeat(MAX_TOKEN_BYTES - 1));
    expect(capToken('short')).toBe('short');
  });

  it('tolerate an account without name or email', () => {
    expect(searchTokens({ email: 'ada@example.com' })).toEqual(['ada@example.com']);
    expect(searchTokens({ name: 'Ada' })).toEqual(['ada']);
    expect(searchTokens({})).toEqual([]);
  });
});
