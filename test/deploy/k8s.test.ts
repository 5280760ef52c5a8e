import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { RUNNABLE } from '../../src/cli/commands/run.ts';
import { CONFIG_VARIABLES } from '../../src/config/config.ts';
import { assertTickflowCommand } from './cli-commands.ts';

const DIR = fileURLToPath(new URL('../../deploy/k8s/', import.meta.url));
const files = readdirSync(DIR).filter((file) => file.endsWith('.yaml'));

interface Container {
  image: string;
  args?: string[];
  env?: Array<{ name: string }>;
  livenessProbe?: { httpGet?: { path: string } };
  readinessProbe?: { httpGet?: { path: string } };
}
interface Manifest {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  resources?: string[];
  spec?: { template?: { spec: { containers: Container[] } } };
}

const manifests = files.flatMap((file) => parseAllDocuments(readFileSync(DIR + file, 'utf8')).map((document) => ({ file, manifest: document.toJS() as Manifest })));
const containers = manifests.flatMap(({ manifest }) => (manifest.spec?.template?.spec.containers ?? []).map((container) => ({ name: manifest.metadata.name, kind: manifest.kind, container })));
const known = new Set<string>(CONFIG_VARIABLES);

describe('Kubernetes manifests agree with the CLI', () => {
  it('run commands tickflow has, one workload per processor (the logger is for debugging, Kinesis for AWS)', () => {
    for (const { name, container } of containers) assertTickflowCommand(name, container.args ?? []);
    const processors = containers.filter(({ container }) => container.args?.[0] === 'run').map(({ container }) => container.args![1]);
    assert.deepEqual([...processors].sort(), RUNNABLE.filter((name) => name !== 'logger' && name !== 'kinesis').sort());
  });

  it('probe every processor: liveness on /healthz, readiness on /readyz', () => {
    for (const { name, container } of containers.filter(({ container }) => container.args?.[0] === 'run')) {
      assert.equal(container.livenessProbe?.httpGet?.path, '/healthz', name);
      assert.equal(container.readinessProbe?.httpGet?.path, '/readyz', name);
    }
  });

  it('configure only variables tickflow reads, secrets in a Secret', () => {
    for (const { manifest } of manifests.filter(({ manifest }) => manifest.kind === 'ConfigMap' || manifest.kind === 'Secret')) {
      for (const variable of Object.keys(manifest.data ?? manifest.stringData ?? {})) assert.ok(known.has(variable), `${manifest.metadata.name}: tickflow does not read ${variable}`);
    }
    for (const { name, container } of containers) {
      for (const { name: variable } of container.env ?? []) assert.ok(known.has(variable), `${name}: tickflow does not read ${variable}`);
    }
    const configMap = manifests.find(({ manifest }) => manifest.kind === 'ConfigMap')!.manifest;
    for (const secret of ['FINNHUB_API_KEY', 'ALPHAVANTAGE_API_KEY', 'DATABASE_URL']) assert.ok(!(secret in (configMap.data ?? {})), `${secret} belongs in the Secret`);
  });

  it('give the aggregator a stable instance id (its transactional id derives from it)', () => {
    const aggregator = containers.find(({ container }) => container.args?.join(' ') === 'run aggregator')!;
    assert.equal(aggregator.kind, 'StatefulSet');
    assert.ok(aggregator.container.env?.some((variable) => variable.name === 'TICKFLOW_INSTANCE_ID'));
  });

  it('list every manifest in the kustomization', () => {
    const kustomization = manifests.find(({ file }) => file === 'kustomization.yaml')!.manifest;
    assert.deepEqual([...(kustomization.resources ?? [])].sort(), files.filter((file) => file !== 'kustomization.yaml').sort());
  });
});
