import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { SafeStorageLike } from '../../main/agent/secret-store';

/**
 * Electron's safeStorage without the Electron binary: AES-256-GCM under a key derived from `user`, the way the
 * OS key store holds one key per user. Decrypting another user's data fails, as it does for real.
 */
export function fakeSafeStorage(user = 'till-user', available = true): SafeStorageLike & { encrypted: number } {
  const key = createHash('sha256').update(`fake-os-key-store:${user}`).digest();
  const store = {
    encrypted: 0,
    isEncryptionAvailable: () => available,
    encryptString(plain: string): Buffer {
      if (!available) throw new Error('Encryption is not available.');
      store.encrypted++;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(encrypted: Buffer): string {
      const decipher = createDecipheriv('aes-256-gcm', key, encrypted.subarray(0, 12));
      decipher.setAuthTag(encrypted.subarray(12, 28));
      return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
  return store;
}
