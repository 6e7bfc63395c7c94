import assert from 'node:assert/strict';
import { ConfigError } from '../../src/config';
import { createBotFrameworkAuthentication } from '../../src/registered/bot-framework-auth';
import { startTestServer } from '../../src/testing';
import { TEST_APP_ID } from './helpers';

const PASSWORD = 'pw-7f3a9c-must-never-appear';
const TENANT = '12345678-90ab-4cde-8f01-234567890abc';

describe('createBotFrameworkAuthentication', () => {
  const accepted: [string, Record<string, string>][] = [
    [
      'MultiTenant with a password',
      { MicrosoftAppId: TEST_APP_ID, MicrosoftAppPassword: PASSWORD },
    ],
    [
      'SingleTenant with a password',
      {
        MicrosoftAppId: TEST_APP_ID,
        MicrosoftAppPassword: PASSWORD,
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: TENANT,
      },
    ],
    [
      'SingleTenant with a certificate',
      {
        MicrosoftAppId: TEST_APP_ID,
        MicrosoftAppType: 'singletenant',
        MicrosoftAppTenantId: TENANT,
        CertificateThumbprint: 'AB12CD34',
        CertificatePrivateKey: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----',
      },
    ],
    [
      'UserAssignedMSI',
      {
        MicrosoftAppId: TEST_APP_ID,
        MicrosoftAppType: 'UserAssignedMSI',
        MicrosoftAppTenantId: TENANT,
      },
    ],
  ];
  for (const [name, settings] of accepted) {
    it(`accepts ${name}`, () => {
      assert.doesNotThrow(() => createBotFrameworkAuthentication(settings));
    });
  }

  const rejected: [string, Record<string, string>, RegExp][] = [
    [
      'an app id that is no GUID',
      { MicrosoftAppId: 'my-bot', MicrosoftAppPassword: PASSWORD },
      /^MicrosoftAppId must be the application \(client\) id/,
    ],
    [
      'an unknown app type',
      { MicrosoftAppId: TEST_APP_ID, MicrosoftAppPassword: PASSWORD, MicrosoftAppType: 'Single' },
      /^MicrosoftAppType must be SingleTenant, UserAssignedMSI or MultiTenant/,
    ],
    [
      'MultiTenant without a password',
      { MicrosoftAppId: TEST_APP_ID },
      /^MicrosoftAppPassword is missing/,
    ],
    [
      'SingleTenant without a tenant',
      {
        MicrosoftAppId: TEST_APP_ID,
        MicrosoftAppPassword: PASSWORD,
        MicrosoftAppType: 'SingleTenant',
      },
      /MicrosoftAppTenantId is required for SingleTenant/,
    ],
    [
      'SingleTenant without a password',
      {
        MicrosoftAppId: TEST_APP_ID,
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: TENANT,
      },
      /MicrosoftAppPassword is required for SingleTenant/,
    ],
    [
      'a thumbprint without its key',
      {
        MicrosoftAppId: TEST_APP_ID,
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: TENANT,
        CertificateThumbprint: 'AB12CD34',
      },
      /CertificatePrivateKey is required/,
    ],
    [
      'UserAssignedMSI with a password',
      {
        MicrosoftAppId: TEST_APP_ID,
        MicrosoftAppType: 'UserAssignedMSI',
        MicrosoftAppTenantId: TENANT,
        MicrosoftAppPassword: PASSWORD,
      },
      /MicrosoftAppPassword must not be set for MSI/,
    ],
  ];
  for (const [name, settings, message] of rejected) {
    it(`rejects ${name}`, () => {
      assert.throws(
        () => createBotFrameworkAuthentication(settings),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
          assert.match(error.message, message);
          assert.doesNotMatch(error.message, new RegExp(PASSWORD));
          return true;
        },
      );
    });
  }

  it('stops the service from starting', async () => {
    await assert.rejects(
      startTestServer({ env: { MicrosoftAppId: TEST_APP_ID } }),
      (error: unknown) =>
        error instanceof ConfigError && /MicrosoftAppPassword/.test(error.message),
    );
  });
});
