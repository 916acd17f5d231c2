import type { Command } from 'commander';
import { MANAGER_OPERATOR } from '../../agent/fiscal-controls';
import { setManagerPin } from '../../agent/manager-pin';
import { isTrainingModeOn, setTrainingMode } from '../../store/training-mode';
import { pinProblem } from '../../core/manager';
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
  return manager;
}
