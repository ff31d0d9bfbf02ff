/**
 * Commands of the planner CLI that live in their own files (src/cli/cmd-<name>.ts). Each takes the arguments after
 * its name, writes its own stdout/stderr and resolves to the exit code (0 ok, 1 data or input error, 2 usage).
 * Add a command with one line here and one usage block in its file (`usage`), listed by `planner` without a command.
 */
export interface CliCommand {
  /** Usage lines (zh / en) shown with the main usage. */
  usage: string;
  run(argv: string[]): Promise<number>;
}

export const COMMANDS: Readonly<Record<string, () => Promise<CliCommand>>> = {
  'fetch-osm': () => import('./cmd-fetch-osm'),
  'report': () => import('./cmd-report'),
  'hydrants': () => import('./cmd-hydrants'),
  'optimize': () => import('./cmd-optimize'),
  'serve': () => import('./cmd-serve'),
};
