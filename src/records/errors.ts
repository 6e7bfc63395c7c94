/**
 * A request the records domain rejects. The message is written for the person who sent the
 * command: it names the problem and shows the right form, so it can be sent as the reply.
 */
export class RecordsError extends Error {
  override name = 'RecordsError';
}

/** A malformed command, field name or value. */
export class InvalidInputError extends RecordsError {
  override name = 'InvalidInputError';
}

/** A record id that does not exist in the sender's tenant. */
export class RecordNotFoundError extends RecordsError {
  override name = 'RecordNotFoundError';
}

/** A change requested by someone who is not a records editor. */
export class NotAllowedError extends RecordsError {
  override name = 'NotAllowedError';
}

/** A change that the record's state does not allow, such as editing a removed record. */
export class ConflictError extends RecordsError {
  override name = 'ConflictError';
}
