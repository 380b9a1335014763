/**
 * The field app's build: web/ → web/dist. A small plugin writes the service worker's precache
 * list into sw.js (the shell and its hashed assets), so each build's worker differs from the
 * last and phones update. Leaflet is split into its own chunk, loaded when a map opens.
 */
import { createHash } from 'node:crypto';
import { defineConfig, type Plugin } from 'vite';

function serviceWorkerManifest(): Plugin {
  return {
    name: 'xiuhua-sw-manifest',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((name) => name !== 'sw.js' && !name.endsWith('.map') && !name.startsWith('.vite/'));
      // The first screen's files; a map's chunk is cached when first used.
      const shell = ['/', '/index.html', '/manifest.webmanifest', '/icon.svg', ...files.filter((name) => !/leaflet/i.test(name)).map((name) => `/${name}`)];
      const version = createHash('sha256').update(files.sort().join('\n')).digest('hex').slice(0, 12);
      const worker = bundle['sw.js'];
      if (worker === undefined || worker.type !== 'chunk') throw new Error('sw.js was not built');
      // The minifier may quote the placeholder with ' " or `: replace whichever it chose.
      const placeholder = /(["'`])__PRECACHE__\1/;
      if (!placeholder.test(worker.code)) throw new Error('sw.js has no __PRECACHE__ placeholder');
      worker.code = worker.code.replace(placeholder, JSON.stringify(shell)).replace('__VERSION__', version);
    },
  };
}

export default defineConfig({
  root: 'web',
  publicDir: 'public',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: { index: 'web/index.html', sw: 'web/src/sw.ts' },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  plugins: [serviceWorkerManifest()],
});
