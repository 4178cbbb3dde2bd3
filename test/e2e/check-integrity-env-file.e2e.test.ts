import { randomUUID } from 'node:crypto';
import { builtMain } from '../support/build.js';
import { runNpmScript, scratchCheckout } from '../support/npm-script.js';
import { testRedisUrl } from '../support/test-app.js';

/** Review of issue 18, item 9: `npm run check-integrity` reads `.env` as `npm start` does (REDIS_URL is required). */
describe('check-integrity and .env', () => {
  beforeAll(() => builtMain(), 180_000);

  it('takes REDIS_URL and REDIS_KEY_PREFIX from .env', async () => {
    const prefix = `integrity-env:${randomUUID().slice(0, 8)}:`;
    const checkout = scratchCheckout({ '.env': `REDIS_URL=${testRedisUrl()}\nREDIS_KEY_PREFIX=${prefix}\n` });
    try {
      let output = '';
      const child = runNpmScript('check-integrity', checkout.dir, {}, (chunk) => (output += chunk));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect({ code, output }).toEqual({ code: 0, output: expect.stringMatching(/^integrity check: no violations/m) });
    } finally {
      checkout.remove();
    }
  }, 120_000);
});
