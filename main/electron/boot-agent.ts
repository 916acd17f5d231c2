import { type Agent, startAgent } from '../agent/start-agent';
import { moveSecretsOutOfConfig, readCredentials } from '../agent/credentials';
import { osKeyStore, ownerOnlyFile, type SafeStorageLike, type SecretSealer } from '../agent/secret-store';
import { type Config, loadConfig } from '../config';

export type BootedAgent = { readonly agent: Agent; readonly config: Config; readonly sealer: SecretSealer };

/**
 * Starts the agent core for the desktop app with its secrets in the OS key store when Electron's safeStorage
 * can encrypt: the API token is sealed, and back-end secrets written into the config file by hand are moved
 * into the sealed credentials file once the agent is up (docs/security.md). Without a key store it runs as
 * under plain Node: secret files readable by the agent's user only.
 */
export async function bootAgent(options: { safeStorage: SafeStorageLike; configFile: string | undefined; dataDir: string | undefined; rendererDir: string | undefined }): Promise<BootedAgent> {
  const sealer = osKeyStore(options.safeStorage) ?? ownerOnlyFile;
  const loaded = loadConfig({ configFile: options.configFile, dataDir: options.dataDir, storedSecrets: (dir) => readCredentials(dir, sealer) });
  const agent = await startAgent({ config: loaded.config, rendererDir: options.rendererDir, prettyLogs: false, secrets: sealer });
  if (loaded.file !== undefined) {
    const moved = moveSecretsOutOfConfig(loaded.file, loaded.config.dataDir, sealer);
    if (moved.length > 0) agent.log.logger.info({ fields: moved }, 'moved back-end secrets from the config file into the OS key store');
  }
  return { agent, config: loaded.config, sealer };
}
