import { readFileSync } from 'node:fs';
import { generateSchema } from '../../clients/typescript/generate.mjs';

describe('TypeScript client', () => {
  it('the committed clients/typescript/src/schema.ts is what openapi.yaml generates (run `npm run client:generate`)', async () => {
    const committed = readFileSync(new URL('../../clients/typescript/src/schema.ts', import.meta.url), 'utf8');
    expect(committed).toBe(await generateSchema());
  });
});
