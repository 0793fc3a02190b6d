/**
 * Writes a small dictd dictionary (index + data) for tests: dictzip (gzip with the RA chunk table,
 * chunks deflated independently), plain .dict, or a .dict.gz without the RA field. Made here from
 * the entries given, so tests never need Debian's FreeDict packages.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync, gzipSync, constants as zc } from 'node:zlib';
import { encodeDictNumber } from '../../server/align/dict/dictd.js';

export type DataForm = 'dictzip' | 'plain' | 'gzip';

/** Entries as dictd stores them: a headword line, then the body (FreeDict style). */
export function writeDictd(
  dir: string,
  name: string,
  entries: ReadonlyArray<{ headword: string; text: string }>,
  form: DataForm = 'dictzip',
  chunkLength = 64,
  sortIndex = true,
): void {
  mkdirSync(dir, { recursive: true });
  const parts: Buffer[] = [];
  const index: string[] = [];
  let offset = 0;
  const info = Buffer.from('00-database-info\nA test dictionary.\n', 'utf8');
  parts.push(info);
  index.push(`00databaseinfo\t${encodeDictNumber(0)}\t${encodeDictNumber(info.length)}`);
  offset += info.length;
  for (const e of entries) {
    const body = Buffer.from(e.text.endsWith('\n') ? e.text : `${e.text}\n`, 'utf8');
    parts.push(body);
    index.push(`${e.headword.toLowerCase()}\t${encodeDictNumber(offset)}\t${encodeDictNumber(body.length)}`);
    offset += body.length;
  }
  const data = Buffer.concat(parts);
  if (sortIndex) index.sort();
  else index.reverse();
  writeFileSync(join(dir, `${name}.index`), `${index.join('\n')}\n`);
  if (form === 'plain') writeFileSync(join(dir, `${name}.dict`), data);
  else if (form === 'gzip') writeFileSync(join(dir, `${name}.dict.gz`), gzipSync(data));
  else writeFileSync(join(dir, `${name}.dict.dz`), dictzip(data, chunkLength));
}

/** dictzip: a gzip member whose FEXTRA "RA" field lists each chunk's compressed size. */
export function dictzip(data: Buffer, chunkLength: number): Buffer {
  const chunks: Buffer[] = [];
  for (let at = 0; at < data.length; at += chunkLength) {
    const last = at + chunkLength >= data.length;
    chunks.push(deflateRawSync(data.subarray(at, at + chunkLength), { finishFlush: last ? zc.Z_FINISH : zc.Z_FULL_FLUSH }));
  }
  const ra = Buffer.alloc(4 + 6 + 2 * chunks.length);
  ra.write('RA', 0, 'latin1');
  ra.writeUInt16LE(6 + 2 * chunks.length, 2);
  ra.writeUInt16LE(1, 4);
  ra.writeUInt16LE(chunkLength, 6);
  ra.writeUInt16LE(chunks.length, 8);
  chunks.forEach((c, i) => {
    ra.writeUInt16LE(c.length, 10 + 2 * i);
  });
  const name = Buffer.from('test.dict\0', 'latin1');
  const head = Buffer.alloc(12);
  head.set([0x1f, 0x8b, 8, 4 | 8, 0, 0, 0, 0, 2, 3]);
  head.writeUInt16LE(ra.length, 10);
  const tail = Buffer.alloc(8);
  tail.writeUInt32LE(crc32(data) >>> 0, 0);
  tail.writeUInt32LE(data.length >>> 0, 4);
  return Buffer.concat([head, ra, name, ...chunks, tail]);
}

/** A German–French pair of dictionaries in the FreeDict (WikDict) layout. */
export function writeDeFr(dir: string, form: DataForm = 'dictzip', sortIndex = true): void {
  writeDictd(
    dir,
    'freedict-deu-fra',
    [
      { headword: 'Berg', text: 'Berg /bɛʁk/ <n, masc>\n1. montagne, mont\ngroße, steile Erhebung\n2. mine\nUntertagebereich' },
      { headword: 'Wand', text: 'Wand /vant/ <n, fem>\n1. paroi, mur\nsenkrechte Fläche\n2. paroi 2.\nsteile Fläche\n 3.\nBarriere' },
      { headword: 'Gipfel', text: 'Gipfel /ˈɡɪp͡fl̩/ <n, masc>\nsommet, cime\nhöchste Stelle eines Berges' },
      { headword: 'Hütte', text: 'Hütte /ˈhʏtə/ <n, fem>\ncabane, refuge\n"kleines Gebäude"' },
      { headword: 'steigen', text: 'steigen <v>\nmonter, grimper' },
    ],
    form,
    64,
    sortIndex,
  );
  writeDictd(
    dir,
    'freedict-fra-deu',
    [
      { headword: 'montagne', text: 'montagne /mɔ̃.taɲ/ <n, fem>\nBerg, Gebirge' },
      { headword: 'cordée', text: 'cordée <n, fem>\nSeilschaft' },
    ],
    form,
    64,
    sortIndex,
  );
}
