import type { Activity } from 'botframework-schema';
import { isObject } from './activity';

export type AccessFailure = 'tenant_not_allowed' | 'user_not_allowed';

export interface AccessLists {
  /** Lower-cased tenant ids; empty allows every tenant. */
  allowedTenantIds: readonly string[];
  /** Lower-cased AAD object ids; empty allows every user. */
  allowedUserIds: readonly string[];
}

/** Reads the tenant of an activity: `channelData.tenant.id`, else `conversation.tenantId`. */
export function tenantIdOf(activity: Activity): string | undefined {
  const channelData: unknown = activity.channelData;
  if (isObject(channelData) && isObject(channelData.tenant)) {
    const id = channelData.tenant.id;
    if (typeof id === 'string' && id !== '') {
      return id;
    }
  }
  const fromConversation = activity.conversation?.tenantId;
  return typeof fromConversation === 'string' && fromConversation !== ''
    ? fromConversation
    : undefined;
}

/**
 * Checks the optional allow-lists. The HMAC proves that Teams sent the request, not who the
 * user is, so the lists use the ids Teams puts in the signed body. GUID case varies between
 * payloads, so ids compare without regard to case. A list that is set and an activity without
 * the field fail closed.
 */
export function checkAccess(activity: Activity, lists: AccessLists): AccessFailure | undefined {
  if (lists.allowedTenantIds.length > 0) {
    const tenantId = tenantIdOf(activity)?.toLowerCase();
    if (tenantId === undefined || !lists.allowedTenantIds.includes(tenantId)) {
      return 'tenant_not_allowed';
    }
  }
  if (lists.allowedUserIds.length > 0) {
    const aadObjectId: unknown = activity.from?.aadObjectId;
    const userId = typeof aadObjectId === 'string' ? aadObjectId.toLowerCase() : undefined;
    if (userId === undefined || !lists.allowedUserIds.includes(userId)) {
      return 'user_not_allowed';
    }
  }
  return undefined;
}

export const ACCESS_REFUSED_TEXT =
  'Sorry, this bot is not available to you. Ask the people who run it to add you to its allow-list.';
