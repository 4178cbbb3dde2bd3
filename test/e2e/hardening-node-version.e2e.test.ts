import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ROOT, builtMain } from '../support/build.js';

/** A `node` on this machine older than package.json "engines" (the system one, typically), or undefined. */
function olderNode(): { path: string; version: string } | undefined {
  const candidates = new Set(['/usr/bin/node', '/usr/local/bin/node', '/bin/node']);
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir) candidates.add(join(dir, 'node'));
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    try {
      const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
      const [major, minor] = version.slice(1).split('.').map(Number);
      if (major < 24 || (major === 24 && minor < 9)) return { path, version };
    } catch {
      // not runnable: not a candidate
    }
  }
  return undefined;
}

const old = olderNode();
const run = (node: string, entry: string) =>
  new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) => {
    const child = spawn(node, [join(ROOT, 'dist', entry)], {
      cwd: ROOT,
      // A configuration that would otherwise start: the check must come before anything else happens.
      env: { PATH: process.env.PATH, REDIS_URL: 'redis://127.0.0.1:1', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });

// Skipped (and says why) only on a machine with no Node older than "engines" to try it with.
(old ? describe : describe.skip)(
  `the built entry points on an older Node (${old ? `${old.path} ${old.version}` : 'none found on this machine'})`,
  () => {
    beforeAll(() => builtMain(), 180_000);

    it.each(['main.js', 'worker.js', 'scripts/check-integrity.js', 'scripts/generate-openapi.js'])(
      'dist/%s exits 1 at once with one line naming the required version and how to get it',
      async (entry) => {
        const outcome = await run(old!.path, entry);
        expect(outcome).toEqual({ code: 1, signal: null, stderr: expect.any(String) });
        const lines = outcome.stderr.trimEnd().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain('needs Node.js 24.9 or newer');
        expect(lines[0]).toContain(old!.version);
        expect(lines[0]).toContain('npm install');
        expect(lines[0]).toContain('npm start');
      },
    );
  },
);
