// First: refuses an unsupported Node before any import loads a native binding.
import '../common/node-version.js';
import { ConfigError, loadConfig } from '../config/app-config.js';
import { INTEGRITY_CHECKS, INVARIANTS } from '../integrity-checks.js';
import type { Invariant } from '../integrity-checks.js';
import { IntegrityChecker } from '../ops/integrity-checker.js';
import type { IntegrityReport } from '../ops/integrity-checker.js';
import type { Finding } from '../ops/integrity.js';
import { createRedisClient, redisOptionsFrom } from '../redis/redis-client.js';
import type { RedisClient } from '../redis/redis-client.js';
import { isRedisUnavailable } from '../common/store-errors.js';

/** Exit codes: scripts and cron jobs tell "the data is broken" from "the check could not run". */
export const EXIT = { clean: 0, violations: 1, unreachable: 2, failed: 3 } as const;

const USAGE = `npm run check-integrity [-- --json] [-- --settle-ms <ms>]

Scans the Redis of REDIS_URL (keys under REDIS_KEY_PREFIX) for broken invariants of the booking data and prints
one line per finding and a summary. Read only, SCAN based (safe on a production Redis); on Redis Cluster every
master is scanned.

  --json           print one JSON document {ok, findings, counts, keysScanned, durationMs} instead of lines
  --settle-ms <n>  wait this long before reading a suspicious key again (default 1000; writes in flight are
                   not reported)
  --help           this text and the list of invariants

Exit codes: 0 no violations, 1 violations found, 2 Redis unreachable, 3 the check could not run (configuration,
arguments, error).

Invariants:
${Object.entries(INVARIANTS)
  .map(([name, description]) => `  ${name.padEnd(32)} ${description}`)
  .join('\n')}
`;

interface Args {
  readonly json: boolean;
  readonly settleMs: number;
  readonly help: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  let json = false;
  let help = false;
  let settleMs = 1000;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--settle-ms' && /^\d+$/.test(argv[i + 1] ?? '')) settleMs = Number(argv[++i]);
    else throw new UsageError(`unknown or incomplete argument: ${arg}`);
  }
  return { json, settleMs, help };
}

class UsageError extends Error {}

const line = (f: Finding) => `${f.invariant}  ${f.detail}  [${f.keys.join(' ')}]`;

function summary(report: IntegrityReport): string {
  const seconds = (report.durationMs / 1000).toFixed(1);
  const scanned = `${report.keysScanned} keys scanned in ${seconds} s`;
  if (report.findings.length === 0) return `integrity check: no violations; ${scanned}`;
  const broken = (Object.entries(report.counts) as [Invariant, number][])
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
  return `integrity check: ${report.findings.length} violation(s) (${broken}); ${scanned}`;
}

async function check(redis: RedisClient, args: Args): Promise<IntegrityReport> {
  const checker = new IntegrityChecker(redis, INTEGRITY_CHECKS, { settleMs: args.settleMs });
  // Long scans show they are alive on a terminal; pipes and cron logs get only the result.
  const progress = process.stderr.isTTY
    ? setInterval(() => process.stderr.write(`... ${checker.keysScanned} keys scanned\n`), 10_000).unref()
    : undefined;
  try {
    // Lines are printed as findings are confirmed (a long scan shows them early); JSON is one document at the end.
    return await checker.run(args.json ? undefined : (f) => process.stdout.write(`${line(f)}\n`));
  } finally {
    clearInterval(progress);
  }
}

async function main(): Promise<number> {
  let args: Args;
  let config;
  try {
    args = parseArgs(process.argv.slice(2));
    if (args.help) {
      process.stdout.write(USAGE);
      return EXIT.clean;
    }
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n\n${USAGE}`);
      return EXIT.failed;
    }
    throw error;
  }
  if (!config.redisUrl && config.redisClusterNodes.length === 0) {
    process.stderr.write('check-integrity needs REDIS_URL or REDIS_CLUSTER_NODES (the Redis the service uses).\n');
    return EXIT.failed;
  }

  // The socket error says why (refused, unknown host); a failed connect() itself only says "Connection is closed".
  let cause: Error | undefined;
  const redis = createRedisClient(
    { ...redisOptionsFrom(config), name: 'booking-integrity-check' },
    (error) => (cause ??= error),
  );
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    process.stderr.write(`check-integrity: cannot reach Redis: ${(cause ?? (error as Error)).message}\n`);
    return EXIT.unreachable;
  }
  try {
    const report = await check(redis, args);
    if (args.json) {
      const { findings, counts, keysScanned, durationMs } = report;
      const document = { ok: findings.length === 0, findings, counts, keysScanned, durationMs: Math.round(durationMs) };
      process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    } else {
      process.stdout.write(`${summary(report)}\n`);
    }
    return report.findings.length === 0 ? EXIT.clean : EXIT.violations;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (isRedisUnavailable(error)) {
      process.stderr.write(`check-integrity: Redis is unreachable (${message})\n`);
      return EXIT.unreachable;
    }
    process.stderr.write(`check-integrity: the check failed: ${error instanceof Error ? error.stack : message}\n`);
    return EXIT.failed;
  } finally {
    redis.disconnect();
  }
}

process.exitCode = await main();
