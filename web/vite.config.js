// Vite builds the UI into dist/, which the Makefile embeds in the kaoping
// binary (tools/embed.c).  Everything is bundled: no CDN, no outside
// font or icon, the intranet has no internet.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  plugins: [vue()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
})
