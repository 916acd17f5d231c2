import fs from 'node:fs';
import type { Command } from 'commander';
import { assertDataDirUsable, dbPath } from '../../agent/data-dir';
import { AGENT_VERSION } from '../../agent/version';
import { loadConfig } from '../../config';
import { defaultDataDir } from '../../config/paths';
import { TillError } from '../../core/errors';
import { libusbStatus } from '../../devices/system-libraries';
import { electronBinary } from '../../electron/electron-binary';
import { preflightDb, sqliteVersion } from '../../store';
import { type CommonOptions, newCommand, reportFailure } from '../common';

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
      const loaded = loadConfig({ configFile: opts.config, dataDir: opts.dataDir });
      dataDir = loaded.config.dataDir;
      configFile = loaded.file;
      const c = loaded.config;
      hasSecrets = c.dintero !== undefined || c.loyalty !== undefined;
      return `${loaded.file ?? 'no config file: demo defaults'}; branch ${c.branchId}, pos ${c.posId}, ${c.mode} mode, ${c.currency}, ${c.locale}, ${c.timeZone}; Dintero ${c.dintero ? 'configured' : 'not configured'}, Loyalty API ${c.loyalty ? 'configured' : 'not configured'}`;
    }),
  );
  if (configFile && hasSecrets && process.platform !== 'win32') {
    const mode = fs.statSync(configFile).mode & 0o777;
    checks.push(
      (mode & 0o077) === 0
        ? { name: 'secrets', level: 'ok', detail: `${configFile} is readable by its owner only` }
        : { name: 'secrets', level: 'warn', detail: `${configFile} holds back-end secrets but is readable by others (mode ${mode.toString(8)}): chmod 600 it` },
    );
  }
  checks.push(attempt('data-dir', () => (assertDataDirUsable(dataDir), `${dataDir} is writable`)));
  checks.push(attempt('database', () => (preflightDb(dbPath(dataDir)), `${dbPath(dataDir)} passes quick_check (or does not exist yet)`)));
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
