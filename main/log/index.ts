export { createLogger, silentLogger, type LogHandle, type Logger, type LoggerOptions } from './logger';
export { REDACTED, Redactor } from './redact';
