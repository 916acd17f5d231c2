// Bundled into the agent by scripts/build.mjs: a stand-in for one of Node's modules that loads it on first use.
'use strict';

/** An object that behaves as the module `load()` returns, loading it only when one of its members is first read. */
function lazyBuiltin(load) {
  let loaded;
  const real = () => (loaded ??= load());
  return new Proxy(
    {},
    {
      get: (_, key) => real()[key],
      has: (_, key) => key in real(),
      ownKeys: () => Reflect.ownKeys(real()),
      // Reported configurable: the empty target holds none of them, and a proxy may not claim otherwise.
      getOwnPropertyDescriptor: (_, key) => {
        const d = Object.getOwnPropertyDescriptor(real(), key);
        return d && { ...d, configurable: true };
      },
    },
  );
}

module.exports = { lazyBuiltin };
