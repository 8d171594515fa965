import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The staff application is built into dist/web and served by the API server at `/`.
// No React plugin: Vite's own transform handles TSX; the app needs no fast refresh to be built.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // Served from the department's own server on a closed network: no CDN, no preload polyfill fetched elsewhere.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npx vite web` during development forwards the API to a running server.
    proxy: { '/graphql': 'http://localhost:4000', '/exports': 'http://localhost:4000', '/imports': 'http://localhost:4000' },
  },
});
