// First: refuses an unsupported Node before any import loads a native binding.
import '../common/node-version.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { buildOpenApiDocument, createApp } from '../app.factory.js';
import { AppConfig } from '../config/app-config.js';
import { generateErrorsDoc } from './generate-errors-doc.js';

/**
 * The OpenAPI document as YAML, generated from the code (controllers, DTOs, decorators). The app is built but never
 * listens, and its Redis client is lazy, so no Redis is needed.
 */
export async function generateOpenApiYaml(): Promise<string> {
  const config = AppConfig.from({
    redisUrl: 'redis://127.0.0.1:1',
    jwtSecret: 'openapi-generation-only-secret-0000000',
    logLevel: 'silent',
    // Nothing runs in the background: the app is only inspected, and must close without waiting for a Redis.
    holdSweepIntervalMs: 0,
    appointmentSweepIntervalMs: 0,
    reminderWorker: 'off',
  });
  const app = await createApp(config);
  try {
    return stringify(buildOpenApiDocument(app), { aliasDuplicateObjects: false, lineWidth: 0 });
  } finally {
    await app.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync('openapi.yaml', await generateOpenApiYaml());
  process.stdout.write('openapi.yaml written\n');
  // The error table's documentation, generated from the same code (src/common/error-codes.ts).
  const errorsDoc = 'docs/errors.md';
  writeFileSync(errorsDoc, await generateErrorsDoc(readFileSync(errorsDoc, 'utf8'), errorsDoc));
  process.stdout.write(`${errorsDoc} written\n`);
}
