// `npm run start:dev`: keeps dist/ up to date (tsc --watch, and the Lua scripts copied again when one changes) while
// `node --watch` restarts the service whenever dist/ changes. Reads .env when present, as `npm start` does (variables
// already in the environment win). Logs are made readable (tools/pretty-logs.mjs); the service itself still writes
// JSON. Ctrl-C stops everything. No dependency beyond TypeScript and Node's own watch mode.
//
// The service starts once tsc --watch has finished its first build (not after a build of its own): that first build
// rewrites dist/, which would restart a service already started. A type error does not stop it: tsc still emits
// (exit status 2 in a one-shot build), the error is printed, and the service runs what was emitted until a save fixes it.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, watch } from 'node:fs';
import { parseEnv } from 'node:util';
import { prettyStream } from './pretty-logs.mjs';

const tsc = 'node_modules/typescript/bin/tsc';
const copyAssets = () => execFileSync(process.execPath, ['tools/copy-assets.mjs'], { stdio: 'inherit' });

// How long the service may take to stop (its SHUTDOWN_TIMEOUT_MS, from the environment or .env as the service reads
// it, 10 s by default), and a margin: stopping waits for it rather than cutting its shutdown short.
const fileEnv = existsSync('.env') ? parseEnv(readFileSync('.env', 'utf8')) : {};
const shutdownMs = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? fileEnv.SHUTDOWN_TIMEOUT_MS ?? 10_000) || 10_000;
const STOP_MARGIN_MS = 5000;

const children = [];
const compiler = spawn(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
children.push(compiler);

let service;
let pending = '';
compiler.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (service) return;
  // tsc ends every build with "Found N error(s). Watching for file changes."
  pending = (pending + chunk.toString()).slice(-500);
  if (/Found \d+ errors?\. Watching for file changes\./.test(pending)) startService();
});

let copying;
const lua = watch('src', { recursive: true }, (_event, file) => {
  if (!file?.endsWith('.lua')) return;
  clearTimeout(copying);
  copying = setTimeout(() => {
    try {
      copyAssets();
    } catch (error) {
      process.stderr.write(`copying the Lua scripts failed: ${error.message}\n`);
    }
  }, 100);
});

let stopping = false;

function startService() {
  if (stopping) return;
  copyAssets();
  service = spawn(
    process.execPath,
    ['--watch-path=dist', '--env-file-if-exists=.env', '--enable-source-maps', 'dist/main.js'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { NODE_ENV: 'development', ...process.env } },
  );
  children.push(service);
  const colour = process.stdout.isTTY === true;
  prettyStream(service.stdout, process.stdout, { colour });
  prettyStream(service.stderr, process.stderr, { colour });
  service.once('exit', (code) => stop(code ?? 1));
}

function stop(code) {
  if (stopping) return;
  stopping = true;
  lua.close();
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  const left = children.filter((child) => child.exitCode === null && child.signalCode === null);
  Promise.all(left.map((child) => new Promise((resolve) => child.once('exit', resolve)))).then(() =>
    process.exit(code),
  );
  setTimeout(() => process.exit(code), shutdownMs + STOP_MARGIN_MS).unref();
}
process.once('SIGINT', () => stop(0));
process.once('SIGTERM', () => stop(0));
compiler.once('exit', (code) => stop(code ?? 1));
