// Where the built dashboard is: feeds-api serves this folder at `/` (one origin for the page,
// the API and the push feed). Built by `npm run build -w @pulse/dashboard` (build.mjs).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The folder of the built page (index.html and its hashed assets). */
export const dashboardDir: string = fileURLToPath(new URL('../dist/public/', import.meta.url));

/** Whether the page has been built, so there is something to serve. */
export function dashboardBuilt(dir: string = dashboardDir): boolean {
  return existsSync(`${dir}/index.html`);
}
