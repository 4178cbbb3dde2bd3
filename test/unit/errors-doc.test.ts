import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/build.js';
import { generateErrorsDoc } from '../../src/scripts/generate-errors-doc.js';

/** docs/errors.md's tables are generated from src/common/error-codes.ts: the file must be what `npm run openapi` writes. */
describe('docs/errors.md', () => {
  it('is up to date with the error table (run `npm run openapi` after changing src/common/error-codes.ts)', async () => {
    const path = join(ROOT, 'docs', 'errors.md');
    const current = readFileSync(path, 'utf8');
    expect(await generateErrorsDoc(current, path)).toBe(current);
  });
});
