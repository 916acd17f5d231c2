export {
  classifyHttpStatus,
  parseRetryAfter,
  type BalanceReading,
  type PaymentCheck,
  type PaymentCheckRequest,
  type OwnMovement,
  type PaymentEvidence,
  type Connector, type ConnectorFactory, type DeliveryResult, type EffectHandler, type EffectToDeliver } from './connector';
export { backoffDelay, DEFAULT_RETRY_POLICY, nextAttemptAt, seededRandom, type RandomSource, type RetryPolicy } from './retry-policy';
export { DeliveryLeaseHeldError, OutboxWorker, realSleep, type DrainOptions, type DrainReport, type OutboxLogger, type OutboxWorkerOptions, type Settlement, type Sleep } from './worker';
