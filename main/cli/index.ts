import { Command } from 'commander';
import { connectorFromConfig } from '../agent/connector-from-config';
import { AGENT_VERSION } from '../agent/version';
import { backupCommand } from './commands/backup';
import { catalogCommand } from './commands/catalog';
import { devicesCommand } from './commands/devices';
import { discountsCommand } from './commands/discounts';
import { doctorCommand } from './commands/doctor';
import { journalCommand } from './commands/journal';
import { managerCommand } from './commands/manager';
import { printCommand } from './commands/print';
import { reportCommand } from './commands/report';
import { saftCommand } from './commands/saft';
import { saleCommand } from './commands/sale';
import { rulesCommand } from './commands/rules';
import { sandboxCommand } from './commands/sandbox';
import { scannerCommand } from './commands/scanner';
import { serveCommand } from './commands/serve';
import { syncCommand } from './commands/sync';

/** `till-agent`: one program, one sub-command per job; each file in ./commands builds its own. */
export function buildProgram(): Command {
  const program = new Command('till-agent')
    .description('till-agent: offline-first point-of-sale agent (scanners, receipts, loyalty discounts, sync)')
    .version(AGENT_VERSION, '-v, --version', 'print the version')
    .showHelpAfterError('(add --help for usage)');
  program.addCommand(serveCommand());
  // Loaded on demand: serialport's native binding is not needed to start the agent.
  program.addCommand(
    doctorCommand(async () => {
      const { listSerialPorts } = await import('../../native/scanners');
      return (await listSerialPorts()).map((p) => (p.manufacturer ? `${p.path} (${p.manufacturer})` : p.path));
    }),
  );
  program.addCommand(backupCommand());
  program.addCommand(syncCommand({ connectorFactory: (config, db) => connectorFromConfig(config, db) }));
  program.addCommand(discountsCommand());
  program.addCommand(rulesCommand());
  program.addCommand(catalogCommand());
  program.addCommand(journalCommand());
  program.addCommand(saleCommand());
  program.addCommand(sandboxCommand());
  program.addCommand(devicesCommand());
  program.addCommand(scannerCommand());
  program.addCommand(printCommand());
  program.addCommand(managerCommand());
  program.addCommand(reportCommand());
  program.addCommand(saftCommand());
  return program;
}

export async function main(argv: readonly string[] = process.argv): Promise<void> {
  await buildProgram().parseAsync([...argv]);
}
