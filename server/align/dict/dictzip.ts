/**
 * Random access into a dictd data file: `.dict.dz` (dictzip: gzip whose FEXTRA field "RA" lists
 * the compressed size of every fixed-size chunk, each deflated on its own so it can be inflated
 * alone), plain `.dict`, or a `.dict.gz` without the RA field (inflated whole on first use).
 * Only the chunks a read touches are read and inflated; the last few are kept.
 */
import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { createRequire } from 'node:module';

/** zlib, loaded on the first inflate: zh–en calls never read a dictd file, and every call loads this module. */
let zlibModule: typeof import('node:zlib') | null = null;
const zlib = (): typeof import('node:zlib') => (zlibModule ??= createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib'));

export interface DictData {
  /** Bytes [offset, offset + length) of the uncompressed data, as UTF-8 text. */
  read(offset: number, length: number): string;
  close(): void;
}

/** A malformed file: a one-line message naming it. */
export class DictFormatError extends Error {
  override readonly name = 'DictFormatError';
}

const FTEXT_FLAGS = { FHCRC: 2, FEXTRA: 4, FNAME: 8, FCOMMENT: 16 } as const;

interface RaTable {
  chunkLength: number;
  /** File offset of each chunk's compressed data, and one past the last. */
  offsets: number[];
}

function readBytes(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.alloc(len);
  let got = 0;
  while (got < len) {
    const n = readSync(fd, buf, got, len - got, pos + got);
    if (n === 0) break;
    got += n;
  }
  return got === len ? buf : buf.subarray(0, got);
}

/** Parses the gzip header; returns the RA table, or null for a gzip file without one. */
function parseHeader(fd: number, path: string): RaTable | null {
  const head = readBytes(fd, 0, 12);
  if (head.length < 10 || head[0] !== 0x1f || head[1] !== 0x8b) throw new DictFormatError(`${path}: not a gzip file`);
  const flags = head[3] ?? 0;
  if (!(flags & FTEXT_FLAGS.FEXTRA)) return null;
  const xlen = head.readUInt16LE(10);
  const extra = readBytes(fd, 12, xlen);
  let pos = 12 + xlen;
  let table: { chunkLength: number; sizes: number[] } | null = null;
  for (let p = 0; p + 4 <= extra.length; ) {
    const si1 = extra[p];
    const si2 = extra[p + 1];
    const len = extra.readUInt16LE(p + 2);
    if (si1 === 0x52 && si2 === 0x41 && len >= 6) {
      const ver = extra.readUInt16LE(p + 4);
      if (ver !== 1) throw new DictFormatError(`${path}: dictzip version ${ver} is not supported`);
      const chunkLength = extra.readUInt16LE(p + 6);
      const count = extra.readUInt16LE(p + 8);
      const sizes: number[] = [];
      for (let i = 0; i < count; i++) sizes.push(extra.readUInt16LE(p + 10 + 2 * i));
      table = { chunkLength, sizes };
    }
    p += 4 + len;
  }
  if (!table) return null;
  // Skip the optional name, comment and header CRC to reach the first chunk.
  const skipZeroTerminated = (): void => {
    for (;;) {
      const b = readBytes(fd, pos, 256);
      if (b.length === 0) throw new DictFormatError(`${path}: truncated gzip header`);
      const z = b.indexOf(0);
      if (z >= 0) {
        pos += z + 1;
        return;
      }
      pos += b.length;
    }
  };
  if (flags & FTEXT_FLAGS.FNAME) skipZeroTerminated();
  if (flags & FTEXT_FLAGS.FCOMMENT) skipZeroTerminated();
  if (flags & FTEXT_FLAGS.FHCRC) pos += 2;
  const offsets = [pos];
  for (const s of table.sizes) offsets.push((offsets[offsets.length - 1] ?? 0) + s);
  return { chunkLength: table.chunkLength, offsets };
}

/** Opens a dictd data file for random access (see the module comment for the forms accepted). */
export function openDictData(path: string): DictData {
  const fd = openSync(path, 'r');
  try {
    const magic = readBytes(fd, 0, 2);
    if (magic[0] !== 0x1f || magic[1] !== 0x8b) {
      const size = fstatSync(fd).size;
      return {
        read: (offset, length) => readBytes(fd, offset, Math.max(0, Math.min(length, size - offset))).toString('utf8'),
        close: () => closeSync(fd),
      };
    }
    const ra = parseHeader(fd, path);
    if (!ra) {
      const all = zlib().gunzipSync(readBytes(fd, 0, fstatSync(fd).size));
      closeSync(fd);
      return { read: (offset, length) => all.subarray(offset, offset + length).toString('utf8'), close: () => undefined };
    }
    return chunked(fd, path, ra);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

function chunked(fd: number, path: string, ra: RaTable): DictData {
  const cache = new Map<number, Buffer>();
  const CACHE_CHUNKS = 32;
  const chunk = (i: number): Buffer => {
    let c = cache.get(i);
    if (c) {
      cache.delete(i);
      cache.set(i, c); // most recently used last
      return c;
    }
    const from = ra.offsets[i];
    const to = ra.offsets[i + 1];
    if (from === undefined || to === undefined) throw new DictFormatError(`${path}: chunk ${i} is past the end of the file`);
    try {
      c = zlib().inflateRawSync(readBytes(fd, from, to - from), { finishFlush: zlib().constants.Z_SYNC_FLUSH });
    } catch (e) {
      throw new DictFormatError(`${path}: chunk ${i} does not inflate (${(e as Error).message})`);
    }
    cache.set(i, c);
    if (cache.size > CACHE_CHUNKS) cache.delete(cache.keys().next().value as number);
    return c;
  };
  return {
    read(offset, length) {
      const parts: Buffer[] = [];
      const first = Math.floor(offset / ra.chunkLength);
      const last = Math.floor((offset + Math.max(0, length - 1)) / ra.chunkLength);
      for (let i = first; i <= last && i < ra.offsets.length - 1; i++) {
        const c = chunk(i);
        const s = i === first ? offset - i * ra.chunkLength : 0;
        const e = i === last ? offset + length - i * ra.chunkLength : c.length;
        parts.push(c.subarray(s, e));
      }
      return Buffer.concat(parts).toString('utf8');
    },
    close: () => closeSync(fd),
  };
}
