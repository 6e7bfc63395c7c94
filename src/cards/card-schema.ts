import type {
  CardElement,
  CardObject,
  SerializableObject,
  TypeErrorType,
  ValidationEvent,
  ValidationPhase,
} from 'adaptivecards';
import { AdaptiveCards } from './adaptive-cards-library';
import type { JsonObject } from './json-path';

/** One schema problem reported by the adaptivecards library's parser or validation. */
export interface SchemaIssue {
  /** The JSON object of the card the problem belongs to, or the card itself if not known. */
  node: object;
  /** The library's name of the event, such as `InvalidPropertyValue` or `UnknownElementType`. */
  event: string;
  message: string;
}

/**
 * Events that the version check reports already, with the configured maximum in the message,
 * rather than the library's own maximum.
 */
const VERSION_EVENTS = new Set(['UnsupportedCardVersion']);

const UNKNOWN_TYPE_EVENTS = new Set(['UnknownElementType', 'UnknownActionType']);

/**
 * A SerializationContext that remembers which JSON object the parser was reading when it logged
 * each event, and which JSON object each card object came from, so every problem can be located.
 */
class LocatingContext extends AdaptiveCards.SerializationContext {
  /** JSON objects being parsed, innermost last. */
  private readonly parsing: object[] = [];
  readonly sources = new Map<CardObject, object>();
  readonly issues: SchemaIssue[] = [];

  constructor(
    private readonly card: JsonObject,
    targetVersion: InstanceType<typeof AdaptiveCards.Version>,
  ) {
    super(targetVersion);
  }

  override parseCardObject<T extends CardObject>(
    parent: CardElement | undefined,
    source: unknown,
    forbiddenTypeNames: string[],
    allowFallback: boolean,
    createInstanceCallback: (typeName: string) => T | undefined,
    logParseEvent: (typeName: string, errorType: TypeErrorType) => void,
  ): T | undefined {
    const isObject = typeof source === 'object' && source !== null;
    if (isObject) {
      this.parsing.push(source);
    }
    try {
      const parsed = super.parseCardObject(
        parent,
        source,
        forbiddenTypeNames,
        allowFallback,
        createInstanceCallback,
        logParseEvent,
      );
      if (parsed !== undefined && isObject) {
        this.sources.set(parsed, source);
      }
      return parsed;
    } finally {
      if (isObject) {
        this.parsing.pop();
      }
    }
  }

  override logEvent(
    source: SerializableObject | undefined,
    phase: ValidationPhase,
    event: ValidationEvent,
    message: string,
  ): void {
    super.logEvent(source, phase, event, message);
    const node = this.parsing[this.parsing.length - 1] ?? this.card;
    const name = AdaptiveCards.ValidationEvent[event];
    // An unknown type with a fallback is how a card serves hosts of older versions.
    if (UNKNOWN_TYPE_EVENTS.has(name) && 'fallback' in node) {
      return;
    }
    this.issues.push({ node, event: name, message });
  }

  /** Returns the JSON object of `cardObject` or of its nearest ancestor that has one. */
  locate(cardObject: CardObject | undefined): object {
    for (let current = cardObject; current !== undefined; current = current.parent) {
      const source = this.sources.get(current);
      if (source !== undefined) {
        return source;
      }
    }
    return this.card;
  }
}

/**
 * Parses `card` with the adaptivecards library for schema version `targetVersion` (such as
 * "1.4") and runs the library's validation. Returns every problem either step reports, except
 * the library's version limit, which differs from the configured one.
 *
 * NOTE: adaptivecards 3.0 does not check every required property: an Image without `url` or a
 * TextBlock without `text` passes.
 */
export function validateCardSchema(card: JsonObject, targetVersion: string): SchemaIssue[] {
  const [major, minor] = targetVersion.split('.').map(Number);
  const context = new LocatingContext(card, new AdaptiveCards.Version(major, minor));
  const parsed = new AdaptiveCards.AdaptiveCard();
  context.sources.set(parsed, card);
  parsed.parse(card, context);

  const issues = [...context.issues];
  for (const failure of parsed.validateProperties().validationEvents) {
    issues.push({
      node: context.locate(failure.source as CardObject | undefined),
      event: AdaptiveCards.ValidationEvent[failure.event],
      message: failure.message,
    });
  }
  return issues.filter((issue) => !VERSION_EVENTS.has(issue.event));
}
