// `npm start`: the Electron window when its binary is installed, otherwise the headless agent with the
// cashier screen on 127.0.0.1. With no configuration it is the demo till: the loyalty sandbox starts in the
// background, seeded with the demo store (demo/), the till gets the demo catalog and config
// (demo/till-agent.config.json), and the agent is pointed at the sandbox.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';

const root = path.join(import.meta.dirname, '..');
const cli = path.join(root, 'bin', 'till-agent.cjs');
const args = process.argv.slice(2);
const headless = args.includes('--headless') || process.env.TILL_HEADLESS === '1';
const passThrough = args.filter((a) => a !== '--headless');
const dataDir = process.env.TILL_DATA_DIR ?? path.join(root, '.till-data', 'demo');
const configured = passThrough.includes('--config') || fs.existsSync(path.join(dataDir, 'till-agent.config.json'));
const children = [];

function electronBinary() {
  try {
    const p = createRequire(import.meta.url)('electron');
    return typeof p === 'string' && fs.existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

function readyLine(child, what) {
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once('line', (line) => {
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`${what} printed something unexpected: ${line}`));
      }
    });
    child.once('exit', (code) => reject(new Error(`${what} stopped (exit code ${code}); see the message above.`)));
  });
}

function stopAll() {
  for (const c of children) c.kill('SIGTERM');
}
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);

async function startSandbox() {
  const child = spawn(process.execPath, [cli, 'sandbox', '--port', '0', '--data-dir', path.join(dataDir, 'sandbox')], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const ready = await readyLine(child, 'The loyalty sandbox');
  return {
    TILL_DEMO: 'true',
    TILL_DINTERO_BASE_URL: ready.dintero,
    TILL_DINTERO_ACCOUNT_ID: ready.accountId,
    TILL_DINTERO_CLIENT_ID: ready.clientId,
    TILL_DINTERO_CLIENT_SECRET: ready.clientSecret,
    TILL_LOYALTY_BASE_URL: ready.loyalty,
    TILL_LOYALTY_API_KEY: ready.apiKey,
  };
}

async function main() {
  fs.mkdirSync(dataDir, { recursive: true });
  const demo = !configured;
  const demoConfig = path.join(root, 'demo', 'till-agent.config.json');
  const demoEnv = demo ? await startSandbox() : {};
  const configArgs = demo ? ['--config', demoConfig] : [];
  if (demo) {
    // The demo catalog goes into the till's own database (an import replaces items by id, so this is safe to repeat).
    execFileSync(process.execPath, [cli, 'catalog', 'import', path.join(root, 'demo', 'catalog.json'), '--data-dir', dataDir, ...configArgs], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  passThrough.push(...configArgs);
  const env = { ...process.env, TILL_DATA_DIR: dataDir, ...demoEnv };
  const electron = headless ? undefined : electronBinary();
  if (electron) {
    const child = spawn(electron, [root, '--data-dir', dataDir, ...passThrough], { stdio: 'inherit', env });
    children.push(child);
    child.on('exit', (code) => {
      stopAll();
      process.exit(code ?? 0);
    });
    return;
  }
  const agent = spawn(process.execPath, [cli, 'serve', '--data-dir', dataDir, ...passThrough], { stdio: ['ignore', 'pipe', 'inherit'], env });
  children.push(agent);
  const ready = await readyLine(agent, 'The till agent');
  const how = electron === undefined && !headless ? ' (the Electron binary is not installed, so the till runs headless)' : '';
  console.log(`\ntill-agent is running${how}.`);
  // A kiosk till's customer screen gets the kiosk token, which reaches only the kiosk's routes (docs/local-api.md).
  const status = await fetch(`${ready.url}api/status`, { headers: { authorization: `Bearer ${ready.token}` } })
    .then((r) => r.json())
    .catch(() => undefined);
  if (status?.mode === 'kiosk') {
    console.log(`Open the kiosk screen: ${ready.url}?token=${ready.kioskToken}`);
    console.log(`Staff approve on the attendant view: ${ready.url}?token=${ready.token}#/attendant`);
  } else console.log(`Open the cashier screen: ${ready.url}?token=${ready.token}`);
  console.log(`Data directory: ${dataDir}${configured ? '' : ' (demo till: no configuration found)'}`);
  console.log('Press Ctrl+C to stop.\n');
  agent.on('exit', (code) => {
    stopAll();
    process.exit(code ?? 0);
  });
}

main().catch((err) => {
  console.error(`npm start: ${err.message}`);
  stopAll();
  process.exit(1);
});
