/**
 * The field app's and the console's build: web/ → web/dist (index.html, console.html). A small plugin writes the service worker's precache
 * list into sw.js (the shell and its hashed assets), so each build's worker differs from the
 * last and phones update. Leaflet is split into its own chunk, loaded when a map opens.
 */
import { createHash } from 'node:crypto';
import { defineConfig, type Plugin } from 'vite';

type Bundle = Parameters<NonNullable<Plugin['generateBundle']> & ((...args: never[]) => unknown)>[1];

/** The files an entry loads before its first screen: its chunk, static imports, their CSS. */
function staticClosure(bundle: Bundle, entry: string): string[] {
  const start = Object.values(bundle).find((item) => item.type === 'chunk' && item.isEntry && item.name === entry);
  if (start === undefined || start.type !== 'chunk') throw new Error(`no entry chunk named ${entry}`);
  const seen = new Set<string>();
  const visit = (fileName: string): void => {
    if (seen.has(fileName)) return;
    seen.add(fileName);
    const item = bundle[fileName];
    if (item?.type !== 'chunk') return;
    for (const css of item.viteMetadata?.importedCss ?? []) seen.add(css);
    for (const imported of item.imports) visit(imported);
  };
  visit(start.fileName);
  return [...seen].sort();
}

function serviceWorkerManifest(): Plugin {
  return {
    name: 'xiuhua-sw-manifest',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((name) => name !== 'sw.js' && !name.endsWith('.map') && !name.startsWith('.vite/'));
      // The field app's shell: index.html's entry and what it imports statically, with their
      // CSS. A map's chunk is cached when first used; the console (console.html) is a desktop
      // page, never precached on a phone.
      const shell = ['/', '/index.html', '/manifest.webmanifest', '/icon.svg', ...staticClosure(bundle, 'index').map((name) => `/${name}`)];
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
      input: { index: 'web/index.html', console: 'web/console.html', sw: 'web/src/sw.ts' },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  plugins: [serviceWorkerManifest()],
});
