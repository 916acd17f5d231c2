/** `npm run soak -- [--minutes N] [--kills K] [--tills T] [--seed S] [--sale-every-ms MS] [--model-runs N] [--keep] [--json]`. */

export type SoakOptions = {
  /** How long sales are driven under chaos; the drain and the audit come after. */
  readonly minutes: number;
  /** SIGKILLs of running till agents, spread over the chaos period. */
  readonly kills: number;
  readonly tills: number;
  /** Seeds every random choice of the harness and the sandbox's fault rolls: the same seed replays the same plan. */
  readonly seed: number;
  /** Mean pause between two sales at one till (a realistic peak: one every 2 s). */
  readonly saleEveryMs: number;
  /** Keep the data directories (tills and sandbox) for inspection instead of removing them. */
  readonly keep: boolean;
  readonly json: boolean;
  /**
   * The store's members shop at every till, are sometimes identified by member id only, and redeem fixed amounts
   * of credit: the case where a payment's reconcile by balance can be fooled (docs/reliability.md).
   */
  readonly sharedMembers: boolean;
  /** Where the data directories go; a fresh temp directory when not given. */
  readonly workDir?: string | undefined;
  /** Random sequences of the sale service's model-based test run after the audit (0: none). */
  readonly modelRuns: number;
};

export class SoakUsageError extends Error {
  override readonly name = 'SoakUsageError';
}

export const USAGE = `usage: npm run soak -- [--minutes N] [--kills K] [--tills T] [--seed S] [--sale-every-ms MS] [--shared-members] [--model-runs N] [--keep] [--json] [--work-dir DIR]
  --minutes N        minutes of sales under chaos (default 5; decimals allowed)
  --kills K          SIGKILLs of till agents over that time (default 30 per minute)
  --tills T          till agents (default 3)
  --seed S           replays a run (default: from the clock, printed)
  --sale-every-ms MS mean pause between sales at one till (default 2000)
  --shared-members   members shop at every till and redeem fixed amounts (exposes the reconcile's limit)
  --model-runs N     sequences of the sale model test after the audit (default 2000, at least the 1000 of npm test; 0 skips it)
  --keep             keep the data directories
  --json             end with one JSON line of figures`;

function numberOf(flag: string, text: string | undefined, min: number, max: number, integer: boolean): number {
  const n = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new SoakUsageError(`${flag} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got ${text === undefined ? 'nothing' : `"${text}"`}.\n${USAGE}`);
  }
  return n;
}

export function parseSoakArgs(argv: readonly string[], clockSeed: number): SoakOptions {
  let minutes = 5;
  let kills: number | undefined;
  let tills = 3;
  let seed = clockSeed;
  let saleEveryMs = 2000;
  let keep = false;
  let json = false;
  let sharedMembers = false;
  let workDir: string | undefined;
  let modelRuns = 2_000;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? '';
    const value = (): string | undefined => argv[++i];
    switch (flag) {
      case '--minutes':
        minutes = numberOf(flag, value(), 0.1, 24 * 60, false);
        break;
      case '--kills':
        kills = numberOf(flag, value(), 0, 1_000_000, true);
        break;
      case '--tills':
        tills = numberOf(flag, value(), 1, 32, true);
        break;
      case '--seed':
        seed = numberOf(flag, value(), 0, 2 ** 31 - 1, true);
        break;
      case '--sale-every-ms':
        saleEveryMs = numberOf(flag, value(), 50, 600_000, true);
        break;
      case '--work-dir':
        workDir = value();
        if (!workDir) throw new SoakUsageError(`--work-dir needs a directory.\n${USAGE}`);
        break;
      case '--model-runs':
        modelRuns = numberOf(flag, value(), 0, 10_000_000, true);
        break;
      case '--keep':
        keep = true;
        break;
      case '--json':
        json = true;
        break;
      case '--shared-members':
        sharedMembers = true;
        break;
      default:
        throw new SoakUsageError(`Unknown option "${flag}".\n${USAGE}`);
    }
  }
  return { minutes, kills: kills ?? Math.round(minutes * 30), tills, seed, saleEveryMs, keep, json, sharedMembers, workDir, modelRuns };
}
