// Vite config for the renderer (renderer/ -> dist/renderer), served by app:// in Electron and by the dev bridge in preview.
// vitest uses vitest.config.ts, not this file.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  // relative asset URLs work under app:// and http://127.0.0.1 alike
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
});
