// Static checks of services/*/Dockerfile: what Docker would build, read without Docker.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAggregatorConfig } from 'aggregator';
import { loadFeedsApiConfig } from 'feeds-api';
import { describe, expect, it } from 'vitest';
import { argsOf, readDockerfile, root, SERVICES, type Service, type Stage } from './dockerfile.js';

/** Services with an HTTP server, and the port their configuration defaults to. */
const HTTP_PORTS: Partial<Record<Service, number>> = {
  'feeds-api': loadFeedsApiConfig({}).port,
  aggregator: loadAggregatorConfig({}).port,
};

const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
  engines: { node: string };
};
/** The Node release the images pin and the tests run on (.ci/run installs it when missing). */
const nodeVersion = readFileSync(join(root, '.node-version'), 'utf8').trim();

function runtimeStage(service: Service): Stage {
  const stage = readDockerfile(service).stages.at(-1);
  if (!stage) throw new Error(`${service}/Dockerfile has no FROM`);
  return stage;
}

function stageNamed(service: Service, name: string): Stage {
  const stage = readDockerfile(service).stages.find((s) => s.name === name);
  if (!stage) throw new Error(`${service}/Dockerfile has no stage ${name}`);
  return stage;
}

function runs(stage: Stage): string {
  return argsOf(stage, 'RUN').join('\n');
}

describe.each(SERVICES)('services/%s/Dockerfile', (service) => {
  const dockerfile = readDockerfile(service);
  const runtime = runtimeStage(service);

  it('should build every stage on one pinned Node 24 image, the release in .node-version', () => {
    const image = dockerfile.globalArgs.get('NODE_IMAGE');
    expect(image).toMatch(/^node:24\.\d+\.\d+-(bookworm-slim|alpine3\.\d+)$/);
    expect(image?.split(':')[1]?.split('-')[0]).toBe(nodeVersion);
    const stageNames = new Set(dockerfile.stages.map((s) => s.name));
    for (const stage of dockerfile.stages) {
      expect(stage.from === '${NODE_IMAGE}' || stageNames.has(stage.from), stage.from).toBe(true);
    }
    expect(runtime.from).toBe('${NODE_IMAGE}');
  });

  it('should be multi-stage: prune, build, production deps, runtime', () => {
    expect(dockerfile.stages.map((s) => s.name)).toEqual([
      'base',
      'prune',
      'build',
      'deps',
      'runtime',
    ]);
  });

  it('should prune the monorepo for the service with the repository turbo version', () => {
    const prune = runs(stageNamed(service, 'prune'));
    expect(prune).toContain(`turbo@${rootManifest.devDependencies.turbo}`);
    expect(prune).toContain(`turbo prune ${service} --docker`);
    const build = runs(stageNamed(service, 'build'));
    expect(build).toMatch(/\bnpm ci\b/);
    expect(build).toContain(`turbo run build --filter=${service}`);
  });

  it('should install only production dependencies for the image', () => {
    const deps = runs(stageNamed(service, 'deps'));
    expect(deps).toContain(`prod-workspaces.mjs trim ${service}`);
    expect(deps).toMatch(/npm ci --omit=dev/);
    // node_modules come from the deps stage alone; from the build stage only what it collected.
    const copies = argsOf(runtime, 'COPY');
    expect(copies).toEqual(['--from=deps /app ./', '--from=build /shipped ./']);
    expect(runs(stageNamed(service, 'build'))).toContain(
      `prod-workspaces.mjs collect ${service} /shipped`,
    );
  });

  it('should copy only files that exist in the build context', () => {
    for (const stage of dockerfile.stages) {
      for (const copy of argsOf(stage, 'COPY').filter((args) => !args.startsWith('--from'))) {
        const [source] = copy.split(/\s+/);
        expect(existsSync(join(root, source!)), copy).toBe(true);
      }
    }
  });

  it('should run the built dist/main.js as the non-root node user in production mode', () => {
    expect(argsOf(runtime, 'USER').at(-1)).toBe('node');
    expect(argsOf(runtime, 'ENV').join(' ')).toMatch(/\bNODE_ENV=production\b/);
    const cmd = JSON.parse(argsOf(runtime, 'CMD').at(-1) ?? '[]') as string[];
    expect(cmd).toEqual(['node', `services/${service}/dist/main.js`]);
    // What tsc -p tsconfig.build.json turns into that file.
    const build = JSON.parse(
      readFileSync(join(root, 'services', service, 'tsconfig.build.json'), 'utf8'),
    ) as { compilerOptions: { rootDir: string; outDir: string } };
    expect(build.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
    expect(existsSync(join(root, 'services', service, 'src', 'main.ts'))).toBe(true);
  });

  it('should label the image', () => {
    expect(argsOf(runtime, 'LABEL').join(' ')).toContain(
      `org.opencontainers.image.title="ics-pulse-${service}"`,
    );
  });

  const port = HTTP_PORTS[service];
  if (port === undefined) {
    it('should expose no port and have no HTTP health check (the service has no server)', () => {
      expect(argsOf(runtime, 'EXPOSE')).toEqual([]);
      expect(argsOf(runtime, 'HEALTHCHECK')).toEqual([]);
    });
  } else {
    it(`should expose ${port} and check /healthz on it with Node (slim images have no curl)`, () => {
      expect(argsOf(runtime, 'EXPOSE')).toEqual([String(port)]);
      expect(argsOf(runtime, 'ENV').join(' ')).toMatch(new RegExp(`\\bPORT=${port}\\b`));
      const [check] = argsOf(runtime, 'HEALTHCHECK');
      expect(check).toMatch(/CMD \["node", "-e", ".*fetch\(.*\/healthz/);
      expect(check).toContain(String(port));
    });
  }
});

describe('the tested runtime', () => {
  it('engines should admit the pinned release and no other major version', () => {
    expect(nodeVersion).toMatch(/^24\.\d+\.\d+$/);
    expect(rootManifest.engines.node).toBe(`>=${nodeVersion} <25`);
  });

  it('the tests should run on the Node release the images ship', () => {
    // .ci/run puts exactly that release first on PATH; a developer may run another 24.x.
    if (process.env.CI) expect(process.versions.node).toBe(nodeVersion);
    else expect(process.versions.node.split('.')[0]).toBe(nodeVersion.split('.')[0]);
  });
});

describe('feeds-api runtime options', () => {
  const env = argsOf(runtimeStage('feeds-api'), 'ENV').join(' ');
  const options = /\bNODE_OPTIONS=(\S+)/.exec(env)?.[1];

  it('should be the ones its stream benchmark runs it with', () => {
    const bench = readFileSync(join(root, 'services/feeds-api/bench/stream.ts'), 'utf8');
    expect(options).toBeDefined();
    expect(/NODE_OPTIONS: '([^']*)'/.exec(bench)?.[1]).toBe(options);
  });

  it('should be accepted by Node in NODE_OPTIONS', () => {
    const out = execFileSync(process.execPath, ['-e', 'process.stdout.write("ok")'], {
      env: { ...process.env, NODE_OPTIONS: options },
      encoding: 'utf8',
    });
    expect(out).toBe('ok');
  });
});

describe('.dockerignore', () => {
  it('should keep host installs, builds and state out of the build context', () => {
    const lines = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['**/node_modules', '**/dist', '.git', '.pulse']) {
      expect(lines).toContain(entry);
    }
  });
});
