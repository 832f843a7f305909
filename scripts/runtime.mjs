// The shipped runtime: `npm test`, `npm run demo` and `npm run test:soak` refuse to run on another
// Node major than the images ship (.node-version), so what is tested is what runs in production.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** Exits with a one-line message unless this process runs the Node major of .node-version. */
export function requireShippedNode(command) {
  const pinned = readFileSync(join(root, '.node-version'), 'utf8').trim();
  const [major] = pinned.split('.');
  if (process.versions.node.split('.')[0] === major) return;
  process.stderr.write(
    `${command} runs on Node ${major} LTS (the images ship ${pinned}); this is ${process.version}. ` +
      `Install Node ${pinned}, or run \`bash .ci/run\`, which installs it from the npm registry.\n`,
  );
  process.exit(1);
}
