import { readFileSync } from 'node:fs';
import { ERRORS, ErrorCode } from './error-codes.js';

describe('error codes', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

  it.each(Object.values(ErrorCode))('%s is documented in docs/errors.md with its status', (code) => {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\``));
    expect(row).toBeDefined();
    expect(row!.split('|')[2].trim()).toBe(String(ERRORS[code].status));
  });
});
