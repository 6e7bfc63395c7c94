import type { Activity } from 'botframework-schema';

/**
 * How long a reply is kept for a repeated delivery of the same activity, in milliseconds. Teams
 * has been seen delivering one mention twice about a second apart. Ten minutes also covers the
 * five-minute timestamp window, so a replay inside that window finds the first reply unless
 * DELIVERY_CACHE_SIZE newer activities have pushed it out.
 */
export const DELIVERY_TTL_MS = 10 * 60 * 1000;

/** Maximum number of entries; the oldest go first, so memory stays bounded under any load. */
export const DELIVERY_CACHE_SIZE = 10_000;

interface Entry {
  reply: Promise<Partial<Activity>>;
  expiresAt: number;
}

/**
 * Remembers the reply to each activity, keyed by webhook, conversation and activity id, so a
 * repeated delivery gets the first delivery's reply instead of running the handler again. While
 * the first delivery is still running, the repeat shares its pending reply.
 */
export class DeliveryCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs = DELIVERY_TTL_MS,
    private readonly maxEntries = DELIVERY_CACHE_SIZE,
  ) {}

  /** The cache key of an activity, or undefined when it has no id to recognise it by. */
  static keyOf(webhookId: string, activity: Activity): string | undefined {
    if (typeof activity.id !== 'string' || activity.id === '') {
      return undefined;
    }
    return JSON.stringify([webhookId, activity.conversation?.id ?? '', activity.id]);
  }

  /** Returns the pending or finished reply of an earlier delivery, unless it has expired. */
  get(key: string): Promise<Partial<Activity>> | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) {
      return undefined;
    }
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.reply;
  }

  /** Stores the reply of a first delivery. A reply that rejects is forgotten. */
  set(key: string, reply: Promise<Partial<Activity>>): void {
    this.evictExpired();
    this.entries.delete(key);
    this.entries.set(key, { reply, expiresAt: this.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    reply.catch(() => this.entries.delete(key));
  }

  get size(): number {
    return this.entries.size;
  }

  /** Drops expired entries from the oldest end; entries are in insertion order. */
  private evictExpired(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) {
        return;
      }
      this.entries.delete(key);
    }
  }
}
