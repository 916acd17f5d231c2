#!/usr/bin/env node
// The `till-agent` command. The agent itself is the bundle that `npm run build` (run by `npm ci`) writes.
const path = require('node:path');
const fs = require('node:fs');

const bundle = path.join(__dirname, '..', 'dist', 'main', 'cli.cjs');
if (!fs.existsSync(bundle)) {
  process.stderr.write('till-agent: the agent is not built yet. Run `npm run build` in ' + path.join(__dirname, '..') + ' and try again.\n');
  process.exit(2);
}
require(bundle);
