import { defineConfig } from 'vite';

// The screens: one Preact app (renderer/app) built to dist/renderer, served by the headless agent at / and
// loaded by Electron from app://till/. Relative asset paths so both hosts work.
export default defineConfig({
  root: 'renderer',
  base: './',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    reportCompressedSize: false,
  },
});
