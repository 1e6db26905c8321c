/**
 * The iteration order of libstdc++'s std::unordered_set (GCC 12), which PyTorch 1.13's CPU
 * `torch.unique(..., sorted=False)` exposes: keys hashed with std::hash (identity for integers,
 * murmur-style _Hash_bytes for float/double, 0 for +-0.0), prime bucket counts from
 * _Prime_rehash_policy, each new node inserted at the front of its bucket (or of the list when the
 * bucket is empty), rehashes relinking the nodes in list order.
 */
import type { DType } from '../dtype.js';

/** std::__detail::__prime_list (64-bit), the entries below 2^53 */
const PRIMES = [
  2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 103, 109,
  113, 127, 137, 139, 149, 157, 167, 179, 193, 199, 211, 227, 241, 257, 277, 293, 313, 337, 359, 383, 409, 439,
  467, 503, 541, 577, 619, 661, 709, 761, 823, 887, 953, 1031, 1109, 1193, 1289, 1381, 1493, 1613, 1741, 1879,
  2029, 2179, 2357, 2549, 2753, 2971, 3209, 3469, 3739, 4027, 4349, 4703, 5087, 5503, 5953, 6427, 6949, 7517,
  8123, 8783, 9497, 10273, 11113, 12011, 12983, 14033, 15173, 16411, 17749, 19183, 20753, 22447, 24281, 26267,
  28411, 30727, 33223, 35933, 38873, 42043, 45481, 49201, 53201, 57557, 62233, 67307, 72817, 78779, 85229,
  92203, 99733, 107897, 116731, 126271, 136607, 147793, 159871, 172933, 187091, 202409, 218971, 236897, 256279,
  277261, 299951, 324503, 351061, 379787, 410857, 444487, 480881, 520241, 562841, 608903, 658753, 712697,
  771049, 834181, 902483, 976369, 1056323, 1142821, 1236397, 1337629, 1447153, 1565659, 1693859, 1832561,
  1982627, 2144977, 2320627, 2510653, 2716249, 2938679, 3179303, 3439651, 3721303, 4026031, 4355707, 4712381,
  5098259, 5515729, 5967347, 6456007, 6984629, 7556579, 8175383, 8844859, 9569143, 10352717, 11200489,
  12117689, 13109983, 14183539, 15345007, 16601593, 17961079, 19431899, 21023161, 22744717, 24607243, 26622317,
  28802401, 31160981, 33712729, 36473443, 39460231, 42691603, 46187573, 49969847, 54061849, 58488943, 63278561,
  68460391, 74066549, 80131819, 86693767, 93793069, 101473717, 109783337, 118773397, 128499677, 139022417,
  150406843, 162723577, 176048909, 190465427, 206062531, 222936881, 241193053, 260944219, 282312799, 305431229,
  330442829, 357502601, 386778277, 418451333, 452718089, 489790921, 529899637, 573292817, 620239453, 671030513,
  725980837, 785430967, 849749479, 919334987, 994618837, 1076067617, 1164186217, 1259520799, 1362662261,
  1474249943, 1594975441, 1725587117, 1866894511, 2019773507, 2185171673, 2364114217, 2557710269, 2767159799,
  2993761039, 3238918481, 3504151727, 3791104843, 4101556399, 4294967291, 6442450933, 8589934583, 12884901857,
  17179869143, 25769803693, 34359738337, 51539607367, 68719476731, 103079215087, 137438953447, 206158430123,
  274877906899, 412316860387, 549755813881, 824633720731, 1099511627689, 1649267441579, 2199023255531,
  3298534883309, 4398046511093, 6597069766607, 8796093022151, 13194139533241, 17592186044399, 26388279066581,
  35184372088777, 52776558133177, 70368744177643, 105553116266399, 140737488355213, 211106232532861,
  281474976710597, 562949953421231, 1125899906842597, 2251799813685119, 4503599627370449, 9007199254740881
];

const MASK64 = (1n << 64n) - 1n;
const MUL = (0xc6a4a793n << 32n) + 0x5bd1e995n;
const SEED = 0xc70f6907n;
const mul64 = (a: bigint, b: bigint): bigint => (a * b) & MASK64;
const shiftMix = (v: bigint): bigint => v ^ (v >> 47n);

/** std::_Hash_bytes on a little-endian byte string (len <= 8 here). */
function hashBytes(bytes: Uint8Array): bigint {
  const len = BigInt(bytes.length);
  let hash = SEED ^ mul64(len, MUL);
  const aligned = bytes.length & ~7;
  for (let p = 0; p < aligned; p += 8) {
    let v = 0n;
    for (let k = 7; k >= 0; k--) v = (v << 8n) | BigInt(bytes[p + k]!);
    const data = mul64(shiftMix(mul64(v, MUL)), MUL);
    hash ^= data;
    hash = mul64(hash, MUL);
  }
  if (bytes.length & 7) {
    let v = 0n;
    for (let k = bytes.length - 1; k >= aligned; k--) v = (v << 8n) | BigInt(bytes[k]!);
    hash ^= v;
    hash = mul64(hash, MUL);
  }
  hash = mul64(shiftMix(hash), MUL);
  return shiftMix(hash);
}

const f32 = new Float32Array(1), f64 = new Float64Array(1);
const b32 = new Uint8Array(f32.buffer), b64 = new Uint8Array(f64.buffer);

/** std::hash<T> of a value stored as `dtype`. */
export function stdHash(v: number, dtype: DType): bigint {
  if (dtype === 'float32' || dtype === 'float16') {
    if (v === 0) return 0n;
    f32[0] = v;
    return hashBytes(b32.slice());
  }
  if (dtype === 'float64') {
    if (v === 0) return 0n;
    f64[0] = v;
    return hashBytes(b64.slice());
  }
  return BigInt.asUintN(64, BigInt(v));
}

class RehashPolicy {
  nextResize = 0;
  nextBkt(n: number): number {
    const fast = [2, 2, 2, 3, 5, 5, 7, 7, 11, 11, 11, 11, 13, 13];
    if (n < fast.length) {
      if (n === 0) return 1;
      this.nextResize = Math.floor(fast[n]!);
      return fast[n]!;
    }
    let lo = 6, hi = PRIMES.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (PRIMES[mid]! < n) lo = mid + 1;
      else hi = mid;
    }
    this.nextResize = PRIMES[lo]!;
    return PRIMES[lo]!;
  }
  needRehash(nBkt: number, nElt: number, nIns: number): number | undefined {
    if (nElt + nIns > this.nextResize) {
      const minBkts = Math.max(nElt + nIns, this.nextResize ? 0 : 11);
      if (minBkts >= nBkt) return this.nextBkt(Math.max(Math.floor(minBkts) + 1, nBkt * 2));
      this.nextResize = Math.floor(nBkt);
    }
    return undefined;
  }
}

interface Node {
  key: number;
  code: bigint;
  next: Node | null;
}

/** The distinct values of `values` in std::unordered_set<T>(first, last) iteration order. */
export function unorderedSetOrder(values: ArrayLike<number>, dtype: DType): number[] {
  const policy = new RehashPolicy();
  let bucketCount = 1;
  // buckets hold the node *before* the bucket's first node; `head` stands for _M_before_begin
  const head: Node = { key: NaN, code: 0n, next: null };
  let buckets: (Node | null)[] = [null];
  let count = 0;
  const index = (code: bigint, n: number): number => Number(code % BigInt(n));
  const rehash = (n: number): void => {
    const nb: (Node | null)[] = new Array<Node | null>(n).fill(null);
    let p = head.next;
    head.next = null;
    let bbegin = 0;
    while (p) {
      const next = p.next;
      const b = index(p.code, n);
      if (!nb[b]) {
        p.next = head.next;
        head.next = p;
        nb[b] = head;
        if (p.next) nb[bbegin] = p;
        bbegin = b;
      } else {
        p.next = nb[b]!.next;
        nb[b]!.next = p;
      }
      p = next;
    }
    buckets = nb;
    bucketCount = n;
  };
  for (let i = 0; i < values.length; i++) {
    const key = values[i]!;
    const code = stdHash(key, dtype);
    let b = index(code, bucketCount);
    // lookup in bucket b
    let found = false;
    const before = buckets[b];
    if (before) {
      for (let p = before.next; p && index(p.code, bucketCount) === b; p = p.next) {
        if (p.code === code && p.key === key) {
          found = true;
          break;
        }
      }
    }
    if (found) continue;
    const grow = policy.needRehash(bucketCount, count, 1);
    if (grow !== undefined) {
      rehash(grow);
      b = index(code, bucketCount);
    }
    const node: Node = { key, code, next: null };
    const bb = buckets[b];
    if (bb) {
      node.next = bb.next;
      bb.next = node;
    } else {
      node.next = head.next;
      head.next = node;
      if (node.next) buckets[index(node.next.code, bucketCount)] = node;
      buckets[b] = head;
    }
    count++;
  }
  const out: number[] = [];
  for (let p = head.next; p; p = p.next) out.push(p.key);
  return out;
}
