import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDevInCopy } from '../support/npm-script.js';

/**
 * Review of issue 18, item 5: `npm run start:dev` on sources with a type error prints it and serves what tsc emitted
 * (it used to die at start: the one-shot build's exit status 2 threw), so a developer fixes it with the service up.
 * In a copy of the sources, as start-dev.e2e.test.ts.
 */
describe('npm run start:dev with a type error', () => {
  const dev = startDevInCopy();

  it('prints the error and serves', async () => {
    appendFileSync(
      join(dev.dir, 'src', 'health', 'health.controller.ts'),
      "\nexport const typeErrorOfTheTest: number = 'not a number';\n",
    );
    await dev.start();
    expect(dev.output).toMatch(/health\.controller\.ts.*error TS2322/);
  }, 300_000);
});
