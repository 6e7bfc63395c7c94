import type { Logger } from '../logger';
import { NotAllowedError } from './errors';
import { formatRecordId } from './record-id';
import type { ChangeOrigin } from './types';

/**
 * Permission check for changes. The AAD object ids in RECORDS_EDITOR_IDS, compared
 * lower-cased, may change records, or everyone when that list is empty. Everyone may read.
 */
export class EditorPolicy {
  private readonly editorIds: Set<string>;

  constructor(
    editorIds: string[],
    private readonly logger: Logger,
  ) {
    this.editorIds = new Set(editorIds.map((id) => id.toLowerCase()));
  }

  /** Tells whether everyone may change records because no editor is configured. */
  get everyoneMayChange(): boolean {
    return this.editorIds.size === 0;
  }

  /** Throws NotAllowedError, and logs the user id, unless the sender may change records. */
  requireEditor(origin: ChangeOrigin, action: string, recordNumber?: number): void {
    const userId = origin.actor.aadObjectId.toLowerCase();
    const context = {
      userId,
      tenantId: origin.tenantId,
      action,
      recordId: recordNumber === undefined ? undefined : formatRecordId(recordNumber),
    };
    if (userId === '') {
      this.logger.warn({ ...context, reason: 'no_aad_object_id' }, 'record change rejected');
      throw new NotAllowedError(
        'Your message carries no Azure AD object id, so a change could not be attributed to ' +
          'you. Changes must come from a signed-in Teams user.',
      );
    }
    if (!this.everyoneMayChange && !this.editorIds.has(userId)) {
      this.logger.warn({ ...context, reason: 'not_an_editor' }, 'record change rejected');
      throw new NotAllowedError(
        `Only records editors may change employee records, and your account (${userId}) is ` +
          "not one. Ask the bot's administrator to add it to RECORDS_EDITOR_IDS.",
      );
    }
  }
}
