import assert from 'node:assert/strict';
import type { Activity } from 'botframework-schema';
import { DeliveryCache } from '../../src/webhook/delivery-cache';

const reply = (text: string) => Promise.resolve({ type: 'message', text });

describe('DeliveryCache', () => {
  it('returns the stored reply until it expires', async () => {
    let now = 0;
    const cache = new DeliveryCache(() => now, 1000, 10);
    cache.set('a', reply('first'));
    assert.deepEqual(await cache.get('a'), { type: 'message', text: 'first' });
    now = 999;
    assert.ok(cache.get('a'));
    now = 1000;
    assert.equal(cache.get('a'), undefined);
    assert.equal(cache.size, 0);
  });

  it('holds at most its size, dropping the oldest', () => {
    const cache = new DeliveryCache(() => 0, 1000, 3);
    for (const key of ['a', 'b', 'c', 'd']) {
      cache.set(key, reply(key));
    }
    assert.equal(cache.size, 3);
    assert.equal(cache.get('a'), undefined);
    assert.ok(cache.get('d'));
  });

  it('drops expired entries when new ones arrive', () => {
    let now = 0;
    const cache = new DeliveryCache(() => now, 1000, 100);
    cache.set('a', reply('a'));
    cache.set('b', reply('b'));
    now = 1500;
    cache.set('c', reply('c'));
    assert.equal(cache.size, 1);
  });

  it('forgets a reply that rejects', async () => {
    const cache = new DeliveryCache(() => 0, 1000, 10);
    const failing = Promise.reject(new Error('x'));
    cache.set('a', failing);
    await assert.rejects(failing);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(cache.get('a'), undefined);
  });

  it('keys by webhook, conversation and activity id', () => {
    const activity = { id: '1', conversation: { id: 'c' } } as Activity;
    assert.equal(DeliveryCache.keyOf('w', activity), '["w","c","1"]');
    assert.notEqual(DeliveryCache.keyOf('v', activity), DeliveryCache.keyOf('w', activity));
    const noConversation = { id: '1', conversation: { id: '' } } as Activity;
    assert.equal(DeliveryCache.keyOf('w', noConversation), '["w","","1"]');
  });

  it('has no key for an activity without an id', () => {
    assert.equal(DeliveryCache.keyOf('w', {} as Activity), undefined);
    assert.equal(DeliveryCache.keyOf('w', { id: '' } as Activity), undefined);
  });
});
