import { format, resolveConfig } from 'prettier';
import { errorsMarkdown, withGeneratedPart } from '../problems/problem-pages.js';

/**
 * docs/errors.md as it should be: `current` with its generated part rebuilt from the error table and formatted as
 * `npm run lint` wants it. `npm run openapi` writes it; a test compares it with the file (drift fails the test).
 * Prettier is a dev dependency: only this generator and that test load it.
 */
export async function generateErrorsDoc(current: string, path: string): Promise<string> {
  const options = (await resolveConfig(path)) ?? {};
  return format(withGeneratedPart(current, errorsMarkdown()), { ...options, filepath: path });
}
