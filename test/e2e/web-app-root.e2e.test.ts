import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import request from 'supertest';
import { serveWebApp } from '../../src/web/web-app.js';

@Module({})
class NothingModule {}

/**
 * serveWebApp with the directory it is given: a deploy directory whose own path contains /assets/ (index.html must
 * stay revalidated, only web/dist/assets/* is immutable), and a service started with no web app built. A bare Nest
 * app over Fastify: what is tested is the static serving alone, which the full app mounts the same way.
 */
describe('web app served from a directory of choice', () => {
  const base = mkdtempSync(join(tmpdir(), 'web-root-'));
  const apps: NestFastifyApplication[] = [];
  const warnings: string[] = [];
  const logger = { warn: (message: string) => warnings.push(message) } as unknown as Logger;

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    rmSync(base, { recursive: true, force: true });
  });

  async function serve(root: string): Promise<string> {
    const app = await NestFactory.create<NestFastifyApplication>(NothingModule, new FastifyAdapter(), {
      logger: false,
    });
    apps.push(app);
    await serveWebApp(app, logger, root);
    await app.listen({ port: 0, host: '127.0.0.1' });
    return `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  }

  it('caches only the hashed assets for a year, also when the deploy path contains /assets/', async () => {
    const root = join(base, 'assets', 'site') + '/';
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(root, 'assets', 'index-abc123.js'), 'export {};');
    const url = await serve(root);

    const index = await request(url).get('/').set('Accept', 'text/html');
    expect(index.status).toBe(200);
    expect(index.headers['cache-control']).toBe('no-cache');
    const icon = await request(url).get('/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
    const script = await request(url).get('/assets/index-abc123.js');
    expect(script.status).toBe(200);
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('starts without a built web app: nothing at /, and a warning that says how to build it', async () => {
    const root = join(base, 'empty') + '/';
    mkdirSync(root, { recursive: true });
    const url = await serve(root);
    const page = await request(url).get('/').set('Accept', 'text/html');
    expect(page.status).toBe(404);
    expect(warnings).toEqual([expect.stringContaining('npm run build')]);
  });
});
