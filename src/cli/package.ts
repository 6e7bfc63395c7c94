import { relative, resolve } from 'node:path';
import { loadBotFrameworkSettings } from '../config';
import { AppPackageError, buildAppPackage } from '../registered/app-package';

const USAGE = `Usage: npm run package

Fills appPackage/manifest.json with MicrosoftAppId (from the environment or .env) and writes
appPackage/build/appPackage.zip with manifest.json, color.png and outline.png at its root. Upload
that zip in Teams to install the registered bot.
`;

/** Builds the Teams app package in the working folder and returns the process exit code. */
async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.length > 0) {
    process.stderr.write(`Unknown argument: ${args[0]}\n\n${USAGE}`);
    return 2;
  }

  const cwd = process.cwd();
  const settings = loadBotFrameworkSettings(process.env, { cwd });
  if (settings === undefined) {
    process.stderr.write(
      'MicrosoftAppId is not set. Set it in .env or the environment to the application (client) ' +
        'id of the Azure Bot resource, then run npm run package again.\n',
    );
    return 1;
  }

  const outFile = resolve(cwd, 'appPackage/build/appPackage.zip');
  try {
    const result = await buildAppPackage({ dir: resolve(cwd, 'appPackage'), settings, outFile });
    process.stdout.write(
      `Wrote ${relative(cwd, outFile)} (${result.files.join(', ')}).\n` +
        'Upload it in Teams: Apps > Manage your apps > Upload an app.\n',
    );
    return 0;
  } catch (error) {
    if (error instanceof AppPackageError) {
      process.stderr.write(`Cannot build the app package: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
