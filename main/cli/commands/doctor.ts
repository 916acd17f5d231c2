import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CREDENTIALS_FILE_NAME } from '../../agent/credentials';
import { assertDataDirUsable, dbPath, KIOSK_TOKEN_FILE_NAME, TOKEN_FILE_NAME } from '../../agent/data-dir';
import { AGENT_VERSION } from '../../agent/version';
import { defaultDataDir } from '../../config/paths';
import { TillError } from '../../core/errors';
import { libusbStatus } from '../../devices/system-libraries';
import { electronBinary } from '../../electron/electron-binary';
import { compareWithWitness, dbFiles, lostSales, lostSalesMessage, looseModes, openReadonlyDb, preflightDb, sqliteVersion } from '../../store';
import { type CommonOptions, loadFromOptions, newCommand, reportFailure } from '../common';

type Level = 'ok' | 'warn' | 'fail';
export type Check = { readonly name: string; readonly level: Level; readonly detail: string };

function attempt(name: string, fn: () => string, onError: Level = 'fail'): Check {
  try {
    return { name, level: 'ok', detail: fn() };
  } catch (err) {
    const detail = err instanceof TillError ? `${err.message}${err.fix ? ` ${err.fix}` : ''}` : String(err);
    return { name, level: onError, detail };
  }
}

export async function runDoctor(opts: CommonOptions, listPorts?: () => Promise<string[]>): Promise<Check[]> {
  const checks: Check[] = [];
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  checks.push({
    name: 'node',
    level: major > 20 || (major === 20 && minor >= 19) ? 'ok' : 'fail',
    detail: `Node ${process.versions.node} (needs 20.19 or newer)`,
  });
  checks.push({ name: 'agent', level: 'ok', detail: `till-agent ${AGENT_VERSION}` });
  checks.push(attempt('sqlite', () => `SQLite ${sqliteVersion()} via better-sqlite3`));
  let dataDir = opts.dataDir ?? process.env.TILL_DATA_DIR ?? defaultDataDir();
  let configFile: string | undefined;
  let hasSecrets = false;
  checks.push(
    attempt('config', () => {
      const loaded = loadFromOptions(opts);
      dataDir = loaded.config.dataDir;
      configFile = loaded.file;
      const c = loaded.config;
      hasSecrets = c.dintero !== undefined || c.loyalty !== undefined;
      return `${loaded.file ?? 'no config file: demo defaults'}; branch ${c.branchId}, pos ${c.posId}, ${c.mode} mode, ${c.currency}, ${c.locale}, ${c.timeZone}; Dintero ${c.dintero ? 'configured' : 'not configured'}, Loyalty API ${c.loyalty ? 'configured' : 'not configured'}`;
    }),
  );
  if (process.platform !== 'win32') {
    // Every file that holds a secret: the config file (when it has back-end secrets), the API token and the
    // credentials the desktop app sealed. Each must be readable by its owner only.
    const files = [...(configFile && hasSecrets ? [configFile] : []), path.join(dataDir, TOKEN_FILE_NAME), path.join(dataDir, KIOSK_TOKEN_FILE_NAME), path.join(dataDir, CREDENTIALS_FILE_NAME)].filter((f) => fs.existsSync(f));
    const open = files.map((f) => ({ f, mode: fs.statSync(f).mode & 0o777 })).filter((x) => (x.mode & 0o077) !== 0);
    if (files.length > 0) {
      checks.push(
        open.length === 0
          ? { name: 'secrets', level: 'ok', detail: `${files.join(', ')} readable by their owner only` }
          : { name: 'secrets', level: 'warn', detail: `${open.map((x) => `${x.f} (mode ${x.mode.toString(8)})`).join(', ')} hold secrets but are readable by others: chmod 600 them` },
      );
    }
  }
  if (process.platform !== 'win32') checks.push(fileModesCheck(dataDir));
  checks.push(attempt('data-dir', () => (assertDataDirUsable(dataDir), `${dataDir} is writable`)));
  checks.push(attempt('database', () => (preflightDb(dbPath(dataDir), { pages: true }), `${dbPath(dataDir)} passes quick_check (or does not exist yet)`)));
  const numbers = saleNumbersCheck(dbPath(dataDir));
  if (numbers) checks.push(numbers);
  const electron = electronBinary();
  checks.push(electron.present ? { name: 'electron', level: 'ok', detail: electron.path } : { name: 'electron', level: 'warn', detail: `${electron.reason}; npm start runs the headless agent instead` });
  const usb = libusbStatus();
  checks.push({ name: 'libusb', level: usb.present ? 'ok' : 'warn', detail: usb.detail });
  if (listPorts) {
    try {
      const ports = await listPorts();
      checks.push({ name: 'serial-ports', level: 'ok', detail: ports.length > 0 ? ports.join(', ') : 'none seen' });
    } catch (err) {
      checks.push({ name: 'serial-ports', level: 'warn', detail: `cannot list serial ports: ${String(err)}` });
    }
  }
  return checks;
}

/** The database against its sale-number witness (docs/storage.md): lost sales stop selling until acknowledged. */
function saleNumbersCheck(file: string): Check | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    const db = openReadonlyDb(file);
    try {
      const recorded = lostSales(db);
      if (recorded) return { name: 'sale-numbers', level: 'fail', detail: `${lostSalesMessage(recorded)} Acknowledge with \`till-agent sale acknowledge-lost --by NAME\`.` };
      const gaps = compareWithWitness(db);
      if (gaps.length > 0) {
        const lost = gaps.reduce((n, g) => n + g.witness - g.database, 0);
        return { name: 'sale-numbers', level: 'fail', detail: `${lost} committed sale(s) are missing from the database (${gaps.map((g) => `${g.posId}: witness ${g.witness}, database ${g.database}`).join('; ')}); the agent will stop selling when it opens it.` };
      }
      return { name: 'sale-numbers', level: 'ok', detail: 'the database holds every sale its witness recorded' };
    } finally {
      db.close();
    }
  } catch (err) {
    return { name: 'sale-numbers', level: 'warn', detail: `cannot compare with the sale-number witness: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** The data directory and the database files are the agent user's only (docs/security.md, "File modes"). */
function fileModesCheck(dataDir: string): Check {
  const paths = [dataDir, ...dbFiles(dbPath(dataDir)), path.join(dataDir, 'logs')];
  const open = looseModes(paths);
  if (open.length === 0) return { name: 'file-modes', level: 'ok', detail: `${dataDir} and its database files are readable by their owner only` };
  const list = open.map((x) => `${x.path} (mode ${x.mode.toString(8)})`).join(', ');
  return { name: 'file-modes', level: 'warn', detail: `${list} can be read by other users: chmod 700 the directories and 600 the files (the agent does this at start when it owns them)` };
}

export function doctorCommand(listPorts?: () => Promise<string[]>): Command {
  return newCommand('doctor', 'check this machine and configuration: Node, SQLite, data directory, config, Electron, libusb, serial ports')
    .option('--json', 'print the checks as JSON')
    .action(async (opts: CommonOptions & { json?: boolean }) => {
      try {
        const checks = await runDoctor(opts, listPorts);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ checks })}\n`);
        } else {
          const mark: Record<Level, string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' };
          for (const c of checks) process.stdout.write(`${mark[c.level]}  ${c.name.padEnd(13)} ${c.detail}\n`);
        }
        if (checks.some((c) => c.level === 'fail')) process.exitCode = 1;
      } catch (err) {
        reportFailure(err);
      }
    });
}
