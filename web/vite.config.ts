import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// `npm run dev` proxies the API to a running vslc-local (PORT 3000 by default).
export default defineConfig({
  plugins: [vue()],
  server: {
    proxy: {
      '/api': process.env.VSLC_API ?? 'http://127.0.0.1:3000',
      '/blobs': process.env.VSLC_API ?? 'http://127.0.0.1:3000',
    },
  },
  build: { chunkSizeWarningLimit: 2000 },
})
