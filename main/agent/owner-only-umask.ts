/**
 * Every file the agent creates (database, WAL, backups, exports, logs, files SQLite or a library makes behind
 * our back) is for the agent's user only: the process umask takes group and other permissions off at creation,
 * so no file is readable by others even for the moment before an explicit chmod. Set first thing by the CLI
 * and the Electron main process (docs/security.md, "File modes").
 */
export const AGENT_UMASK = 0o077;

export function useOwnerOnlyUmask(): void {
  if (process.platform !== 'win32') process.umask(AGENT_UMASK);
}
