// A strict, iterative bencode reader (BEP 3) used to validate uploads before anything else
// looks at them. Why not the `bencode` package's decoder: it recurses (a 100k-deep `llll`
// overflows the stack), reads integers as JS numbers (2^63 silently loses precision), turns
// dict keys into strings (non-UTF-8 keys such as the 32-byte `piece layers` roots come back
// as hex, and a `__proto__` key vanishes into the prototype), and accepts non-canonical
// input (unsorted keys, `i-0e`, `03:abc`) whose re-encoding would change the info hash.
//
// The reader records each element on a "tape" of typed arrays (17 bytes per element, so a
// hostile file of millions of tiny elements stays small, where one JS object per element
// would take many times its size) and hands out small node views on demand. Every node keeps its byte span, so
// the stored file is re-assembled from the uploader's exact bytes.
import { INT64_MAX, INT64_MIN } from '../int64.js';
import { TorrentError } from './torrent-error.js';

export interface DecodeLimits { maxDepth: number; maxElements: number }

interface Span { start: number; end: number }
export interface BInt extends Span { kind: 'int'; value: bigint }
export interface BBytes extends Span { kind: 'bytes'; value: Buffer }
export interface BDictEntry { key: Buffer; value: BNode }
export interface BList extends Span { kind: 'list'; length: number; items(): Iterable<BNode> }
export interface BDict extends Span { kind: 'dict'; length: number; entries(): Iterable<BDictEntry>; get(key: string): BNode | undefined }
export type BNode = BInt | BBytes | BList | BDict;

const INT = 1;
const BYTES = 2;
const LIST = 3;
const DICT = 4;
const DIGIT_0 = 0x30;

function fail(reason: string, at: number): never {
  throw new TorrentError(`The torrent file is not valid bencode: ${reason} (at byte ${at}).`);
}

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= DIGIT_0 && byte <= 0x39;
}

/** Reads `[-]digits` up to `terminator`, canonical only (no leading zero, no -0); returns the terminator's index. */
function readDigits(data: Buffer, pos: number, terminator: number, allowSign: boolean): number {
  let i = pos;
  if (allowSign && data[i] === 0x2d) i++;
  const digitsStart = i;
  while (isDigit(data[i]) && i - digitsStart <= 20) i++;
  if (i === digitsStart) fail(i >= data.length ? 'data ends early' : 'expected a digit', i);
  if (i - digitsStart > 20) fail('number too long', digitsStart);
  if (i >= data.length) fail('data ends early', i);
  if (data[i] !== terminator) fail(`expected "${String.fromCharCode(terminator)}"`, i);
  if (data[digitsStart] === DIGIT_0 && i - digitsStart > 1) fail('number with a leading zero', digitsStart);
  if (i - pos === 2 && data[pos] === 0x2d && data[pos + 1] === DIGIT_0) fail('negative zero', pos);
  return i;
}

/** Growable columns: kind, start, end, next (index after the subtree) and aux (string content start / child count). */
class Tape {
  kinds: Uint8Array<ArrayBuffer> = new Uint8Array(256);
  starts: Uint32Array<ArrayBuffer> = new Uint32Array(256);
  ends: Uint32Array<ArrayBuffer> = new Uint32Array(256);
  nexts: Uint32Array<ArrayBuffer> = new Uint32Array(256);
  aux: Uint32Array<ArrayBuffer> = new Uint32Array(256);
  size = 0;

  readonly data: Buffer;

  constructor(data: Buffer) {
    this.data = data;
  }

  push(kind: number, start: number): number {
    if (this.size === this.kinds.length) this.grow();
    const index = this.size++;
    this.kinds[index] = kind;
    this.starts[index] = start;
    this.aux[index] = 0;
    return index;
  }

  private grow(): void {
    const grown = (old: Uint32Array): Uint32Array<ArrayBuffer> => { const next = new Uint32Array(old.length * 2); next.set(old); return next; };
    const kinds = new Uint8Array(this.kinds.length * 2);
    kinds.set(this.kinds);
    this.kinds = kinds;
    this.starts = grown(this.starts);
    this.ends = grown(this.ends);
    this.nexts = grown(this.nexts);
    this.aux = grown(this.aux);
  }

  /** The content of the string at `index` (a subarray, no copy). */
  bytes(index: number): Buffer {
    return this.data.subarray(this.aux[index], this.ends[index]);
  }

  node(index: number): BNode {
    const start = this.starts[index];
    const end = this.ends[index];
    switch (this.kinds[index]) {
      case INT: return { kind: 'int', start, end, value: BigInt(this.data.toString('latin1', start + 1, end - 1)) };
      case BYTES: return { kind: 'bytes', start, end, value: this.bytes(index) };
      case LIST: return { kind: 'list', start, end, length: this.aux[index], items: () => this.children(index) };
      default: return this.dictNode(index, start, end);
    }
  }

  private dictNode(index: number, start: number, end: number): BDict {
    return {
      kind: 'dict', start, end, length: this.aux[index] / 2,
      entries: () => this.pairs(index),
      get: (key) => this.lookup(index, Buffer.from(key, 'utf8')),
    };
  }

  private *children(index: number): Generator<BNode> {
    for (let i = index + 1; i < this.nexts[index]; i = this.nexts[i]) yield this.node(i);
  }

  private *pairs(index: number): Generator<BDictEntry> {
    for (let i = index + 1; i < this.nexts[index]; i = this.nexts[i + 1]) yield { key: this.bytes(i), value: this.node(i + 1) };
  }

  private lookup(index: number, key: Buffer): BNode | undefined {
    for (let i = index + 1; i < this.nexts[index]; i = this.nexts[i + 1]) {
      if (this.bytes(i).equals(key)) return this.node(i + 1);
    }
    return undefined;
  }
}

/** Decoder state: the open containers and, for dicts, the last key seen (-1 = none) and whether a value is due. */
class Reader {
  readonly tape: Tape;
  readonly open: number[] = [];
  readonly lastKey: number[] = [];
  readonly valueDue: boolean[] = [];
  pos = 0;

  readonly data: Buffer;
  readonly limits: DecodeLimits;

  constructor(data: Buffer, limits: DecodeLimits) {
    this.data = data;
    this.limits = limits;
    this.tape = new Tape(data);
  }

  /** Reads one token; returns true when the root value is complete. */
  step(): boolean {
    const { data, tape } = this;
    if (this.pos >= data.length) fail('data ends early', this.pos);
    const byte = data[this.pos];
    if (byte === 0x65) return this.close();
    if (tape.size >= this.limits.maxElements) fail(`more than ${this.limits.maxElements} elements`, this.pos);
    this.checkKeyPosition(byte);
    if (byte === 0x6c || byte === 0x64) return this.openContainer(byte === 0x6c ? LIST : DICT);
    const index = tape.push(byte === 0x69 ? INT : BYTES, this.pos);
    if (byte === 0x69) this.readInt(index);
    else if (isDigit(byte)) this.readBytes(index);
    else fail(`unexpected byte 0x${byte.toString(16).padStart(2, '0')}`, this.pos);
    tape.nexts[index] = index + 1;
    return this.finish(index);
  }

  private readInt(index: number): void {
    const end = readDigits(this.data, this.pos + 1, 0x65, true);
    const value = BigInt(this.data.toString('latin1', this.pos + 1, end));
    if (value > INT64_MAX || value < INT64_MIN) fail('integer does not fit in 64 bits', this.pos);
    this.pos = this.tape.ends[index] = end + 1;
  }

  private readBytes(index: number): void {
    const colon = readDigits(this.data, this.pos, 0x3a, false);
    const length = Number(this.data.toString('latin1', this.pos, colon));
    if (length > this.data.length - colon - 1) fail('string runs past the end of the data', this.pos);
    this.tape.aux[index] = colon + 1;
    this.pos = this.tape.ends[index] = colon + 1 + length;
  }

  private openContainer(kind: number): boolean {
    if (this.open.length >= this.limits.maxDepth) fail(`nested deeper than ${this.limits.maxDepth} levels`, this.pos);
    this.open.push(this.tape.push(kind, this.pos));
    this.lastKey.push(-1);
    this.valueDue.push(false);
    this.pos++;
    return false;
  }

  private close(): boolean {
    const index = this.open.pop();
    this.lastKey.pop();
    if (index === undefined) fail('unexpected "e"', this.pos);
    if (this.valueDue.pop()) fail('dictionary key without a value', this.pos);
    this.tape.ends[index] = ++this.pos;
    this.tape.nexts[index] = this.tape.size;
    return this.finish(index);
  }

  /** In a dict awaiting a key, the next element must be a string sorting after the previous key. */
  private checkKeyPosition(byte: number): void {
    const depth = this.open.length - 1;
    if (depth < 0 || this.tape.kinds[this.open[depth]] !== DICT || this.valueDue[depth]) return;
    if (!isDigit(byte)) fail('dictionary key is not a string', this.pos);
  }

  private checkKeyOrder(depth: number, key: number): void {
    const previous = this.lastKey[depth];
    if (previous >= 0) {
      const order = Buffer.compare(this.tape.bytes(previous), this.tape.bytes(key));
      if (order >= 0) fail(order === 0 ? 'duplicate dictionary key' : 'dictionary keys not sorted', this.tape.starts[key]);
    }
    this.lastKey[depth] = key;
  }

  /** Counts a completed element into its container; true when it was the root. */
  private finish(index: number): boolean {
    const depth = this.open.length - 1;
    if (depth < 0) return true;
    const parent = this.open[depth];
    this.tape.aux[parent]++;
    if (this.tape.kinds[parent] === DICT) {
      if (!this.valueDue[depth]) this.checkKeyOrder(depth, index);
      this.valueDue[depth] = !this.valueDue[depth];
    }
    return false;
  }
}

/** Decodes one complete bencoded value filling all of `data`, or throws a TorrentError. */
export function strictDecode(data: Buffer, limits: DecodeLimits): BNode {
  const reader = new Reader(data, limits);
  while (!reader.step());
  if (reader.pos !== data.length) fail('trailing data after the end', reader.pos);
  return reader.tape.node(0);
}

export function dictGet(dict: BDict, key: string): BNode | undefined {
  return dict.get(key);
}
