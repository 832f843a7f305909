// `@pulse/testkit/infra` is what scripts outside vitest import (npm run demo, the CLI): it must
// load without vitest. A child node process imports it with a module hook that refuses any
// vitest import; the same hook refusing the package index proves the hook sees the graph.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../src/repo.js';

const REFUSE_VITEST = `export async function resolve(specifier, context, next) {
  if (/^(vitest|@vitest\\/)/.test(specifier)) throw new Error('vitest imported by ' + context.parentURL);
  return next(specifier, context);
}`;
const REGISTER = `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(REFUSE_VITEST)}));`;

function importWithoutVitest(specifier: string) {
  const script = `const m = await import('${specifier}'); console.log(Object.keys(m).sort().join(','));`;
  const args = ['--import', 'tsx', '--conditions=@pulse/source'];
  args.push('--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`);
  return spawnSync(process.execPath, [...args, '--input-type=module', '-e', script], {
    cwd: repoRoot(),
    encoding: 'utf8',
  });
}

describe('@pulse/testkit/infra', () => {
  it('@pulse/testkit/infra should load provisionInfra without importing vitest', () => {
    const child = importWithoutVitest('@pulse/testkit/infra');
    expect(child.stderr).toBe('');
    expect(child.stdout.trim().split(',')).toEqual([
      'FROM_SOURCE_ARGS',
      'benchInfraFromEnv',
      'createTopicWithDlq',
      'deleteTopicWithDlq',
      'provisionInfra',
      'redactUrl',
      'repoRoot',
      'startAggregator',
      'startFromSource',
      'startLocalKafka',
      'stopLocal',
      'stopProcess',
      'storedOffsets',
      'topicEndOffsets',
      'untilOk',
      'waitForStoredOffsets',
    ]);
    expect(child.status).toBe(0);
  });

  it('@pulse/testkit/infra check should catch the vitest import of the package index', () => {
    const child = importWithoutVitest('@pulse/testkit');
    expect(child.status).not.toBe(0);
    expect(child.stderr).toMatch(/vitest imported by .*testkit\/src\//);
  });
});
