/**
 * The service's configuration, read from the environment once at boot and validated.
 * Nothing else in the code reads process.env: everything takes an AppConfig.
 */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class AppConfig {
  readonly nodeEnv!: string;
  readonly port!: number;
  /** Copies of the service behind one port (Node's cluster module): 1 = just this process, 0 = one per core. */
  readonly clusterWorkers!: number;
  readonly host!: string;
  /** Unset means: start a private redis-server (see redis/embedded-redis.ts). */
  readonly redisUrl!: string | undefined;
  /**
   * Redis Cluster: seed nodes ("host:port" or redis[s]:// URLs; the rest are discovered). When set, the service uses a
   * cluster client and REDIS_URL is ignored; user, password and TLS of the first entry apply to every node.
   */
  readonly redisClusterNodes!: readonly string[];
  readonly redisKeyPrefix!: string;
  readonly redisCommandTimeoutMs!: number;
  /** ioredis auto-pipelining: batches commands of concurrent requests into one write (see docs/performance.md). */
  readonly redisAutoPipelining!: boolean;
  /** The redis-server binary for the embedded default; unset: found on PATH. */
  readonly redisServerBin!: string | undefined;
  /** Where the embedded Redis keeps its AOF and where a generated JWT secret is kept. */
  readonly dataDir!: string;
  /** Unset outside production means: a secret kept in the data folder (see main.ts). */
  readonly jwtSecret!: string | undefined;
  readonly jwtIssuer!: string;
  readonly jwtAudience!: string;
  readonly accessTokenTtlSeconds!: number;
  readonly refreshTokenTtlSeconds!: number;
  /**
   * Seconds after a refresh during which the refresh token it spent may be presented again and gets a new pair (its
   * answer may have been lost); 0: strict, any spent token revokes the family. See docs/security.md.
   */
  readonly refreshReuseGraceSeconds!: number;
  readonly adminEmail!: string | undefined;
  readonly adminPassword!: string | undefined;
  readonly logLevel!: LogLevel;
  readonly bodyLimitBytes!: number;
  /**
   * The service's public origin (and path prefix, if any), without a trailing slash: makes each problem's `type` an
   * absolute URI (`<this>/problems/<code>`). Unset: `type` is relative, resolved against the answering host.
   */
  readonly publicBaseUrl!: string | undefined;
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  readonly metricsToken!: string | undefined;
  /** Browser origins allowed to call the API (CORS); empty: no cross-origin browser access. */
  readonly corsOrigins!: readonly string[];
  /** Login and register attempts per client address per minute (brute-force limit, counted in Redis). */
  readonly authRateLimitPerMinute!: number;
  /** Requests per client (user, or address when anonymous) per minute on every API route; 0: no limit. */
  readonly rateLimitPerMinute!: number;
  /** How often each instance adds its request counts to the shared ones in Redis (0: only at shutdown; tests). */
  readonly rateLimitSyncMs!: number;
  /** How many proxy hops in front of the service to trust for the client address (X-Forwarded-For). */
  readonly trustProxyHops!: number;
  readonly retryAfterSeconds!: number;
  readonly holdSeconds!: number;
  readonly maxHoldsPerUser!: number;
  /** Open WebSockets per user on one instance; the next handshake is refused with 429. */
  readonly liveMaxSocketsPerClient!: number;
  /** Open seat-map SSE streams per signed-in user on one instance; the next is a 429. */
  readonly liveMaxStreamsPerClient!: number;
  /**
   * Open seat-map SSE streams of anonymous clients per address on one instance. Higher than the per-user cap: a browser's
   * EventSource sends no Authorization header, so every viewer behind one NAT (or one proxy, without TRUST_PROXY_HOPS)
   * shares it.
   */
  readonly liveMaxStreamsPerAddress!: number;
  /** Messages a socket may send per second (a token bucket of as many); a socket that sends more is closed (1008). */
  readonly liveMaxMessagesPerSecond!: number;
  /** Renewals of one seat by one user in a row; the hold after that is refused and the seat runs out as usual. */
  readonly holdMaxRenewals!: number;
  /** How often each instance looks for holds that ran out, to announce them (0: never). */
  readonly holdSweepIntervalMs!: number;
  /** How long seats offered to the first fitting entry of an event's waiting line are held for that user. */
  readonly waitlistOfferSeconds!: number;
  /**
   * How often each instance looks for appointment reservations that ran out (announces them and lists their slots
   * again in GET /v1/slots) and prunes started slots from the open-slots index. Never off in a deployment (the index
   * would grow forever and lapsed slots never come back): the variable refuses 0. Only code (tests, the OpenAPI
   * generator) sets 0, for an app whose background work must stay quiet.
   */
  readonly appointmentSweepIntervalMs!: number;
  /** 'inline': this process runs the reminder worker; 'off': a separate `npm run worker` does. */
  readonly reminderWorker!: 'inline' | 'off';
  /** Where `npm run worker` serves /health/live, /health/ready and /metrics (on HOST); 0: nowhere. */
  readonly workerPort!: number;
  /** Minutes before a confirmed appointment its client is reminded (0: no reminder). */
  readonly appointmentReminderMinutes!: number;
  /** Minutes before a restaurant reservation its customer is reminded (0: no reminder). */
  readonly restaurantReminderMinutes!: number;
  readonly appointmentSlotMinutes!: number;
  readonly appointmentPendingSeconds!: number;
  readonly appointmentLeadHours!: number;
  /** Longest availability window one submission may open. */
  readonly appointmentMaxWindowHours!: number;
  /** Most unconfirmed reservations one client may hold with one provider at a time. */
  readonly appointmentMaxPendingPerClient!: number;
  /** Live reservations one customer may have at one restaurant on one local day (its managers and admins: no cap). */
  readonly restaurantMaxReservationsPerDay!: number;
  readonly shutdownTimeoutMs!: number;
  /** How long a creating POST's answer is kept for replay under its Idempotency-Key. */
  readonly idempotencyTtlSeconds!: number;
  /** How long a key stays "in flight" if the process handling it dies before answering. */
  readonly idempotencyLockSeconds!: number;
  /** How often this process runs the integrity check and updates its metrics (0: never; `npm run check-integrity`). */
  readonly integrityCheckIntervalMs!: number;
  /**
   * OpenTelemetry: the OTLP/HTTP collector's base URL (`/v1/traces` is appended, as the standard variable means).
   * Unset: tracing is off and nothing of it is set up (see tracing/tracing.ts).
   */
  readonly otelExporterOtlpEndpoint!: string | undefined;
  /** `service.name` of the exported spans. */
  readonly otelServiceName!: string;
  /**
   * Where email goes: `smtp://user:pass@host:587` (STARTTLS when the server offers it) or `smtps://…:465` (TLS from
   * the start). Unset: email is off (no mail consumer registered, nothing queued for mail).
   */
  readonly smtpUrl!: string | undefined;
  /** The sender of every email, `address` or `Name <address>`; required with SMTP_URL. */
  readonly mailFrom!: string | undefined;
  /** Limit on connecting, on the server's greeting and on each wait for an answer, per SMTP send. */
  readonly smtpTimeoutMs!: number;
  /**
   * Whether an smtp:// connection must upgrade with STARTTLS (no upgrade offered: the send fails and is retried,
   * the password never goes in clear). Unset: required unless SMTP_URL's host is a loopback address (a local
   * catcher); SMTP_REQUIRE_TLS=false is the opt-out for a trusted network without TLS.
   */
  readonly smtpRequireTls!: boolean | undefined;
  /**
   * Whether this process runs the outbox relay (moves outbox entries to delivery jobs) and the delivery workers.
   * Several instances may: claiming a stream's pending mark and job ids per (consumer, target, event) keep each
   * hand-over single.
   */
  readonly outboxRelay!: boolean;
  /** How often the relay looks at the streams marked pending (after each change). */
  readonly outboxPollIntervalMs!: number;
  /** How often the relay SCANs every master for outbox streams a lost pending mark left behind. */
  readonly outboxScanIntervalMs!: number;
  /** First retry delay of a delivery; doubled per attempt, with jitter, up to outboxRetryMaxDelayMs. */
  readonly outboxRetryBaseMs!: number;
  /** Longest delay between two attempts of one delivery. */
  readonly outboxRetryMaxDelayMs!: number;
  /** How long a delivery is retried after its first attempt before it is given up (about a day). */
  readonly outboxRetryForMs!: number;
  /** How long one webhook request may take (connect, send, answer) before it counts as failed and is retried. */
  readonly webhookTimeoutMs!: number;
  /** Allow webhook URLs on loopback, private, link-local and metadata addresses (tests, a private deployment). */
  readonly webhookAllowPrivate!: boolean;
  /** How long a rotated-out webhook secret still signs deliveries beside the new one. */
  readonly webhookSecretGraceMs!: number;
  /** An endpoint whose deliveries have failed for this long without a success is disabled and its owner told. */
  readonly webhookDisableAfterMs!: number;
  /** How many endpoints one admin or manager may register (every event fans out to each subscribed one). */
  readonly webhookMaxPerOwner!: number;

  /** Builds a config from explicit values (tests) on top of the defaults. */
  static from(values: Partial<AppConfig>): AppConfig {
    return loadConfig({}).with(values);
  }

  /** A copy with some values replaced (main.ts fills in the embedded Redis URL and a generated secret). */
  with(values: Partial<AppConfig>): AppConfig {
    return Object.assign(new AppConfig(), this, values);
  }
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(name, `must be an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!allowed.includes(raw as T)) throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

function origins(env: Env, name: string): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [];
  const list = raw.split(',').map((o) => o.trim());
  const bad = list.find((o) => !/^https?:\/\/[^/\s]+$/.test(o));
  if (bad !== undefined)
    throw new ConfigError(name, `must be a comma-separated list of origins like https://app.example.com, got "${bad}"`);
  return list;
}

function clusterNodes(env: Env, name: string): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [];
  const list = raw.split(',').map((n) => n.trim());
  const bad = list.find((n) => !/^((rediss?:\/\/)([^@/\s]*@)?)?[^:/@\s]+:\d{1,5}$/.test(n));
  if (bad !== undefined)
    throw new ConfigError(name, `must be a comma-separated list of host:port or redis:// URLs, got "${bad}"`);
  return list;
}

function httpUrl(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError(name, `must be an http:// or https:// URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(name, `must be an http:// or https:// URL, got "${raw}"`);
  }
  return raw.trim();
}

/** An absolute http(s) base URL without query or fragment, returned without its trailing slash. */
function baseUrl(env: Env, name: string): string | undefined {
  const raw = httpUrl(env, name);
  if (raw === undefined) return undefined;
  const url = new URL(raw);
  if (
    url.search !== '' ||
    url.hash !== '' ||
    url.username !== '' ||
    url.password !== '' ||
    raw.includes('?') ||
    raw.includes('#')
  ) {
    throw new ConfigError(name, `must be a base URL without credentials, query or fragment, got "${raw}"`);
  }
  return url.href.replace(/\/+$/, '');
}

function text(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  return raw === undefined || raw === '' ? fallback : raw;
}

function optional(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : raw;
}

/**
 * nodemailer options an SMTP_URL may carry as its query (nodemailer lets them override the service's own): TLS
 * settings for a server's certificate, the name said in EHLO and the login method. Anything else (`pool`,
 * `socketTimeout`, `ignoreTLS`, ...) is refused: it would undo "one connection per message, every wait bounded by
 * SMTP_TIMEOUT_MS" or SMTP_REQUIRE_TLS.
 */
const SMTP_URL_OPTIONS = new Set(['tls.rejectUnauthorized', 'tls.servername', 'tls.minVersion', 'name', 'authMethod']);

function smtpUrl(env: Env, name: string): string | undefined {
  const raw = optional(env, name)?.trim();
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.com:587');
  }
  if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || url.hostname === '') {
    throw new ConfigError(name, 'must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.com:587');
  }
  for (const key of url.searchParams.keys()) {
    if (!SMTP_URL_OPTIONS.has(key)) {
      throw new ConfigError(
        name,
        `may carry only ${[...SMTP_URL_OPTIONS].join(', ')} as query options, got "${key}" ` +
          '(timeouts: SMTP_TIMEOUT_MS; TLS: SMTP_REQUIRE_TLS; no pool)',
      );
    }
  }
  return raw;
}

function optionalBoolean(env: Env, name: string): boolean | undefined {
  return env[name] === undefined || env[name] === '' ? undefined : boolean(env, name, false);
}

/**
 * A sender: `address` or `Display Name <address>`, one address with a domain. No line breaks (header injection), and
 * no quotes, commas or semicolons in the name: an address list parser would read `Box, Office <x@y>` as two senders.
 */
const MAIL_FROM = /^(?:[^<>\r\n",;]*<[^<>@\s,;]+@[^<>@\s,;]+>|[^<>@\s,;]+@[^<>@\s,;]+)$/;

function mailFrom(env: Env, name: string, smtp: string | undefined): string | undefined {
  const raw = optional(env, name)?.trim();
  if (raw === undefined || raw === '') {
    if (smtp !== undefined) throw new ConfigError(name, 'is required when SMTP_URL is set (the sender of every email)');
    return undefined;
  }
  if (!MAIL_FROM.test(raw)) {
    throw new ConfigError(name, `must be an email address or "Name <address>" (no quotes or commas), got "${raw}"`);
  }
  return raw;
}

/** Reads and validates every variable; throws ConfigError naming the first bad one. */
export function loadConfig(env: Env): AppConfig {
  const nodeEnv = text(env, 'NODE_ENV', 'development');

  const redisUrl = optional(env, 'REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError('REDIS_URL', 'must start with redis:// or rediss://');
  }
  const redisClusterNodes = clusterNodes(env, 'REDIS_CLUSTER_NODES');
  const redisKeyPrefix = text(env, 'REDIS_KEY_PREFIX', 'bk:');
  if (/[{}\s]/.test(redisKeyPrefix)) {
    // A brace in the prefix would become the hash tag and put every key in one cluster slot.
    throw new ConfigError('REDIS_KEY_PREFIX', 'must not contain braces or white space');
  }

  const jwtSecret = optional(env, 'JWT_SECRET');
  if (jwtSecret !== undefined && jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET', 'must be at least 32 characters long');
  }
  if (jwtSecret === undefined && nodeEnv === 'production') {
    throw new ConfigError('JWT_SECRET', 'is required when NODE_ENV=production');
  }

  const adminEmail = optional(env, 'ADMIN_EMAIL');
  const adminPassword = optional(env, 'ADMIN_PASSWORD');
  if ((adminEmail === undefined) !== (adminPassword === undefined)) {
    throw new ConfigError(adminEmail ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL', 'must be set together with the other');
  }
  if (adminEmail !== undefined && !/^[^@\s]+@[^@\s]+$/.test(adminEmail)) {
    throw new ConfigError('ADMIN_EMAIL', 'must be an email address');
  }
  if (adminPassword !== undefined && (adminPassword.length < 8 || adminPassword.length > 128)) {
    throw new ConfigError('ADMIN_PASSWORD', 'must be 8 to 128 characters long');
  }

  const logLevel = text(env, 'LOG_LEVEL', 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  }

  const smtp = smtpUrl(env, 'SMTP_URL');

  const config = new AppConfig();
  return Object.assign(config, {
    nodeEnv,
    port: integer(env, 'PORT', 3000, 0, 65535),
    clusterWorkers: integer(env, 'CLUSTER_WORKERS', 1, 0, 64),
    host: text(env, 'HOST', '127.0.0.1'),
    redisUrl,
    redisClusterNodes,
    redisKeyPrefix,
    redisCommandTimeoutMs: integer(env, 'REDIS_COMMAND_TIMEOUT_MS', 2000, 50, 60_000),
    redisAutoPipelining: boolean(env, 'REDIS_AUTO_PIPELINING', false),
    dataDir: text(env, 'DATA_DIR', 'data'),
    redisServerBin: optional(env, 'REDIS_SERVER_BIN'),
    jwtSecret,
    jwtIssuer: text(env, 'JWT_ISSUER', 'booking-service'),
    jwtAudience: text(env, 'JWT_AUDIENCE', 'booking-api'),
    accessTokenTtlSeconds: integer(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 10, 86_400),
    refreshTokenTtlSeconds: integer(env, 'REFRESH_TOKEN_TTL_SECONDS', 30 * 86_400, 60, 365 * 86_400),
    refreshReuseGraceSeconds: integer(env, 'REFRESH_REUSE_GRACE_SECONDS', 10, 0, 300),
    adminEmail: adminEmail?.toLowerCase(),
    adminPassword,
    logLevel,
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 65_536, 1024, 10 * 1024 * 1024),
    metricsToken: optional(env, 'METRICS_TOKEN'),
    publicBaseUrl: baseUrl(env, 'PUBLIC_BASE_URL'),
    corsOrigins: origins(env, 'CORS_ORIGINS'),
    authRateLimitPerMinute: integer(env, 'AUTH_RATE_LIMIT_PER_MINUTE', 20, 1, 100_000),
    rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 1200, 0, 10_000_000),
    rateLimitSyncMs: integer(env, 'RATE_LIMIT_SYNC_MS', 250, 0, 60_000),
    trustProxyHops: integer(env, 'TRUST_PROXY_HOPS', 0, 0, 10),
    retryAfterSeconds: integer(env, 'RETRY_AFTER_SECONDS', 5, 1, 3600),
    holdSeconds: integer(env, 'HOLD_SECONDS', 60, 1, 3600),
    maxHoldsPerUser: integer(env, 'MAX_HOLDS_PER_USER', 10, 1, 1000),
    holdMaxRenewals: integer(env, 'HOLD_MAX_RENEWALS', 4, 0, 1_000_000),
    holdSweepIntervalMs: integer(env, 'HOLD_SWEEP_INTERVAL_MS', 250, 0, 60_000),
    waitlistOfferSeconds: integer(env, 'WAITLIST_OFFER_SECONDS', 600, 1, 86_400),
    appointmentSweepIntervalMs: integer(env, 'APPOINTMENT_SWEEP_INTERVAL_MS', 250, 10, 60_000),
    liveMaxSocketsPerClient: integer(env, 'LIVE_MAX_SOCKETS_PER_CLIENT', 10, 1, 10_000),
    liveMaxStreamsPerClient: integer(env, 'LIVE_MAX_STREAMS_PER_CLIENT', 50, 1, 100_000),
    liveMaxStreamsPerAddress: integer(env, 'LIVE_MAX_STREAMS_PER_ADDRESS', 500, 1, 1_000_000),
    liveMaxMessagesPerSecond: integer(env, 'LIVE_MAX_MESSAGES_PER_SECOND', 50, 1, 1_000_000),
    reminderWorker: oneOf(env, 'REMINDER_WORKER', ['inline', 'off'] as const, 'inline'),
    workerPort: integer(env, 'WORKER_PORT', 3001, 0, 65535),
    appointmentReminderMinutes: integer(env, 'APPOINTMENT_REMINDER_MINUTES', 60, 0, 10_080),
    restaurantReminderMinutes: integer(env, 'RESTAURANT_REMINDER_MINUTES', 120, 0, 10_080),
    appointmentSlotMinutes: integer(env, 'APPOINTMENT_SLOT_MINUTES', 15, 5, 240),
    appointmentPendingSeconds: integer(env, 'APPOINTMENT_PENDING_SECONDS', 1800, 1, 86_400),
    appointmentLeadHours: integer(env, 'APPOINTMENT_LEAD_HOURS', 24, 0, 24 * 365),
    appointmentMaxWindowHours: integer(env, 'APPOINTMENT_MAX_WINDOW_HOURS', 12, 1, 24 * 7),
    appointmentMaxPendingPerClient: integer(env, 'APPOINTMENT_MAX_PENDING_PER_CLIENT', 3, 1, 100),
    restaurantMaxReservationsPerDay: integer(env, 'RESTAURANT_MAX_RESERVATIONS_PER_DAY', 2, 1, 1000),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 100, 120_000),
    idempotencyTtlSeconds: integer(env, 'IDEMPOTENCY_TTL_SECONDS', 86_400, 1, 30 * 86_400),
    idempotencyLockSeconds: integer(env, 'IDEMPOTENCY_LOCK_SECONDS', 30, 1, 3600),
    integrityCheckIntervalMs: integer(env, 'INTEGRITY_CHECK_INTERVAL_MS', 0, 0, 7 * 86_400_000),
    otelExporterOtlpEndpoint: httpUrl(env, 'OTEL_EXPORTER_OTLP_ENDPOINT'),
    otelServiceName: text(env, 'OTEL_SERVICE_NAME', 'booking-service'),
    smtpUrl: smtp,
    mailFrom: mailFrom(env, 'MAIL_FROM', smtp),
    smtpTimeoutMs: integer(env, 'SMTP_TIMEOUT_MS', 10_000, 100, 300_000),
    smtpRequireTls: optionalBoolean(env, 'SMTP_REQUIRE_TLS'),
    outboxRelay: boolean(env, 'OUTBOX_RELAY', true),
    outboxPollIntervalMs: integer(env, 'OUTBOX_POLL_INTERVAL_MS', 200, 10, 60_000),
    outboxScanIntervalMs: integer(env, 'OUTBOX_SCAN_INTERVAL_MS', 60_000, 100, 86_400_000),
    outboxRetryBaseMs: integer(env, 'OUTBOX_RETRY_BASE_MS', 10_000, 1, 3_600_000),
    outboxRetryMaxDelayMs: integer(env, 'OUTBOX_RETRY_MAX_DELAY_MS', 3_600_000, 1, 86_400_000),
    outboxRetryForMs: integer(env, 'OUTBOX_RETRY_FOR_MS', 86_400_000, 1, 7 * 86_400_000),
    webhookTimeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 10, 120_000),
    webhookAllowPrivate: boolean(env, 'WEBHOOK_ALLOW_PRIVATE', false),
    webhookSecretGraceMs: integer(env, 'WEBHOOK_SECRET_GRACE_MS', 86_400_000, 0, 30 * 86_400_000),
    webhookDisableAfterMs: integer(env, 'WEBHOOK_DISABLE_AFTER_MS', 86_400_000, 1, 30 * 86_400_000),
    webhookMaxPerOwner: integer(env, 'WEBHOOK_MAX_PER_OWNER', 25, 1, 1000),
  } satisfies Partial<AppConfig>);
}
