import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { constants, brotliCompressSync, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('./src/web', import.meta.url));
const backend = 'http://127.0.0.1:8080';

/**
 * The pages that must open offline once the app has been loaded: the status card and its verification page,
 * and a worker's own screens (home with their status, `/me`), which read the phone's copy of their records.
 */
const offlinePages = [
  /\/src\/web\/pages\/Card\.tsx$/,
  /\/src\/web\/pages\/Verify\.tsx$/,
  /\/src\/web\/pages\/Home\.tsx$/,
  /\/src\/web\/pages\/Profile\.tsx$/,
];
/** Loaded on demand but needed offline too: each language's messages (the card shows both). */
const offlineChunks = [/\/src\/web\/i18n\/en\.json$/, /\/src\/web\/i18n\/ko\.json$/];

/**
 * Pages load lazily, each in its own chunk, so the service worker cannot learn every file /card needs from
 * index.html alone. This writes `offline-assets.json`: the entry chunk and the chunks (with their CSS and
 * assets) of the offline pages, with everything they import. `src/web/public/sw.js` precaches the list.
 */
function offlineAssets(): Plugin {
  return {
    name: 'korus-offline-assets',
    apply: 'build',
    // After Vite's own hooks, which fold chunks that only import CSS into their importers.
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        const files = new Set<string>();
        const visit = (fileName: string) => {
          const output = bundle[fileName];
          if (!output || files.has(fileName)) return;
          files.add(fileName);
          if (output.type !== 'chunk') return;
          output.imports.forEach(visit);
          output.viteMetadata?.importedCss.forEach((css) => files.add(css));
          output.viteMetadata?.importedAssets.forEach((asset) => files.add(asset));
        };
        for (const output of Object.values(bundle)) {
          if (output.type !== 'chunk') continue;
          const id = output.facadeModuleId ?? '';
          if (output.isEntry || [...offlinePages, ...offlineChunks].some((page) => page.test(id)))
            visit(output.fileName);
        }
        const offline = offlinePages.filter(
          (page) =>
            !Object.values(bundle).some((o) => o.type === 'chunk' && page.test(o.facadeModuleId ?? '')),
        );
        if (offline.length) this.error(`offline pages without a chunk of their own: ${offline.join(', ')}`);
        this.emitFile({
          type: 'asset',
          fileName: 'offline-assets.json',
          source: `${JSON.stringify({ assets: [...files].sort().map((f) => `/${f}`) }, null, 2)}\n`,
        });
      },
    },
  };
}

/**
 * Every text asset written beside a Brotli (`.br`) and a gzip (`.gz`) copy, compressed once at build at the
 * highest levels, which `@fastify/static` (`preCompressed`) serves to browsers that accept them: no compression
 * work per request, and smaller files than on-the-fly compression would make.
 */
function precompress(): Plugin {
  return {
    name: 'korus-precompress',
    apply: 'build',
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        for (const output of Object.values(bundle)) {
          if (!/\.(js|css|json|svg|webmanifest|txt)$/.test(output.fileName)) continue;
          const source = output.type === 'chunk' ? output.code : output.source;
          const bytes = typeof source === 'string' ? Buffer.from(source) : Buffer.from(source);
          if (bytes.length < 1024) continue;
          const br = brotliCompressSync(bytes, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
              [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
            },
          });
          const gz = gzipSync(bytes, { level: 9 });
          this.emitFile({ type: 'asset', fileName: `${output.fileName}.br`, source: br });
          this.emitFile({ type: 'asset', fileName: `${output.fileName}.gz`, source: gz });
        }
      },
    },
  };
}

export default defineConfig({
  root,
  plugins: [react(), offlineAssets(), precompress()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    port: 5173,
    proxy: { '/api': backend, '/healthz': backend, '/readyz': backend, '/.well-known': backend },
  },
});
