import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT } from '../support/build.js';

const NESTED = 'BOOKING_TEST_SCRIPTS_NESTED';

/**
 * What the nested run's global setup needs from this one's environment: the redis-server binary this run found (a
 * machine may have it outside PATH, named by REDIS_SERVER_BIN), redis-memory-server's own settings, the temp folder.
 */
function passedThrough(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && /^(REDIS_SERVER_BIN|REDISMS_\w+|TMPDIR|TEST_LOG_LEVEL)$/.test(entry[0]),
    ),
  );
}

/** `npm run <script> -- <args>` in the project: exit status and output. */
function npmRun(script: string, args: string[]): { status: number | null; output: string } {
  const run = spawnSync('npm', ['run', '--silent', script, '--', ...args], {
    cwd: ROOT,
    // The marker keeps this file from running inside the runs it starts, should a pattern ever select it there.
    env: { ...passedThrough(), PATH: process.env.PATH, HOME: process.env.HOME, [NESTED]: '1' },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

function listed(script: string): string[] {
  const { status, output } = npmRun(script, ['--listTests']);
  expect(status).toBe(0);
  return output
    .split('\n')
    .filter((line) => line.startsWith('/'))
    .map((file) => relative(ROOT, file))
    .sort();
}

/** Issue 18, item 5: the test scripts select what their names say, and test:cov fails when coverage drops. */
(process.env[NESTED] ? describe.skip : describe)('test scripts', () => {
  it('test:unit runs the specs beside the code and test/unit; test:e2e runs test/e2e', () => {
    const unit = listed('test:unit');
    expect(unit).toContain('src/common/error-codes.spec.ts');
    expect(unit).toContain('test/unit/folder-cycles.test.ts');
    expect(unit.filter((file) => !/^src\/.*\.spec\.ts$|^test\/unit\//.test(file))).toEqual([]);
    const e2e = listed('test:e2e');
    expect(e2e).toContain('test/e2e/test-scripts.e2e.test.ts');
    expect(e2e.filter((file) => !file.startsWith('test/e2e/'))).toEqual([]);
  }, 120_000);

  it('test:cov fails the run when coverage is below the thresholds (here: one small spec alone)', () => {
    const coverage = mkdtempSync(join(tmpdir(), 'booking-coverage-'));
    try {
      // The path first: --coverageReporters takes every value after it.
      const { status, output } = npmRun('test:cov', [
        'src/common/iso-date-time.spec.ts',
        `--coverageDirectory=${coverage}`,
        '--coverageReporters=text-summary',
      ]);
      expect({
        status,
        threshold: /Coverage for \w+ \([\d.]+%\) does not meet "global" threshold/.test(output),
      }).toEqual({
        status: 1,
        threshold: true,
      });
      // The spec itself passed: it is the coverage that failed the run.
      expect(output).toMatch(/Tests:\s+\d+ passed, \d+ total/);
    } finally {
      rmSync(coverage, { recursive: true, force: true });
    }
  }, 240_000);
});
