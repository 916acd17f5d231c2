import type { Command } from 'commander';
import { FiscalControls, MANAGER_OPERATOR } from '../../agent/fiscal-controls';
import { setManagerPin } from '../../agent/manager-pin';
import { isTrainingModeOn, setTrainingMode } from '../../store/training-mode';
import { pinProblem } from '../../core/manager';
import { minor, parseDecimal, toDecimal } from '../../core/money';
import { currencyExponent } from '../../core/sale';
import { silentLogger } from '../../log';
import { TillError } from '../../core/errors';
import { type CommonOptions, loadFromOptions, newCommand, reportFailure } from '../common';
import { openTillDb } from '../till-db';

export type PinInput = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
export type PinOutput = { write(text: string): unknown };

/** Reads one line from a terminal without echoing it: the PIN must not show on screen or in scrollback. */
function promptHidden(input: PinInput, output: PinOutput, question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    output.write(question);
    input.setRawMode?.(true);
    input.resume();
    let text = '';
    const done = (err?: Error): void => {
      input.setRawMode?.(false);
      input.pause();
      input.removeListener('data', onData);
      output.write('\n');
      if (err) reject(err);
      else resolve(text);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new TillError('SCHEMA_INVALID', 'Cancelled; the manager PIN was not changed.'));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    input.on('data', onData);
  });
}

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) text += typeof chunk === 'string' ? chunk : (chunk).toString('utf8');
  return text;
}

/** The new PIN: asked twice on a terminal, or the first line of stdin (for scripts: `echo 4711 | till-agent manager set-pin`). */
export async function readNewPin(input: PinInput, output: PinOutput): Promise<string> {
  if (input.isTTY) {
    const first = await promptHidden(input, output, 'New manager PIN (4 to 12 digits): ');
    const problem = pinProblem(first);
    if (problem) throw new TillError('SCHEMA_INVALID', problem);
    const again = await promptHidden(input, output, 'The same PIN again: ');
    if (again !== first) throw new TillError('SCHEMA_INVALID', 'The two PINs differ; the manager PIN was not changed.');
    return first;
  }
  const line = (await readAll(input)).split(/\r?\n/)[0] ?? '';
  const problem = pinProblem(line.trim());
  if (problem) throw new TillError('SCHEMA_INVALID', `${problem} (read from stdin)`);
  return line.trim();
}

export function managerCommand(io: { stdin?: PinInput; stdout?: PinOutput } = {}): Command {
  const stdin = io.stdin ?? process.stdin;
  const stdout = io.stdout ?? process.stdout;
  const manager = newCommand('manager', "the manager back office: set the manager PIN, switch training mode (the screen is at the agent's URL with #/manager)");
  manager
    .command('set-pin')
    .description('set the manager PIN (asked twice on a terminal, or the first line of stdin); stored only as a salted scrypt hash, and clears any lockout')
    .action(async (_o: unknown, cmd: Command) => {
      try {
        const { config } = loadFromOptions(cmd.optsWithGlobals<CommonOptions>());
        const pin = await readNewPin(stdin, stdout);
        const db = openTillDb(config.dataDir);
        try {
          await setManagerPin(db, pin, new Date());
        } finally {
          db.close();
        }
        stdout.write('The manager PIN is set; any lockout is cleared.\n');
      } catch (err) {
        reportFailure(err);
      }
    });
  manager
    .command('training')
    .argument('[state]', 'on, off, or status (the default)')
    .description('training mode (docs/fiscal-no.md): every sale while it is on is a marked training sale, kept out of the sales figures; switching is journaled')
    .action((state: string | undefined, _o: unknown, cmd: Command) => {
      try {
        const wanted = (state ?? 'status').toLowerCase();
        if (wanted !== 'on' && wanted !== 'off' && wanted !== 'status') throw new TillError('SCHEMA_INVALID', `"${state ?? ''}" is not a training state: use on, off or status.`);
        const { config } = loadFromOptions(cmd.optsWithGlobals<CommonOptions>());
        const db = openTillDb(config.dataDir);
        try {
          // Read inside every commit, so a running agent follows the switch from its next sale.
          const changed = wanted === 'status' ? false : setTrainingMode(db, wanted === 'on', new Date(), MANAGER_OPERATOR);
          const on = isTrainingModeOn(db);
          stdout.write(`Training mode is ${on ? 'ON: sales are training sales' : 'off'}${wanted === 'status' ? '' : changed ? ' (switched now).' : ' (it already was).'}\n`);
        } finally {
          db.close();
        }
      } catch (err) {
        reportFailure(err);
      }
    });
  manager
    .command('cash-withdrawal')
    .requiredOption('--amount <amount>', 'cash taken out of the drawer, in the till currency (e.g. 500 or 500.00)')
    .option('--note <text>', 'where it went, e.g. "to the safe" (journaled; no personal data)')
    .description('cash taken out of the drawer to the safe or bank (docs/fiscal-no.md): journaled as 13019, left out of the expected cash, and the drawer opened when a printer is configured')
    .action((o: { amount: string; note?: string }, cmd: Command) => {
      try {
        const { config } = loadFromOptions(cmd.optsWithGlobals<CommonOptions>());
        const exponent = currencyExponent(config.currency);
        let amount: number;
        try {
          amount = parseDecimal(o.amount, exponent);
        } catch (err) {
          throw new TillError('SCHEMA_INVALID', `--amount: ${err instanceof Error ? err.message : String(err)}`);
        }
        if (amount <= 0) throw new TillError('SCHEMA_INVALID', `--amount: "${o.amount}" is not more than zero.`);
        const note = o.note?.trim();
        if (note !== undefined && note.length > 200) throw new TillError('SCHEMA_INVALID', `--note: ${note.length} characters; at most 200.`);
        const db = openTillDb(config.dataDir);
        try {
          // The same controls as the manager screen; a running agent's spool prints the drawer job at its next poll.
          const controls = new FiscalControls({ db: () => db, clock: { now: () => new Date() }, logger: silentLogger, hasDrawer: config.devices.printer.kind !== 'none', wakePrinter: () => undefined });
          const r = controls.withdrawCash(amount, note === '' ? undefined : note);
          const expected = r.expectedCash === null ? '' : ` The drawer should now hold ${toDecimal(minor(r.expectedCash), exponent)} ${config.currency}.`;
          stdout.write(`Took ${toDecimal(minor(r.amount), exponent)} ${config.currency} out of the drawer.${expected}${r.drawerJobId === null ? '' : ` Drawer job ${r.drawerJobId} queued.`}\n`);
        } finally {
          db.close();
        }
      } catch (err) {
        reportFailure(err);
      }
    });
  return manager;
}
