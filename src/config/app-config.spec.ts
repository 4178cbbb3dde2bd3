import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, redisKeyPrefix: 'bk:', holdSeconds: 60, logLevel: 'info' });
    expect(config.redisUrl).toBeUndefined();
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ HOLD_SECONDS: '0' }, 'HOLD_SECONDS'],
    [{ APPOINTMENT_SWEEP_INTERVAL_MS: '0' }, 'APPOINTMENT_SWEEP_INTERVAL_MS'],
    [{ REDIS_URL: 'http://localhost' }, 'REDIS_URL'],
    [{ REDIS_KEY_PREFIX: '{x}:' }, 'REDIS_KEY_PREFIX'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET'],
    [{ ADMIN_EMAIL: 'admin@example.com' }, 'ADMIN_PASSWORD'],
    [{ ADMIN_PASSWORD: 'long enough' }, 'ADMIN_EMAIL'],
    [{ ADMIN_EMAIL: 'nope', ADMIN_PASSWORD: 'long enough' }, 'ADMIN_EMAIL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ REDIS_COMMAND_TIMEOUT_MS: '1.5' }, 'REDIS_COMMAND_TIMEOUT_MS'],
    [{ REDIS_AUTO_PIPELINING: 'maybe' }, 'REDIS_AUTO_PIPELINING'],
    [{ REDIS_CLUSTER_NODES: '10.0.0.1' }, 'REDIS_CLUSTER_NODES'],
    [{ REDIS_CLUSTER_NODES: '10.0.0.1:7000,http://x:1' }, 'REDIS_CLUSTER_NODES'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });

  it('reads Redis Cluster seed nodes as host:port or URLs', () => {
    expect(loadConfig({ REDIS_CLUSTER_NODES: ' 10.0.0.1:7000, rediss://u:p@redis-2:7001' }).redisClusterNodes).toEqual([
      '10.0.0.1:7000',
      'rediss://u:p@redis-2:7001',
    ]);
    expect(loadConfig({}).redisClusterNodes).toEqual([]);
  });

  it('leaves tracing off unless an OTLP endpoint is given', () => {
    expect(loadConfig({})).toMatchObject({ otelExporterOtlpEndpoint: undefined, otelServiceName: 'booking-service' });
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SERVICE_NAME: 'booking-eu' }),
    ).toMatchObject({ otelExporterOtlpEndpoint: 'http://collector:4318', otelServiceName: 'booking-eu' });
  });

  it('lower-cases the bootstrap admin email', () => {
    expect(loadConfig({ ADMIN_EMAIL: 'Admin@Example.com', ADMIN_PASSWORD: 'long enough' }).adminEmail).toBe(
      'admin@example.com',
    );
  });

  it('has every variable it reads listed in .env.example', () => {
    const source = readFileSync(new URL('./app-config.ts', import.meta.url), 'utf8');
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const read = [...source.matchAll(/env, '([A-Z_]+)'/g)].map((m) => m[1]);
    expect(read.length).toBeGreaterThan(20);
    expect(read.filter((name) => !new RegExp(`^${name}=`, 'm').test(example))).toEqual([]);
  });

  it('has every variable it reads in the configuration table of docs/operations.md', () => {
    const source = readFileSync(new URL('./app-config.ts', import.meta.url), 'utf8');
    const runbook = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
    const read = [...source.matchAll(/env, '([A-Z_]+)'/g)].map((m) => m[1]);
    expect(read.filter((name) => !runbook.includes(`\`${name}\``))).toEqual([]);
  });
});
