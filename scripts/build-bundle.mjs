// Bundles the compiled service (dist/src/index.js, from tsc) for `npm start`, into dist/bundle:
// - service.js, the service, and templating.js, the card templating engine, which the service
//   loads when it compiles the first template;
// - a V8 code cache of each (service.js.cache, templating.js.cache);
// - server.js, the entry file, which loads the two bundles with their code caches.
// Node then reads and compiles two files instead of resolving and reading thousands, V8 skips
// most of the parsing, and the rewrites below keep code that a text reply does not need from
// running at start-up. Run it after tsc: node scripts/build-bundle.mjs
import { build } from 'esbuild';
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST_SRC = join(ROOT, 'dist', 'src');
const OUT_DIR = join(ROOT, 'dist', 'bundle');

/**
 * Packages that stay in node_modules and load from there at run time:
 * - better-sqlite3 finds its native addon relative to its own files;
 * - dtrace-provider is an optional native addon that restify's logger loads inside a try block;
 * - botframework-connector, with @azure/identity, msal and axios, serves only the registered bot
 *   (MicrosoftAppId set), so the webhook path does not compile it.
 */
const EXTERNAL = ['better-sqlite3', 'dtrace-provider', 'botframework-connector'];

/** The templating engine, bundled on its own and loaded by the service on first use. */
const ENGINE = 'adaptivecards-templating';
const ENGINE_FILE = 'templating.js';

/**
 * Index files whose re-exports become getters that load each re-exported file on first access.
 * botbuilder-core's index loads all of its files, and some of them load botframework-connector,
 * which the webhook path never uses.
 */
const LAZY_INDEXES = [/[\\/]node_modules[\\/]botbuilder-core[\\/]lib[\\/]index\.js$/];

/**
 * Returns the export names of module `specifier` as seen from file `importer`, loading it. Throws
 * when the module exports a function, because an object of getters cannot stand in for one.
 */
function exportNames(importer, specifier) {
  const loaded = createRequire(importer)(specifier);
  if (typeof loaded !== 'object' || loaded === null) {
    throw new Error(`${importer}: ${specifier} does not export an object, so it cannot be lazy`);
  }
  return Object.keys(loaded).filter((name) => name !== '__esModule');
}

/** Source of `loader()`, which loads `specifier` on its first call and returns it after. */
function loaderSource(loader, specifier) {
  return (
    `var ${loader}_module; function ${loader}() { ` +
    `return ${loader}_module || (${loader}_module = require(${JSON.stringify(specifier)})); }`
  );
}

/** Source that defines `target[name]` as a getter of `loader()[exported]`. */
function getterSource(target, name, loader, exported = name) {
  return (
    `Object.defineProperty(${target}, ${JSON.stringify(name)}, { enumerable: true, ` +
    `get: function () { return ${loader}()[${JSON.stringify(exported)}]; } });`
  );
}

const EXPORT_STAR = /^__exportStar\(require\("([^"]+)"\), exports\);$/;
const NAMED_REQUIRE = /^var (\w+) = require\("([^"]+)"\);$/;
const NAMED_GETTER =
  /^Object\.defineProperty\(exports, "(\w+)", \{ enumerable: true, get: function \(\) \{ return (\w+)\.(\w+); \} \}\);$/;

/**
 * Rewrites a TypeScript-compiled index so that each re-exported file loads on first access of
 * one of its names. As with `__exportStar`, the first file that exports a name provides it.
 * Throws when the index loads a file in a way this rewrite does not know, or when the rewritten
 * index would export other names than the original. A new version of the package then fails the
 * build instead of being bundled wrongly.
 */
function lazyIndexSource(file, text) {
  const loaders = new Map();
  const variables = new Map();
  const getters = new Map();
  const loaderFor = (specifier) => {
    if (!loaders.has(specifier)) {
      loaders.set(specifier, `__lazy${loaders.size}`);
    }
    return loaders.get(specifier);
  };
  for (const line of text.split('\n')) {
    const star = EXPORT_STAR.exec(line);
    const named = NAMED_REQUIRE.exec(line);
    const getter = NAMED_GETTER.exec(line);
    if (star !== null) {
      const loader = loaderFor(star[1]);
      const names = exportNames(file, star[1]).filter((name) => name !== 'default');
      for (const name of names.filter((name) => !getters.has(name))) {
        getters.set(name, { loader, exported: name });
      }
    } else if (named !== null) {
      variables.set(named[1], loaderFor(named[2]));
    } else if (getter !== null && variables.has(getter[2])) {
      getters.set(getter[1], { loader: variables.get(getter[2]), exported: getter[3] });
    } else if (/require\(|defineProperty\(exports, "(?!__esModule")/.test(line)) {
      throw new Error(`${file}: cannot make this line lazy: ${line}`);
    }
  }
  const original = exportNames(file, '.')
    .filter((name) => name !== 'default')
    .sort();
  const rewritten = [...getters.keys()].sort();
  if (JSON.stringify(original) !== JSON.stringify(rewritten)) {
    throw new Error(`${file}: the lazy index would not export the same names as the original`);
  }
  return [
    '"use strict";',
    'Object.defineProperty(exports, "__esModule", { value: true });',
    ...[...loaders].map(([specifier, loader]) => loaderSource(loader, specifier)),
    ...[...getters].map(([name, { loader, exported }]) =>
      getterSource('exports', name, loader, exported),
    ),
  ].join('\n');
}

/**
 * Requires that load the required module when their file first uses it, instead of when their
 * file loads. restify's index loads all of its plugins, and its server loads spdy for HTTP/2,
 * which this service does not use. Our files load the templating engine, which only compiling a
 * card template needs. A rule that is not `optional` fails the build when a matching file lacks
 * the require, so that a new version of the package cannot slip through unchanged.
 */
const LAZY_REQUIRES = [
  { file: /[\\/]node_modules[\\/]restify[\\/]lib[\\/]index\.js$/, specifier: './plugins' },
  { file: /[\\/]node_modules[\\/]restify[\\/]lib[\\/]server\.js$/, specifier: 'spdy' },
  { file: /[\\/]dist[\\/]src[\\/].*\.js$/, specifier: ENGINE, optional: true },
];

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Rewrites each `var x = require("s");` of `specifier` in `text` into an object of getters that
 * load the module on first access, and each `module.exports.n = require("s")[.p];` into a getter
 * of `module.exports`. The export names come from loading the module here.
 */
function lazyRequireSource(file, text, specifier, loader) {
  const quoted = `["']${escapeRegExp(specifier)}["']`;
  const variable = new RegExp(`^(?:var|const|let) (\\w+) = require\\(${quoted}\\);$`, 'gm');
  const property = new RegExp(
    `^module\\.exports\\.(\\w+) = require\\(${quoted}\\)(?:\\.(\\w+))?;$`,
    'gm',
  );
  let found = false;
  const rewritten = text
    .replace(variable, (_line, name) => {
      found = true;
      const getters = exportNames(file, specifier).map((key) => getterSource(name, key, loader));
      return [`var ${name} = {};`, ...getters].join(' ');
    })
    .replace(property, (_line, name, key) => {
      found = true;
      return key === undefined
        ? `Object.defineProperty(module.exports, ${JSON.stringify(name)}, ` +
            `{ enumerable: true, get: ${loader} });`
        : getterSource('module.exports', name, loader, key);
    });
  if (!found) {
    throw new Error(`${file}: no require of ${specifier} that can be made lazy`);
  }
  return `${loaderSource(loader, specifier)}\n${rewritten}`;
}

const lazyLoading = {
  name: 'lazy-loading',
  setup(esbuild) {
    esbuild.onLoad({ filter: /\.js$/ }, (args) => {
      const original = readFileSync(args.path, 'utf8');
      const lazyIndex = LAZY_INDEXES.some((pattern) => pattern.test(args.path));
      let text = lazyIndex ? lazyIndexSource(args.path, original) : original;
      LAZY_REQUIRES.forEach(({ file, specifier, optional }, index) => {
        const required = text.includes(`require("${specifier}")`);
        if (file.test(args.path) && (required || optional !== true)) {
          text = lazyRequireSource(args.path, text, specifier, `__lazy_require${index}`);
        }
      });
      if (text === original) {
        return undefined;
      }
      return { contents: text, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/** Leaves the engine out of the service bundle: it loads from its own bundle, on first use. */
const separateEngine = {
  name: 'separate-engine',
  setup(esbuild) {
    esbuild.onResolve({ filter: new RegExp(`^${ENGINE}$`) }, () => ({
      path: `./${ENGINE_FILE}`,
      external: true,
    }));
  },
};

/**
 * The code of the entry file, dist/bundle/server.js, run as CommonJS with the entry's `require`
 * and `__dirname` (`folder`). It loads each bundle in its folder that has a `<file>.cache` with
 * that V8 code cache, so V8 compiles the bundle from the cache instead of parsing all of it.
 *
 * V8 (11.3, in Node.js 20) accepts a cache for any source of the same length, so each cache
 * starts with the SHA-1 of its source, and a cache of other source is ignored. A cache from
 * another V8 version or with other V8 flags is rejected by V8, which then compiles the source.
 * With --enable-source-maps the cache is not used, because Node.js maps stack traces only for
 * modules it compiles itself.
 */
function entryFile(require, folder, process) {
  const { createHash } = require('node:crypto');
  const { existsSync, readFileSync } = require('node:fs');
  const Module = require('node:module');
  const { dirname } = require('node:path');
  const { Script } = require('node:vm');

  if (process.sourceMapsEnabled) {
    require('./service.js');
    return;
  }
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileFromCache(content, filename) {
    const cacheFile = `${filename}.cache`;
    if (dirname(filename) !== folder || !existsSync(cacheFile)) {
      return compile.call(this, content, filename);
    }
    const cache = readFileSync(cacheFile);
    const sourceHash = createHash('sha1').update(readFileSync(filename)).digest();
    if (!sourceHash.equals(cache.subarray(0, sourceHash.length))) {
      return compile.call(this, content, filename);
    }
    const cachedData = cache.subarray(sourceHash.length);
    const script = new Script(Module.wrap(content), { filename, cachedData });
    const wrapper = script.runInThisContext();
    const moduleRequire = Module.createRequire(filename);
    return wrapper.call(this.exports, this.exports, moduleRequire, this, filename, folder);
  };
  require('./service.js');
}

/**
 * Writes `<file>.cache`: the SHA-1 of `file`, then the V8 code cache of `file` compiled as a
 * CommonJS module. With `warmUp`, the module runs and `warmUp` is called with its exports first,
 * so that the cache also contains the functions compiled on the way.
 */
function writeCodeCache(file, warmUp) {
  const source = readFileSync(file);
  const script = new Script(Module.wrap(source.toString('utf8')), { filename: file });
  if (warmUp !== undefined) {
    const module = { exports: {} };
    const wrapper = script.runInThisContext();
    wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
    warmUp(module.exports);
  }
  const hash = createHash('sha1').update(source).digest();
  writeFileSync(`${file}.cache`, Buffer.concat([hash, script.createCachedData()]));
}

/** Compiles the shipped card templates, so the engine's parser is in its code cache. */
function compileShippedTemplates(engine) {
  const cardsDir = join(ROOT, 'cards');
  for (const file of readdirSync(cardsDir).filter((name) => /(?<!\.data)\.json$/.test(name))) {
    new engine.Template(JSON.parse(readFileSync(join(cardsDir, file), 'utf8')));
  }
}

const shared = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Whitespace and syntax only: names stay as written, for stack traces and for code that
  // reads constructor names.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: true,
  logLevel: 'warning',
  // Code starts on line 2, so the CommonJS wrapper that the entry file adds on line 1 moves no
  // position in stack traces or source maps.
  banner: { js: '// Built by scripts/build-bundle.mjs from dist/src; do not edit.' },
};

rmSync(OUT_DIR, { recursive: true, force: true });
await Promise.all([
  build({
    ...shared,
    entryPoints: [join(DIST_SRC, 'index.js')],
    outfile: join(OUT_DIR, 'service.js'),
    external: EXTERNAL,
    plugins: [lazyLoading, separateEngine],
  }),
  build({
    ...shared,
    stdin: { contents: `module.exports = require('${ENGINE}');`, resolveDir: ROOT },
    outfile: join(OUT_DIR, ENGINE_FILE),
  }),
]);
writeCodeCache(join(OUT_DIR, 'service.js'));
writeCodeCache(join(OUT_DIR, ENGINE_FILE), compileShippedTemplates);
const entrySource = `'use strict';\n(${entryFile})(require, __dirname, process);\n`;
writeFileSync(join(OUT_DIR, 'server.js'), entrySource);
