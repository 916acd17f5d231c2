/**
 * The keyed hashes the caches index phone numbers, e-mails and tokens by. They live with the key in
 * main/store/lookup-hash.ts (the ledger hashes gift-card tokens too); re-exported for the pull code.
 */
export { existingLookupHasher, LookupHasher, lookupHasher, normalizeEmail, normalizePhone, type LookupField } from '../../store/lookup-hash';
