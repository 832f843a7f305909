#!/usr/bin/env node
// Production install for one service of this npm-workspaces monorepo, run by the services'
// Dockerfiles (and by the rehearsal test here). Plain JavaScript with no dependencies, because it
// runs before anything is installed.
//
// Why: `npm ci --omit=dev` on a `turbo prune --docker` tree still installs ESLint, Vitest and
// testcontainers, since npm counts every workspace (@pulse/testkit, @pulse/eslint-config, ...)
// as a production dependency of the root. Only the workspaces a service needs at run time, and
// none of the devDependencies, should reach the image.
//
//   node prod-workspaces.mjs trim <service>
//     In a `turbo prune --docker` json/ tree (package.json files and package-lock.json): keep the
//     service and the workspaces its `dependencies` reach, drop every devDependency and the other
//     workspaces from the manifests and the lockfile. `npm ci --omit=dev` then installs only
//     what runs.
//   node prod-workspaces.mjs collect <service> <out-dir>
//     In a built tree: copy what each of those workspaces ships (its package.json `files`, e.g.
//     dist/ plus schemas/ or data/) to <out-dir>, at the same paths.
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const writeJson = (file, value) => writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

/** Workspace folders of the root manifest in `root`, globs like `packages/*` expanded. */
export function workspaceDirs(root) {
  const patterns = readJson(join(root, 'package.json')).workspaces ?? [];
  return patterns
    .flatMap((pattern) => {
      if (!pattern.endsWith('/*')) return [pattern];
      const parent = pattern.slice(0, -2);
      if (!existsSync(join(root, parent))) return [];
      return readdirSync(join(root, parent), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => `${parent}/${entry.name}`);
    })
    .filter((dir) => existsSync(join(root, dir, 'package.json')));
}

/**
 * The workspaces `service` needs at run time: itself and every workspace its `dependencies`
 * (and optional ones) reach, transitively. Returns a map of folder to manifest.
 */
export function runtimeWorkspaces(root, service) {
  const byName = new Map(
    workspaceDirs(root).map((dir) => [readJson(join(root, dir, 'package.json')).name, dir]),
  );
  if (!byName.has(service)) throw new Error(`no workspace named ${service} under ${root}`);
  const kept = new Map();
  const queue = [service];
  while (queue.length > 0) {
    const dir = byName.get(queue.shift());
    if (kept.has(dir)) continue;
    const manifest = readJson(join(root, dir, 'package.json'));
    kept.set(dir, manifest);
    const deps = { ...manifest.dependencies, ...manifest.optionalDependencies };
    queue.push(...Object.keys(deps).filter((name) => byName.has(name)));
  }
  return kept;
}

/** Rewrites a pruned json/ tree so `npm ci --omit=dev` installs only what `service` runs. */
export function trim(root, service) {
  const kept = runtimeWorkspaces(root, service);
  const dropped = workspaceDirs(root).filter((dir) => !kept.has(dir));
  const droppedNames = dropped.map((dir) => readJson(join(root, dir, 'package.json')).name);

  const rootManifest = readJson(join(root, 'package.json'));
  rootManifest.workspaces = [...kept.keys()].sort();
  delete rootManifest.devDependencies;
  writeJson(join(root, 'package.json'), rootManifest);
  for (const [dir, manifest] of kept) {
    delete manifest.devDependencies;
    writeJson(join(root, dir, 'package.json'), manifest);
  }
  for (const dir of dropped) rmSync(join(root, dir), { recursive: true, force: true });

  // npm ci checks the lockfile against the manifests, then installs only the packages still
  // reachable from them: removing the dropped workspaces' entries and every devDependency list
  // is enough; their now unreachable dependencies are left out of node_modules.
  const lockFile = join(root, 'package-lock.json');
  const lock = readJson(lockFile);
  const packages = lock.packages ?? {};
  if (packages['']) {
    packages[''].workspaces = rootManifest.workspaces;
    delete packages[''].devDependencies;
  }
  for (const key of Object.keys(packages)) {
    const isDropped =
      dropped.some((dir) => key === dir || key.startsWith(`${dir}/`)) ||
      droppedNames.some((name) => key === `node_modules/${name}`);
    if (isDropped) delete packages[key];
    else if (kept.has(key)) delete packages[key].devDependencies;
  }
  writeJson(lockFile, lock);
  return { kept: [...kept.keys()], dropped };
}

/** Copies what each run-time workspace of `service` ships (package.json `files`) to `outDir`. */
export function collect(root, service, outDir) {
  const copied = [];
  for (const [dir, manifest] of runtimeWorkspaces(root, service)) {
    if (!Array.isArray(manifest.files) || manifest.files.length === 0) {
      throw new Error(`${dir}/package.json: list what it ships in "files" (e.g. ["dist"])`);
    }
    for (const entry of manifest.files) {
      const from = join(root, dir, entry);
      if (!existsSync(from)) throw new Error(`${dir}/${entry} is missing: was it built?`);
      mkdirSync(join(outDir, dir), { recursive: true });
      cpSync(from, join(outDir, dir, entry), {
        recursive: true,
        filter: (path) => !path.endsWith('.tsbuildinfo'),
      });
      copied.push(`${dir}/${entry}`);
    }
  }
  return copied;
}

const USAGE = 'usage: prod-workspaces.mjs trim <service> | collect <service> <out-dir>';

function cli([command, service, outDir]) {
  const root = process.cwd();
  if (command === 'trim' && service) {
    const { kept, dropped } = trim(root, service);
    console.error(
      `[prod-workspaces] ${service}: keeping ${kept.join(' ')}; dropping ${dropped.join(' ') || 'none'}`,
    );
  } else if (command === 'collect' && service && outDir) {
    const copied = collect(root, service, outDir);
    console.error(`[prod-workspaces] ${service}: copied ${copied.join(' ')}`);
  } else {
    console.error(USAGE);
    process.exitCode = 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  cli(process.argv.slice(2));
}
