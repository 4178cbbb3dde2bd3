import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { eventually } from '../support/eventually.js';
import { startDevInCopy } from '../support/npm-script.js';

/** The process's start time as /metrics reports it: it changes when the service restarts. */
async function startedAt(port: number): Promise<number> {
  const scrape = await request(`http://127.0.0.1:${port}`).get('/metrics');
  expect(scrape.status).toBe(200);
  return Number(/^booking_process_start_time_seconds (\S+)$/m.exec(scrape.text)![1]);
}

/**
 * Issue 18, item 5: `npm run start:dev` builds, serves with readable logs, and rebuilds and restarts when a source
 * changes. It runs in a copy of the sources (it compiles into its own dist/, and the test edits a file there).
 */
describe('npm run start:dev', () => {
  const dev = startDevInCopy();

  it('serves with readable logs and restarts on a change of a source file', async () => {
    const port = await dev.start();

    // Readable lines (time, level, message), no raw JSON.
    const lines = dev.output.split('\n');
    expect(lines.some((line) => /^\d\d:\d\d:\d\d\.\d{3} INFO {2}/.test(line))).toBe(true);
    expect(lines.filter((line) => line.startsWith('{"level"'))).toEqual([]);

    const first = await startedAt(port);
    appendFileSync(join(dev.dir, 'src', 'health', 'health.controller.ts'), '\n// changed by the start:dev test\n');
    await eventually(async () => expect(await startedAt(port)).toBeGreaterThan(first), 120_000, 250).catch(
      dev.failWithOutput,
    );
  }, 300_000);
});
