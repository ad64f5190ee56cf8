import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import * as ingest from './commands/ingest.js';
import * as lake from './commands/lake.js';
import * as preview from './commands/preview.js';
import * as replay from '../replay/replay-command.js';
import * as synth from './commands/synth.js';
import * as train from './commands/train.js';
import * as downstream from '../evaluate/downstream/downstream-command.js';
import * as evaluate from '../evaluate/evaluate-command.js';

/** The `sonospeech` command line: one subcommand per stage. Exit 2 on usage errors, 1 on failures. */
export async function main(argv: string[] = hideBin(process.argv)): Promise<void> {
  await yargs(argv)
    .scriptName('sonospeech')
    .usage('$0 <command> [options]')
    .command(synth)
    .command(preview)
    .command(ingest)
    .command(lake)
    .command(replay)
    .command(train)
    .command(downstream)
    .command(evaluate)
    .demandCommand(1, 'Name a command: sonospeech <command> --help')
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((message, error) => {
      if (error) {
        process.stderr.write(`sonospeech: ${error.message}\n`);
        process.exit(1);
      }
      process.stderr.write(`sonospeech: ${message}\nRun 'sonospeech --help' for usage.\n`);
      process.exit(2);
    })
    .parseAsync();
}
