import type { SigningKey } from './signature';

/**
 * The keys of every configured webhook. A webhook id may hold several keys while its token is
 * rotated; `replace` swaps the whole set at once, so a request never gets half of a new set.
 */
export class KeyRing {
  private keys: readonly SigningKey[] = [];
  private byId = new Map<string, SigningKey[]>();

  constructor(keys: readonly SigningKey[]) {
    this.replace(keys);
  }

  replace(keys: readonly SigningKey[]): void {
    const byId = new Map<string, SigningKey[]>();
    for (const key of keys) {
      byId.set(key.webhookId, [...(byId.get(key.webhookId) ?? []), key]);
    }
    this.keys = [...keys];
    this.byId = byId;
  }

  /** Returns every key when `webhookId` is undefined, else that webhook's keys (none when unknown). */
  keysFor(webhookId: string | undefined): readonly SigningKey[] {
    return webhookId === undefined ? this.keys : (this.byId.get(webhookId) ?? []);
  }

  get webhookIds(): string[] {
    return [...this.byId.keys()];
  }

  get size(): number {
    return this.keys.length;
  }
}
