// A small Dockerfile reader for the checks: instructions with line continuations joined and
// comments dropped, grouped into build stages.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@pulse/testkit';

export const root = repoRoot();

/** The deployable services, each with services/<name>/Dockerfile. */
export const SERVICES = ['aggregator', 'feeds-api', 'simulator'] as const;
export type Service = (typeof SERVICES)[number];

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY, ... */
  keyword: string;
  /** The rest of the instruction, continuations joined by a space. */
  args: string;
}

export interface Stage {
  /** The FROM image (build arguments not expanded). */
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARG instructions before the first FROM, with their defaults. */
  globalArgs: Map<string, string | undefined>;
  stages: Stage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logical.push(`${pending}${line}`.trim());
    pending = '';
  }
  const globalArgs = new Map<string, string | undefined>();
  const stages: Stage[] = [];
  for (const line of logical) {
    const match = /^(\w+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const keyword = match[1]!.toUpperCase();
    const args = match[2]!;
    if (keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      stages.push({ from: from?.[1] ?? args, name: from?.[2], instructions: [] });
    } else if (stages.length === 0 && keyword === 'ARG') {
      const [name, value] = args.split('=', 2);
      globalArgs.set(name!, value);
    } else {
      stages.at(-1)?.instructions.push({ keyword, args });
    }
  }
  return { globalArgs, stages };
}

export function dockerfilePath(service: Service): string {
  return join(root, 'services', service, 'Dockerfile');
}

export function readDockerfile(service: Service): Dockerfile {
  const path = dockerfilePath(service);
  if (!existsSync(path)) throw new Error(`${path} is missing`);
  return parseDockerfile(readFileSync(path, 'utf8'));
}

/** The arguments of every `keyword` instruction in `stage`. */
export function argsOf(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
}
