// Builds the agent (esbuild: CLI, Electron main, preload) and the screens (Vite) into dist/.
// `--if-stale` skips the work when nothing under main/, native/ or renderer/ changed since the last build.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.join(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.build-stamp');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  for (const d of ['main', 'native', 'renderer']) walk(path.join(root, d));
  for (const f of ['package.json', 'vite.config.ts', 'scripts/build.mjs']) newest = Math.max(newest, fs.statSync(path.join(root, f)).mtimeMs);
  return newest;
}

if (process.argv.includes('--if-stale') && fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs >= newestSource()) {
  process.exit(0);
}

const started = Date.now();
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  define: { __TILL_VERSION__: JSON.stringify(pkg.version) },
};
// The agent's bundles lose their whitespace and comments: a third less to read, hash and hand to V8 on every
// start (docs/performance.md, "Start-up"). Names stay, so stack traces still name functions; the linked source
// map gives the original lines.
const agentBundle = { ...common, minifyWhitespace: true, legalComments: 'none' };
// Pure-JS dependencies are bundled: resolving and loading hundreds of small files was most of the start-up
// time (docs/performance.md). Native modules cannot be bundled and stay in node_modules (unpacked from asar).
const NATIVE = ['better-sqlite3', 'serialport', '@serialport/*', 'node-hid', 'electron', 'pino-pretty'];
// zod's `z.locales` namespace pulls every language's messages into the bundle; nothing reads them.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}node_modules${path.sep}zod${path.sep}`) ? { path: path.join(root, 'scripts', 'zod-locales-en.mjs') } : undefined,
    );
  },
};
// Node's modules that the bundled libraries require when loaded but use only on paths a till never takes at
// start-up (fastify's HTTP/2 and HTTPS servers, commander's executable sub-commands, the `ws`
// client's TLS and compression): compiling them cost about a tenth of a start (docs/performance.md). Each is
// handed over as a stand-in that loads the real module on first use. Only modules whose importers keep the module
// object and read it later are listed: one destructured at load would load at once.
const LAZY_BUILTINS = ['http2', 'https', 'tls', 'child_process', 'zlib'];
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`);
    // Only for libraries: esbuild copies every member of a module that TypeScript code imports, which would load it.
    b.onResolve({ filter }, (args) => (args.importer.includes(`${path.sep}node_modules${path.sep}`) ? { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(path.join(root, 'scripts', 'lazy-builtin.cjs'))}).lazyBuiltin(() => require(${JSON.stringify(`node:${args.path}`)}));`,
      loader: 'js',
      resolveDir: root,
    }));
  },
};
await Promise.all([
  build({ ...agentBundle, entryPoints: { cli: 'main/cli/run.ts' }, outdir: 'dist/main', outExtension: { '.js': '.cjs' }, external: NATIVE, plugins: [zodEnglishOnly, lazyBuiltins] }),
  build({ ...agentBundle, entryPoints: { 'electron-main': 'main/electron/electron-main.ts' }, outdir: 'dist/main', outExtension: { '.js': '.cjs' }, external: NATIVE, plugins: [zodEnglishOnly, lazyBuiltins] }),
  // A sandboxed preload can require only 'electron'; everything else it uses is bundled in.
  build({ ...common, entryPoints: { preload: 'main/electron/preload.preload.ts', 'kiosk-preload': 'main/electron/kiosk.preload.ts' }, outdir: 'dist/main', outExtension: { '.js': '.cjs' }, external: ['electron'] }),
]);
execFileSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
fs.writeFileSync(stamp, new Date().toISOString());
console.error(`built dist/ in ${Date.now() - started} ms`);
