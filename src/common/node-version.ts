/**
 * Imported first by every entry point (main, worker, scripts), before anything that loads a native binding: on an
 * older Node the argon2 binding crashes the process with SIGSEGV and no word, so this stops it with one line first.
 * ESM evaluates imports in order, depth-first, so nothing else of the program has run yet. Keep it free of imports.
 */
export const REQUIRED_NODE = { major: 24, minor: 9 } as const;

/** Null when `version` (as in process.versions.node) is new enough, else the line to print. */
export function nodeTooOld(version: string): string | null {
  const [major, minor] = version.split('.').map(Number);
  if (major > REQUIRED_NODE.major || (major === REQUIRED_NODE.major && minor >= REQUIRED_NODE.minor)) return null;
  const required = `${REQUIRED_NODE.major}.${REQUIRED_NODE.minor}`;
  return (
    `booking-service needs Node.js ${required} or newer (package.json "engines"), but ${process.execPath} is ` +
    `v${version}: run \`npm install\` (it brings Node ${REQUIRED_NODE.major} along) and start through npm ` +
    '(`npm start`, `npm run worker`, `npm run check-integrity`), or install Node 24 LTS from https://nodejs.org'
  );
}

const refusal = nodeTooOld(process.versions.node);
if (refusal !== null) {
  process.stderr.write(`${refusal}\n`);
  process.exit(1);
}
