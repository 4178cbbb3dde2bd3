import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * No Docker engine runs where CI does, so the container files are checked by reading them: versions agree, every
 * file and script they use exists, the compose services are wired as docs/operations.md says. With a Docker client
 * present, `docker compose config` validates the compose file as well.
 */
const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const exists = (path: string) => existsSync(new URL(path, root));
const pkg = JSON.parse(read('package.json')) as {
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
  config: { nodeOptions: string; glibcTunables: string };
};
const dockerfile = read('Dockerfile');
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<
    string,
    { command?: string[]; environment?: Record<string, string>; profiles?: string[]; volumes?: string[] }
  >;
};

/** What a `dist/x.js` file is compiled from. */
const sourceOf = (dist: string) => dist.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts');

describe('container files', () => {
  it('pin one Node version: Dockerfile, .tool-versions and the node devDependency agree', () => {
    const images = [...dockerfile.matchAll(/^FROM node:(\d+\.\d+\.\d+)/gm)].map((m) => m[1]);
    expect(images.length).toBeGreaterThanOrEqual(2);
    const toolVersion = /^nodejs (\S+)$/m.exec(read('.tool-versions'))?.[1];
    expect(new Set([...images, toolVersion, pkg.devDependencies.node.replace(/^\^/, '')])).toEqual(
      new Set([toolVersion]),
    );
  });

  it('Dockerfile: copies files that exist, runs scripts that exist, runs as non-root, checks readiness', () => {
    for (const [, sources] of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const source of sources.split(/\s+/).filter((s) => !s.startsWith('--'))) expect(exists(source)).toBe(true);
    }
    for (const [, script] of dockerfile.matchAll(/npm run ([\w:-]+)/g)) expect(pkg.scripts[script]).toBeDefined();
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n?.*\/health\/ready/m);
    const cmd = /^CMD \["node", "([^"]+)"\]/m.exec(dockerfile)?.[1];
    expect(cmd).toBe('dist/main.js');
    expect(exists(sourceOf(cmd!))).toBe(true);
  });

  it('start the service with the runtime settings of `npm start` (package.json "config")', () => {
    const env = Object.fromEntries(
      [...dockerfile.matchAll(/^ENV .+$/gm)].flatMap(([line]) =>
        [...line.matchAll(/(\w+)=(?:"([^"]*)"|(\S+))/g)].map(([, name, quoted, bare]) => [name, quoted ?? bare]),
      ),
    );
    expect(env.NODE_OPTIONS).toBe(pkg.config.nodeOptions);
    expect(env.GLIBC_TUNABLES).toBe(pkg.config.glibcTunables);
    expect(pkg.config.nodeOptions).toMatch(/--max-semi-space-size=\d+/);
    for (const script of ['start', 'worker']) {
      // The defaults first, then the caller's NODE_OPTIONS: a later V8 flag wins, and other options keep the defaults.
      expect(pkg.scripts[script]).toContain('NODE_OPTIONS="$npm_package_config_nodeOptions ${NODE_OPTIONS-}"');
      expect(pkg.scripts[script]).toContain('GLIBC_TUNABLES="${GLIBC_TUNABLES-$npm_package_config_glibcTunables}"');
    }
  });

  it('compose: api, a separate reminder worker, Redis with AOF on a volume, and a 3-master cluster profile', () => {
    const { api, worker, redis } = compose.services;
    expect(api.environment?.REMINDER_WORKER).toBe('off');
    const workerScript = worker.command?.find((part) => part.startsWith('dist/'));
    expect(workerScript).toBeDefined();
    expect(exists(sourceOf(workerScript!))).toBe(true);
    expect(redis.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    expect(redis.volumes?.[0]).toMatch(/:\/data$/);
    const nodes = Object.entries(compose.services).filter(([name]) => /^redis-node-\d$/.test(name));
    expect(nodes).toHaveLength(3);
    for (const [, node] of nodes) {
      expect(node.profiles).toEqual(['cluster']);
      expect(node.command).toEqual(expect.arrayContaining(['--cluster-enabled', 'yes', '--appendonly', 'yes']));
    }
  });

  it('compose and Taskfile use only variables the service reads and scripts that exist', () => {
    const example = read('.env.example');
    for (const service of [compose.services.api, compose.services.worker]) {
      for (const name of Object.keys(service.environment ?? {}))
        expect({ name, listed: example.includes(`\n${name}=`) }).toEqual({ name, listed: true });
    }
    for (const [, script] of read('Taskfile.yml').matchAll(/npm run ([\w:-]+)/g))
      expect(pkg.scripts[script]).toBeDefined();
  });

  const docker = (() => {
    try {
      execFileSync('docker', ['compose', 'version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  (docker ? it : it.skip)('docker compose config accepts the compose file', () => {
    execFileSync('docker', ['compose', 'config', '--quiet'], {
      cwd: root,
      env: { ...process.env, JWT_SECRET: 'x'.repeat(32) },
    });
  });
});
