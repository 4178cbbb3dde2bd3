// The memory floor of the service's stack: Node 24 with Nest 12, its Fastify adapter and ioredis loaded, one route
// that reads Redis, listening; nothing of the service. `node [flags] bench/memory-floor.mjs` prints the process's
// RSS (and its parts) once it answers, so the service's own idle RSS can be set against what its stack costs alone.
// REDIS_URL: a running Redis (default redis://127.0.0.1:6379).
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

class PingController {
  async ping() {
    return { pong: await redis.ping() };
  }
}
Get('ping')(PingController.prototype, 'ping', Object.getOwnPropertyDescriptor(PingController.prototype, 'ping'));
Controller()(PingController);
class FloorModule {}
Module({ controllers: [PingController] })(FloorModule);

const app = await NestFactory.create(FloorModule, new FastifyAdapter(), { logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const { port } = app.getHttpServer().address();
for (let i = 0; i < 100; i++) await fetch(`http://127.0.0.1:${port}/ping`).then((r) => r.text());
await new Promise((resolve) => setTimeout(resolve, 2000));

const status = readFileSync('/proc/self/status', 'utf8');
const mb = (field) => Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024);
const { heapUsed, heapTotal, external } = process.memoryUsage();
const m = (bytes) => Math.round(bytes / 1048576);
console.log(
  JSON.stringify({
    flags: process.execArgv.join(' ') || '(none)',
    rssMb: mb('VmRSS'),
    anonMb: mb('RssAnon'),
    fileMb: mb('RssFile'),
    heapUsedMb: m(heapUsed),
    heapTotalMb: m(heapTotal),
    externalMb: m(external),
  }),
);
await app.close();
redis.disconnect();
