export { loadConfig, type ConfigSource, type LoadedConfig } from './load-config';
export { CONFIG_FILE_NAME, defaultDataDir } from './paths';
export { ConfigSchema, SECRET_FIELDS, type Config, type PrinterConfig, type ScannerConfig, type SecretField } from './schema';
export { ENV_VARS } from './env';
export { parsePrinterAddress, parseScannerAddress, printerAddress, scannerAddress } from './device-address';
