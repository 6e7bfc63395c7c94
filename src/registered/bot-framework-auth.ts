import { AssertionError } from 'node:assert';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { ConfigError } from '../config';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const INVALID_APP_ID_MESSAGE =
  'MicrosoftAppId must be the application (client) id of the Azure Bot resource, a GUID such ' +
  'as 00000000-0000-0000-0000-000000000000.';

/** The MicrosoftAppType values botbuilder 4.23 accepts, lower-cased as it compares them. */
const APP_TYPES = ['multitenant', 'singletenant', 'userassignedmsi'];

/** Returns true when `value` is a GUID, the form of Microsoft app and tenant ids. */
export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/**
 * Creates botbuilder's ConfigurationBotFrameworkAuthentication from its own settings
 * (MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppType, MicrosoftAppTenantId,
 * CertificateThumbprint, CertificatePrivateKey). Inbound JWT validation is botbuilder's. Throws
 * ConfigError naming the setting to fix, never its value.
 */
export function createBotFrameworkAuthentication(
  settings: Record<string, string>,
): ConfigurationBotFrameworkAuthentication {
  checkSettings(settings);
  try {
    return new ConfigurationBotFrameworkAuthentication(settings);
  } catch (error) {
    // botbuilder asserts on incomplete settings with messages that name the setting only.
    if (error instanceof AssertionError) {
      throw new ConfigError(`Invalid registered-bot settings: ${error.message}`);
    }
    throw error;
  }
}

/**
 * Rejects settings that botbuilder accepts silently and fails on later. These are an app id that
 * is not a GUID and an unknown MicrosoftAppType, where botbuilder falls back to MultiTenant. A
 * MultiTenant bot without a password or certificate is rejected too: it authenticates requests
 * but cannot send a reply.
 */
function checkSettings(settings: Record<string, string>): void {
  if (!isGuid(settings.MicrosoftAppId ?? '')) {
    throw new ConfigError(INVALID_APP_ID_MESSAGE);
  }
  const appType = (settings.MicrosoftAppType ?? 'MultiTenant').toLowerCase();
  if (!APP_TYPES.includes(appType)) {
    throw new ConfigError(
      'MicrosoftAppType must be SingleTenant, UserAssignedMSI or MultiTenant (the default).',
    );
  }
  const hasCertificate = Boolean(settings.CertificateThumbprint || settings.CertificatePrivateKey);
  if (appType === 'multitenant' && !settings.MicrosoftAppPassword && !hasCertificate) {
    throw new ConfigError(
      'MicrosoftAppPassword is missing. Set it to a client secret of the bot app registration, ' +
        'or set CertificateThumbprint and CertificatePrivateKey instead.',
    );
  }
}
