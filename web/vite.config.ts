import { defineConfig } from 'vite';

/**
 * The web app: `npm run build` writes web/dist, which the service serves at `/`. `npm run web:dev` serves the sources
 * with hot reload on :5173 and forwards the API (and the /v1/live WebSocket) to the service on :3000, so the page is
 * same-origin in both modes.
 */
const api = process.env.API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: import.meta.dirname,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The service's CSP allows scripts from 'self' only: no inline module preload helper.
    modulePreload: { polyfill: false },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: {
      '/v1': { target: api, ws: true, changeOrigin: false },
      '/docs': { target: api },
      '/health': { target: api },
    },
  },
});
