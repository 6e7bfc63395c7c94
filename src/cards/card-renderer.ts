import { existsSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import type { Template } from 'adaptivecards-templating';
import type { Attachment } from 'botframework-schema';
import pino from 'pino';
import type { Logger } from '../logger';
import {
  CardTemplateError,
  listTemplateNames,
  parseJsonText,
  parseTemplateText,
  readTextFile,
  sampleDataFile,
  templateFile,
} from './card-folder';

export {
  CardTemplateError,
  listTemplateNames,
  readJsonFile,
  SAMPLE_DATA_SUFFIX,
  TEMPLATE_SUFFIX,
} from './card-folder';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** Quiet time after the last change in the folder before it is re-read, in milliseconds. */
export const DEFAULT_WATCH_DEBOUNCE_MS = 150;

export interface CardRendererOptions {
  /** Logger for reloads and errors. Without one, nothing is logged. */
  logger?: Logger;
  /** Re-read the folder when a file in it changes, so edits apply without a restart. */
  watch?: boolean;
  /** Quiet time after the last change event before re-reading, in milliseconds. */
  debounceMs?: number;
  /**
   * Check only the JSON of each template in the constructor, and compile its binding expressions
   * when `compile` runs or the template is first rendered. A service uses this to load the
   * templating engine after it starts listening. Off by default.
   */
  deferCompile?: boolean;
}

/**
 * Loads the templating engine if it is not loaded yet. Compiling the first template loads it
 * anyway. A caller that compiles templates one at a time, between requests, calls this first,
 * so that loading the engine, which takes longer than compiling a template, is a step of its own.
 */
export function loadTemplatingEngine(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('adaptivecards-templating');
}

/**
 * Renders the Adaptive Card templates of one folder by name. Each `<name>.json` is parsed into an
 * adaptivecards-templating Template once (in the constructor, or later with `deferCompile`), and
 * its `<name>.data.json` sample data is checked to parse. With `watch`, changed files are parsed
 * again. A file that no longer parses is logged, and the last version that parsed keeps serving.
 */
export class CardRenderer {
  private readonly templates = new Map<string, Template>();
  /** Templates whose JSON is checked but whose expressions are not compiled yet, by name. */
  private readonly uncompiledFiles = new Map<string, { file: string; text: string }>();
  /** Text of every template and sample data file as last read, to skip unchanged files. */
  private readonly fileTexts = new Map<string, string>();
  /** Last error logged per file, so a broken file is logged once per distinct error. */
  private readonly loggedErrors = new Map<string, string>();
  private readonly logger: Logger;
  private watcher?: FSWatcher;
  private reloadTimer?: NodeJS.Timeout;

  /**
   * Loads every template in `dir`. Throws CardTemplateError naming the first broken file; with
   * `deferCompile`, only for files that are not JSON.
   */
  constructor(
    readonly dir: string,
    options: CardRendererOptions = {},
  ) {
    this.logger = options.logger ?? pino({ enabled: false });
    for (const name of listTemplateNames(dir)) {
      const file = templateFile(dir, name);
      if (options.deferCompile === true) {
        const text = readTextFile(file);
        parseJsonText(file, text);
        this.fileTexts.set(file, text);
        this.uncompiledFiles.set(name, { file, text });
      } else {
        this.templates.set(name, this.readFile(file, parseTemplateText));
      }
      this.readSampleData(name);
    }
    if (options.watch === true) {
      this.startWatching(options.debounceMs ?? DEFAULT_WATCH_DEBOUNCE_MS);
    }
  }

  /** Names of the loaded templates, sorted. */
  get names(): string[] {
    return [...this.templates.keys(), ...this.uncompiledFiles.keys()].sort();
  }

  /** Names of the templates whose binding expressions are not compiled yet, sorted. */
  get uncompiled(): string[] {
    return [...this.uncompiledFiles.keys()].sort();
  }

  /**
   * Compiles the binding expressions of template `name` if that has not happened yet. Throws
   * CardTemplateError naming the file when the template is not a JSON object or an expression
   * does not parse.
   */
  compile(name: string): void {
    const uncompiled = this.uncompiledFiles.get(name);
    if (uncompiled === undefined) {
      return;
    }
    this.templates.set(name, parseTemplateText(uncompiled.file, uncompiled.text));
    this.uncompiledFiles.delete(name);
  }

  /** Expands template `name` with `data` into a card object. Throws for an unknown name. */
  renderCard(name: string, data: object): Record<string, unknown> {
    this.compile(name);
    const template = this.templates.get(name);
    if (template === undefined) {
      throw new CardTemplateError(
        `No card template named "${name}" in ${this.dir}. Known templates: ${this.names.join(', ')}.`,
      );
    }
    return template.expand({ $root: data }) as Record<string, unknown>;
  }

  /** Expands template `name` with `data` into an Adaptive Card attachment. */
  render(name: string, data: object): Attachment {
    return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: this.renderCard(name, data) };
  }

  /**
   * Reads the folder again: new and changed templates are parsed, removed ones are dropped, and
   * a file that fails to parse is logged while its last good version stays in use.
   */
  reload(): void {
    let names: string[];
    try {
      names = listTemplateNames(this.dir);
    } catch (error) {
      this.logger.error(
        { err: error, dir: this.dir },
        'card folder unreadable, loaded templates kept',
      );
      return;
    }
    for (const name of this.names.filter((known) => !names.includes(known))) {
      this.templates.delete(name);
      this.uncompiledFiles.delete(name);
      for (const file of [templateFile(this.dir, name), sampleDataFile(this.dir, name)]) {
        this.fileTexts.delete(file);
        this.loggedErrors.delete(file);
      }
      this.logger.info({ card: name }, 'card template removed');
    }
    for (const name of names) {
      this.reloadTemplate(name);
      this.reloadSampleData(name);
    }
  }

  /** Stops watching the folder. The loaded templates stay usable. */
  close(): void {
    clearTimeout(this.reloadTimer);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private startWatching(debounceMs: number): void {
    this.watcher = watch(this.dir, () => {
      clearTimeout(this.reloadTimer);
      this.reloadTimer = setTimeout(() => this.reload(), debounceMs);
      this.reloadTimer.unref();
    });
    // Watching alone must not keep the process alive, so shutdown needs no extra step.
    this.watcher.unref();
    this.watcher.on('error', (error) => {
      this.logger.error(
        { err: error, dir: this.dir },
        'card folder watch failed, changes no longer reloaded',
      );
      this.close();
    });
    this.logger.info({ dir: this.dir }, 'watching card templates');
  }

  private reloadTemplate(name: string): void {
    const file = templateFile(this.dir, name);
    const known = this.templates.has(name) || this.uncompiledFiles.has(name);
    const problem = known
      ? 'card template invalid, last good version kept'
      : 'card template invalid, not loaded';
    const template = this.readChangedFile(file, parseTemplateText, problem);
    if (template !== undefined) {
      this.templates.set(name, template);
      this.uncompiledFiles.delete(name);
      this.logger.info(
        { card: name, file },
        known ? 'card template reloaded' : 'card template added',
      );
    }
  }

  private reloadSampleData(name: string): void {
    this.readChangedFile(sampleDataFile(this.dir, name), parseJsonText, 'card sample data invalid');
  }

  /** Parses the sample data of `name` if the file exists, because it is optional at run time. */
  private readSampleData(name: string): void {
    const file = sampleDataFile(this.dir, name);
    if (existsSync(file)) {
      this.readFile(file, parseJsonText);
    }
  }

  /** Reads and parses `file`, remembering its text. Throws CardTemplateError. */
  private readFile<T>(file: string, parse: (file: string, text: string) => T): T {
    const text = readTextFile(file);
    const parsed = parse(file, text);
    this.fileTexts.set(file, text);
    return parsed;
  }

  /**
   * Reads and parses `file` when its text changed since the last read. Returns undefined when it
   * is unchanged, missing or broken. A broken file is logged with `problem`, once per distinct
   * error, so re-reading the folder for another file's change does not repeat the line.
   */
  private readChangedFile<T>(
    file: string,
    parse: (file: string, text: string) => T,
    problem: string,
  ): T | undefined {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.fileTexts.delete(file);
      } else {
        this.logFileError(file, error as Error, problem);
      }
      return undefined;
    }
    if (this.fileTexts.get(file) === text) {
      return undefined;
    }
    this.fileTexts.set(file, text);
    try {
      const parsed = parse(file, text);
      this.loggedErrors.delete(file);
      return parsed;
    } catch (error) {
      this.logFileError(file, error as Error, problem);
      return undefined;
    }
  }

  private logFileError(file: string, error: Error, problem: string): void {
    if (this.loggedErrors.get(file) === error.message) {
      return;
    }
    this.loggedErrors.set(file, error.message);
    this.logger.error({ err: error, file }, problem);
  }
}
