import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The server serves the classpath folder /public at "/", so the build goes straight into the
// module's target/classes/public and the jar carries it. `npm run dev` proxies the API to a
// server on :8080 (the real one, or `npm run mock -- --port 8080`).
const backend = process.env.FLEETLOG_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'target/classes/public',
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (id.includes('node_modules')) {
            return id.includes('recharts') || id.includes('d3-') || id.includes('victory') ? 'charts' : 'vendor';
          }
          return undefined;
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': backend,
      '/status': backend,
      '/live': { target: backend.replace(/^http/, 'ws'), ws: true },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
