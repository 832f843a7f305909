#!/usr/bin/env node
// Builds the dashboard into dist/public/: one minified ES module bundle (Preact, uPlot and the
// app) and one stylesheet (nhsuk-frontend's compiled CSS and uPlot's), both named by content
// hash so feeds-api can let browsers cache them for good, an index.html naming them (never
// cached), and the nhsuk-frontend images its CSS refers to. Every text file is also written
// compressed beside itself (`.br` at brotli's best, `.gz` at gzip -9), so feeds-api sends those
// bytes as they are (@fastify/static's preCompressed) instead of compressing each response.
// `--watch`-free on purpose: a build takes about a second. Also compiles src/assets.ts (the
// folder's path for feeds-api).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'dist', 'public');
const require = createRequire(import.meta.url);
const nhsukDir = join(dirname(require.resolve('nhsuk-frontend/package.json')), 'dist', 'nhsuk');

/**
 * nhsuk-frontend's CSS loads the Frutiger web font from assets.nhs.uk, which its licence allows
 * on NHS domains only: the page uses the stylesheet's own fallback (Arial) and makes no
 * third-party request.
 */
const withoutWebFonts = {
  name: 'without-web-fonts',
  setup(esbuild) {
    esbuild.onLoad({ filter: /nhsuk-frontend\.min\.css$/ }, async ({ path }) => ({
      contents: readFileSync(path, 'utf8').replace(/@font-face\{[^}]*\}/g, ''),
      loader: 'css',
    }));
  },
};

rmSync(join(here, 'dist'), { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const result = await build({
  entryPoints: { app: join(here, 'src/app/main.tsx'), styles: join(here, 'src/app/styles.css') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  entryNames: '[name]-[hash]',
  outdir: out,
  metafile: true,
  legalComments: 'linked',
  // nhsuk-frontend's CSS refers to its images at /assets/images/, copied below.
  external: ['/assets/*'],
  logLevel: 'warning',
  // nhsuk-frontend's compiled CSS keeps old-browser hacks (`@media screen\0`) esbuild warns about.
  logOverride: { 'css-syntax-error': 'silent' },
  plugins: [withoutWebFonts],
});

const outputs = Object.keys(result.metafile.outputs).map((file) => basename(file));
const script = outputs.find((name) => name.startsWith('app-') && name.endsWith('.js'));
const style = outputs.find((name) => name.startsWith('styles-') && name.endsWith('.css'));
const template = readFileSync(join(here, 'src/app/index.html'), 'utf8');
writeFileSync(
  join(out, 'index.html'),
  template.replace('%STYLE%', `/${style}`).replace('%SCRIPT%', `/${script}`),
);
cpSync(join(nhsukDir, 'assets', 'images'), join(out, 'assets', 'images'), { recursive: true });

// Precompressed copies of the text files (what a browser fetches: page, bundles, SVG images).
const TEXT = /\.(html|js|css|svg|txt)$/;
for (const file of readdirSync(out, { recursive: true, encoding: 'utf8' })) {
  if (!TEXT.test(file)) continue;
  const body = readFileSync(join(out, file));
  const brotli = { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY };
  writeFileSync(join(out, `${file}.br`), brotliCompressSync(body, { params: brotli }));
  writeFileSync(join(out, `${file}.gz`), gzipSync(body, { level: 9 }));
}

execFileSync(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
  {
    cwd: here,
    stdio: 'inherit',
  },
);
console.error(`[dashboard] built ${script} and ${style} into ${out}`);
