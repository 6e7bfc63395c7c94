/**
 * Helpers for testing bots built on this service: sign bodies as Teams does, build realistic
 * activities, start the server on an ephemeral port, send it signed mentions and read the
 * replies as a person would see them.
 */
export {
  buildMessageActivity,
  buildThreadReply,
  escapeHtml,
  toRequestBody,
  type ActivityOptions,
  type MentionedUser,
  type WireActivity,
} from './activities';
export { findReplyProblems } from './reply-check';
export { formatReplySummary } from './reply-format';
export {
  isOpenUrlAction,
  summarizeReply,
  type CardButton,
  type CardSummary,
  type MentionSummary,
  type ReplySummary,
} from './reply-summary';
export { authorizationFor, createToken } from './signing';
export { startTestServer, type TestServer, type TestServerOptions } from './test-server';
export { postSigned, sendMention, type SendOptions, type WebhookResponse } from './webhook-client';
