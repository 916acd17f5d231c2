import os from 'node:os';
import path from 'node:path';

export const CONFIG_FILE_NAME = 'till-agent.config.json';

/** The per-user data directory the OS expects an application to use. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME ?? env.USERPROFILE ?? os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'till-agent');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'till-agent');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'till-agent');
}
