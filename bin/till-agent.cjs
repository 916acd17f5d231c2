#!/usr/bin/env node
// The `till-agent` command. The agent itself is the bundle that `npm run build` (run by `npm ci`) writes.
const path = require('node:path');
const fs = require('node:fs');

const args = process.argv.slice(2);
// The version needs none of the agent: answered here, it costs what starting Node costs (docs/performance.md).
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  process.stdout.write(`${require('../package.json').version}\n`);
  return;
}

const bundle = path.join(__dirname, '..', 'dist', 'main', 'cli.cjs');
if (!fs.existsSync(bundle)) {
  process.stderr.write('till-agent: the agent is not built yet. Run `npm run build` in ' + path.join(__dirname, '..') + ' and try again.\n');
  process.exit(2);
}
require('./code-cache.cjs').requireWithCodeCache(bundle);
