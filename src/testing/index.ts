/**
 * Helpers for testing bots built on this service: sign bodies as Teams does, build realistic
 * activities, start the server on an ephemeral port and send it signed mentions.
 */
export {
  buildMessageActivity,
  escapeHtml,
  type ActivityOptions,
  type WireActivity,
} from './activities';
export { authorizationFor } from './signing';
export {
  createToken,
  postSigned,
  sendMention,
  startTestServer,
  type SendOptions,
  type TestServer,
  type TestServerOptions,
  type WebhookResponse,
} from './test-server';
