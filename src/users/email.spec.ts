import { normalizeEmail } from './email.js';

describe('normalizeEmail', () => {
  const samples = [
    'Ada@Example.com',
    '  josé@example.com ',
    'jose\u0301@example.com',
    '\uff21\uff44\uff41@example.com',
    'İSTANBUL@example.com',
    'ΟΔΟΣ@example.gr',
    'ﬁle@example.com',
    'Straße@example.de',
  ];

  it('is idempotent: a normalized email normalizes to itself', () => {
    for (const email of samples) expect(normalizeEmail(normalizeEmail(email))).toBe(normalizeEmail(email));
  });

  it('joins composed and decomposed accents, fullwidth letters, ligatures and case', () => {
    expect(normalizeEmail('jose\u0301@example.com')).toBe('jos\u00e9@example.com');
    expect(normalizeEmail('\uff21\uff44\uff41@EXAMPLE.com')).toBe('ada@example.com');
    expect(normalizeEmail('ﬁle@example.com')).toBe('file@example.com');
  });

  it('does not depend on the locale (no Turkish dotless i) and keeps ß apart from ss', () => {
    expect(normalizeEmail('I@example.com')).toBe('i@example.com');
    expect(normalizeEmail('Straße@example.de')).not.toBe(normalizeEmail('Strasse@example.de'));
  });
});
