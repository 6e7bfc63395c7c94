import assert from 'node:assert/strict';
import type { Activity } from 'botframework-schema';
import { checkAccess, tenantIdOf } from '../../src/webhook/access';

const tenant = 'AAAAAAAA-1111-4222-8333-444444444444';
const user = 'BBBBBBBB-1111-4222-8333-444444444444';

function activity(fields: Record<string, unknown>): Activity {
  return {
    type: 'message',
    from: { id: '29:u' },
    conversation: { id: 'c' },
    ...fields,
  } as Activity;
}

describe('checkAccess', () => {
  const lists = { allowedTenantIds: [tenant.toLowerCase()], allowedUserIds: [user.toLowerCase()] };

  it('allows everyone when no list is set', () => {
    assert.equal(
      checkAccess(activity({}), { allowedTenantIds: [], allowedUserIds: [] }),
      undefined,
    );
  });

  it('allows listed tenant and user in any case', () => {
    const allowed = activity({
      channelData: { tenant: { id: tenant } },
      from: { id: '29:u', aadObjectId: user.toLowerCase() },
    });
    assert.equal(checkAccess(allowed, lists), undefined);
  });

  it('falls back to conversation.tenantId', () => {
    const allowed = activity({
      conversation: { id: 'c', tenantId: tenant.toLowerCase() },
      from: { id: '29:u', aadObjectId: user },
    });
    assert.equal(checkAccess(allowed, lists), undefined);
  });

  const refused: [string, Record<string, unknown>, string][] = [
    ['another tenant', { channelData: { tenant: { id: 'other' } } }, 'tenant_not_allowed'],
    ['no tenant', { from: { id: '29:u', aadObjectId: user } }, 'tenant_not_allowed'],
    [
      'another user',
      { channelData: { tenant: { id: tenant } }, from: { id: '29:u', aadObjectId: 'x' } },
      'user_not_allowed',
    ],
    ['no AAD object id', { channelData: { tenant: { id: tenant } } }, 'user_not_allowed'],
    [
      'a numeric AAD object id',
      { channelData: { tenant: { id: tenant } }, from: { id: '29:u', aadObjectId: 7 } },
      'user_not_allowed',
    ],
  ];
  for (const [name, fields, reason] of refused) {
    it(`refuses ${name}`, () => {
      assert.equal(checkAccess(activity(fields), lists), reason);
    });
  }
});

describe('tenantIdOf', () => {
  it('prefers channelData.tenant.id', () => {
    const both = activity({
      channelData: { tenant: { id: 'a' } },
      conversation: { id: 'c', tenantId: 'b' },
    });
    assert.equal(tenantIdOf(both), 'a');
  });

  it('ignores a tenant id that is not a string', () => {
    assert.equal(tenantIdOf(activity({ channelData: { tenant: { id: 5 } } })), undefined);
  });
});
