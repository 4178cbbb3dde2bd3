export default async function globalTeardown() {
  await globalThis.__redisServer?.stop();
  await globalThis.__redisCluster?.stop();
}
