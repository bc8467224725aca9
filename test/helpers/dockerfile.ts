/** A Dockerfile read as data, for the deployment tests (no Docker here to read it). */

export interface Instruction {
  keyword: string;
  args: string;
}

/** The Dockerfile's instructions (continuation lines joined, comments dropped), by stage. */
export function dockerfileStages(text: string): { from: string; name: string | undefined; instructions: Instruction[] }[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: { from: string; name: string | undefined; instructions: Instruction[] }[] = [];
  for (const line of lines) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') {
      const [, from = '', name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args) ?? [];
      stages.push({ from, name, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

/** The sources of a stage's `COPY` instructions from the build context (not `--from` another stage). */
export function contextCopies(instructions: Instruction[]): string[] {
  return instructions
    .filter(({ keyword, args }) => keyword === 'COPY' && !args.startsWith('--from'))
    .flatMap(({ args }) => args.split(/\s+/).slice(0, -1));
}
