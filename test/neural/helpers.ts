/** Shared set-up for the neural tests: the generated tiny-BERT fixture and scratch folders. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureFixtureModel, FIXTURE_DIR, FIXTURE_MODEL_ID, writeFixtureModel } from '../../scripts/make-fixture-model.js';

export { FIXTURE_DIR, FIXTURE_MODEL_ID };

/** The fixture model folder (generated on first use, ~15 ms). */
export function fixtureModel(): { modelDir: string; modelId: string } {
  ensureFixtureModel();
  return { modelDir: FIXTURE_DIR, modelId: FIXTURE_MODEL_ID };
}

/** A model folder holding the fixture without pooler_output (for the CLS fallback). */
export function noPoolerModel(root: string): { modelDir: string; modelId: string } {
  const modelId = 'fixture/tiny-bert-nopooler';
  writeFixtureModel(root, modelId, { pooler: false });
  return { modelDir: root, modelId };
}

export function scratchDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'neural-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function norm(v: Float32Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

export function maxAbsDiff(x: Float32Array, y: Float32Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}
