// `npm run start:dev`: builds once, then keeps dist/ up to date (tsc --watch, and the Lua scripts copied again when one
// changes) while `node --watch` restarts the service whenever dist/ changes. Reads .env when present, as `npm start`
// does (variables already in the environment win). Logs are made readable (tools/pretty-logs.mjs); the service itself
// still writes JSON. Ctrl-C stops everything. No dependency beyond TypeScript and Node's own watch mode.
import { execFileSync, spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { prettyStream } from './pretty-logs.mjs';

const tsc = 'node_modules/typescript/bin/tsc';
const copyAssets = () => execFileSync(process.execPath, ['tools/copy-assets.mjs'], { stdio: 'inherit' });

execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
copyAssets();

const children = [];
const compiler = spawn(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'], {
  stdio: ['ignore', 'inherit', 'inherit'],
});
children.push(compiler);

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

const service = spawn(
  process.execPath,
  ['--watch-path=dist', '--env-file-if-exists=.env', '--enable-source-maps', 'dist/main.js'],
  { stdio: ['ignore', 'pipe', 'pipe'], env: { NODE_ENV: 'development', ...process.env } },
);
children.push(service);
const colour = process.stdout.isTTY === true;
prettyStream(service.stdout, process.stdout, { colour });
prettyStream(service.stderr, process.stderr, { colour });

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  lua.close();
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  const left = children.filter((child) => child.exitCode === null && child.signalCode === null);
  Promise.all(left.map((child) => new Promise((resolve) => child.once('exit', resolve)))).then(() =>
    process.exit(code),
  );
  setTimeout(() => process.exit(code), 5000).unref();
}
process.once('SIGINT', () => stop(0));
process.once('SIGTERM', () => stop(0));
for (const child of children) child.once('exit', (code) => stop(code ?? 1));
