import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { freePort } from '../../src/redis/embedded-redis.js';
import { ROOT } from './build.js';
import { eventually } from './eventually.js';
import { testRedisUrl } from './test-app.js';

/**
 * A folder that looks like a checkout to npm (the project's package.json, with dist/ and node_modules/ linked from the
 * project), so that `npm run <script>` runs there exactly as in the project, with that folder as its working
 * directory, and a test can give it a `.env` of its own.
 */
export function scratchCheckout(files: Record<string, string> = {}): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'booking-checkout-'));
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  for (const linked of ['dist', 'node_modules']) symlinkSync(join(ROOT, linked), join(dir, linked), 'dir');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A copy of what `npm run start:dev` compiles (the sources, tools and configs; node_modules linked), for a test that
 * lets it write its own dist/ and edits a file in it.
 */
export function sourceCopy(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'booking-dev-'));
  for (const entry of ['src', 'tools', 'package.json', 'tsconfig.json', 'tsconfig.build.json'])
    cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A `.env` for a service a test starts by script: its port, the test Redis under a fresh prefix, no background work. */
export function serviceDotEnv(port: number): string {
  return (
    `PORT=${port}\nHOST=127.0.0.1\nREDIS_URL=${testRedisUrl()}\nREDIS_KEY_PREFIX=dev:${randomUUID().slice(0, 8)}:\n` +
    'REMINDER_WORKER=off\nHOLD_SWEEP_INTERVAL_MS=0\nLOG_LEVEL=info\n'
  );
}

/**
 * `npm run <script>` in `cwd` with only `env` (and PATH) in its environment, in a process group of its own (npm, its
 * shell and node: stopNpmScript ends them together). Pre- and post-scripts (the build) are skipped: the tests build
 * dist/ once beforehand.
 */
export function runNpmScript(
  script: string,
  cwd: string,
  env: Record<string, string>,
  output: (chunk: string) => void,
): ChildProcess {
  const child = spawn('npm', ['run', '--ignore-scripts', '--silent', script], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout!.on('data', (chunk: Buffer) => output(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output(chunk.toString()));
  return child;
}

/** Ends a process group started by runNpmScript (SIGTERM, then SIGKILL) and waits for its leader. */
export async function stopNpmScript(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 10_000);
  await gone;
  clearTimeout(timer);
  // The group's other members (node under npm's shell) may outlive npm by a moment.
  signal('SIGKILL');
}

/**
 * `npm run start:dev` in a copy of the sources (see sourceCopy) for the tests of the describe block that calls it:
 * the copy is made before all and removed, with the script's processes, after all. `start()` writes a `.env` with a
 * free port (serviceDotEnv), starts the script and resolves with the port once /health/ready answers 200; a wait
 * given up on (here or in the test, through `failWithOutput`) fails with everything the script printed.
 */
export function startDevInCopy(): {
  readonly dir: string;
  readonly output: string;
  start(): Promise<number>;
  failWithOutput(error: Error): never;
} {
  let copy: ReturnType<typeof sourceCopy> | undefined;
  let dev: ChildProcess | undefined;
  let output = '';
  beforeAll(() => {
    copy = sourceCopy();
  });
  afterAll(async () => {
    await stopNpmScript(dev);
    copy?.remove();
  });
  const failWithOutput = (error: Error): never => {
    throw new Error(`${error.message}\nstart:dev output:\n${output}`);
  };
  return {
    get dir() {
      return copy!.dir;
    },
    get output() {
      return output;
    },
    failWithOutput,
    async start() {
      const port = await freePort();
      writeFileSync(join(copy!.dir, '.env'), serviceDotEnv(port));
      dev = runNpmScript('start:dev', copy!.dir, {}, (chunk) => (output += chunk));
      await eventually(
        async () => expect((await request(`http://127.0.0.1:${port}`).get('/health/ready')).status).toBe(200),
        150_000,
        250,
      ).catch(failWithOutput);
      return port;
    },
  };
}
