import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const PREFIX = 'enc1:';

/**
 * Apps' signing secrets (ZEGO ServerSecret, IVH accesstoken) at rest: AES-256-GCM under the configured key,
 * stored as `enc1:` + base64url(key id ‖ IV ‖ tag ‖ ciphertext). The key id (first 4 bytes of the key's
 * sha256) picks the key that decrypts, so a store can hold values under an old and a new key while a
 * rotation runs. The app's id and the column are authenticated too: a value copied onto another app's row
 * or into another column does not decrypt.
 *
 * Without keys the box stores plain text, and reads plain text as it is (a store from before encryption
 * was switched on); `timbrel secrets reencrypt` seals every value under the current key.
 */
export class SecretBox {
  private readonly keys: { id: Buffer; key: Buffer }[];

  constructor(keys: Buffer[]) {
    this.keys = keys.map((key) => ({ id: createHash('sha256').update(key).digest().subarray(0, 4), key }));
  }

  get encrypting(): boolean {
    return this.keys.length > 0;
  }

  seal(plain: string, context: string): string {
    const current = this.keys[0];
    if (!current) return plain;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', current.key, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([current.id, iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  open(stored: string, context: string): string {
    if (!stored.startsWith(PREFIX)) return stored;
    const raw = Buffer.from(stored.slice(PREFIX.length), 'base64url');
    const id = raw.subarray(0, 4);
    const k = this.keys.find((x) => x.id.equals(id));
    if (!k) {
      throw new SecretKeyError(
        this.keys.length
          ? `a stored secret (an app's, or the file-URL signing key) is encrypted under a key that is not configured (key id ${id.toString('hex')}): add it to TIMBREL_SECRET_KEYS_PREVIOUS`
          : 'secrets are encrypted at rest but TIMBREL_SECRET_KEY is not set',
      );
    }
    const decipher = createDecipheriv('aes-256-gcm', k.key, raw.subarray(4, 16));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(raw.subarray(16, 32));
    try {
      return Buffer.concat([decipher.update(raw.subarray(32)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretKeyError('an app secret failed authentication (tampered, or stored for another app)');
    }
  }

  /** true when `stored` is sealed under any key. */
  isSealed(stored: string): boolean {
    return stored.startsWith(PREFIX);
  }

  /** true when `stored` is sealed under the current key (nothing to re-encrypt). */
  isCurrent(stored: string): boolean {
    const current = this.keys[0];
    if (!current) return !stored.startsWith(PREFIX);
    return (
      stored.startsWith(PREFIX) &&
      Buffer.from(stored.slice(PREFIX.length, PREFIX.length + 8), 'base64url')
        .subarray(0, 4)
        .equals(current.id)
    );
  }
}

export class SecretKeyError extends Error {}
