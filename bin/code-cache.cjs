// Loads a CommonJS bundle the way `require` would, with V8's code cache kept beside it.
//
// Most of a start-up was V8 compiling the 4 MB bundle (docs/performance.md, "Start-up"). Node 20 has no built-in
// compile cache (module.enableCompileCache came in Node 22), so the CLI keeps V8's cached data itself: after the
// first run the bundle's functions load already compiled. The cache is keyed by a hash of the bundle's bytes,
// because V8 itself checks only the source's length: a rebuilt bundle of the same length must never run with the
// old bundle's code. A cache that cannot be read, is rejected, or cannot be written costs only the speed-up.
'use strict';
const { isAscii } = require('node:buffer');
const crypto = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

/** How long a long-running command (the agent) runs before its cache is written: long enough to compile start-up. */
const WRITE_AFTER_MS = 1500;

function cacheFileFor(bundle, bytes) {
  const hash = crypto.createHash('sha1').update(bytes).digest('hex').slice(0, 20);
  return `${bundle}.${hash}.v8cache`;
}

function writeCache(bundle, cacheFile, script) {
  try {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o644 });
    fs.renameSync(tmp, cacheFile);
    // Caches of earlier builds are of no more use.
    const dir = path.dirname(bundle);
    const prefix = `${path.basename(bundle)}.`;
    for (const name of fs.readdirSync(dir)) {
      if (name.startsWith(prefix) && name.endsWith('.v8cache') && path.join(dir, name) !== cacheFile) fs.rmSync(path.join(dir, name), { force: true });
    }
  } catch {
    // A read-only install (or a full disk) runs without the cache.
  }
}

/**
 * Runs `bundle` as the module `require(bundle)` would create, compiled with the cached data of an earlier run
 * when there is one, and writes the cache when there was none (or V8 rejected it).
 */
function requireWithCodeCache(bundle) {
  const bytes = fs.readFileSync(bundle);
  const cacheFile = cacheFileFor(bundle, bytes);
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // esbuild writes ASCII (it escapes the rest): read as Latin-1, the bytes become V8's one-byte string as they are,
  // with no UTF-8 decoding of 2.6 MB on every start.
  const source = isAscii(bytes) ? bytes.latin1Slice(0, bytes.length) : bytes.toString('utf8');
  const script = new vm.Script(Module.wrap(source), {
    filename: bundle,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const mod = new Module(bundle, require.main);
  mod.filename = bundle;
  mod.paths = Module._nodeModulePaths(path.dirname(bundle));
  Module._cache[bundle] = mod;
  const localRequire = (id) => mod.require(id);
  localRequire.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
  localRequire.main = require.main;
  localRequire.cache = Module._cache;
  if (cachedData === undefined || script.cachedDataRejected === true) {
    // Short commands may exit inside the bundle's first tick: the exit hook is registered before it runs.
    let written = false;
    const write = () => {
      if (written) return;
      written = true;
      writeCache(bundle, cacheFile, script);
    };
    process.once('exit', write);
    setTimeout(write, WRITE_AFTER_MS).unref();
  }
  script.runInThisContext().call(mod.exports, mod.exports, localRequire, mod, bundle, path.dirname(bundle));
  mod.loaded = true;
  return mod.exports;
}

module.exports = { requireWithCodeCache, cacheFileFor };
