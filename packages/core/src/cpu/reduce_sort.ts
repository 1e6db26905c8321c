/**
 * Selection and sorting algorithms, ported step for step from the ones PyTorch's CPU kernels
 * call, so that the order of equal values (and the indices returned for them) matches PyTorch:
 * libstdc++'s std::sort (introsort), std::nth_element (introselect) and std::partial_sort
 * (heap select) from bits/stl_algo.h and bits/stl_heap.h, and ATen's quick_select_template
 * (native/SortingUtils.h) used by kthvalue.
 *
 * All of them permute (value, index) pairs kept in two parallel arrays `v` and `ix`, comparing
 * values only with a strict "less" predicate.
 */

export type Less = (a: number, b: number) => boolean;
type Arr = { [i: number]: number; readonly length: number };

/** NaN sorts as the largest value (PyTorch's ascending order). */
export const ascNanLast: Less = (a, b) => (a === a && b !== b) || a < b;
/** NaN sorts first (PyTorch's descending order). */
export const descNanFirst: Less = (a, b) => (a !== a && b === b) || a > b;

const THRESHOLD = 16;

function lg(n: number): number {
  return 31 - Math.clz32(n);
}

function swap(v: Arr, ix: Arr, a: number, b: number): void {
  const tv = v[a]!;
  v[a] = v[b]!;
  v[b] = tv;
  const ti = ix[a]!;
  ix[a] = ix[b]!;
  ix[b] = ti;
}

function moveMedianToFirst(v: Arr, ix: Arr, result: number, a: number, b: number, c: number, less: Less): void {
  if (less(v[a]!, v[b]!)) {
    if (less(v[b]!, v[c]!)) swap(v, ix, result, b);
    else if (less(v[a]!, v[c]!)) swap(v, ix, result, c);
    else swap(v, ix, result, a);
  } else if (less(v[a]!, v[c]!)) swap(v, ix, result, a);
  else if (less(v[b]!, v[c]!)) swap(v, ix, result, c);
  else swap(v, ix, result, b);
}

function unguardedPartition(v: Arr, ix: Arr, first: number, last: number, pivot: number, less: Less): number {
  for (;;) {
    while (first < last && less(v[first]!, v[pivot]!)) first++;
    last--;
    while (last > pivot && less(v[pivot]!, v[last]!)) last--;
    if (!(first < last)) return first;
    swap(v, ix, first, last);
    first++;
  }
}

function unguardedPartitionPivot(v: Arr, ix: Arr, first: number, last: number, less: Less): number {
  const mid = first + Math.trunc((last - first) / 2);
  moveMedianToFirst(v, ix, first, first + 1, mid, last - 1, less);
  return unguardedPartition(v, ix, first + 1, last, first, less);
}

function pushHeap(v: Arr, ix: Arr, first: number, hole: number, top: number, val: number, vali: number, less: Less): void {
  let parent = Math.trunc((hole - 1) / 2);
  while (hole > top && less(v[first + parent]!, val)) {
    v[first + hole] = v[first + parent]!;
    ix[first + hole] = ix[first + parent]!;
    hole = parent;
    parent = Math.trunc((hole - 1) / 2);
  }
  v[first + hole] = val;
  ix[first + hole] = vali;
}

function adjustHeap(v: Arr, ix: Arr, first: number, hole: number, len: number, val: number, vali: number, less: Less): void {
  const top = hole;
  let second = hole;
  while (second < Math.trunc((len - 1) / 2)) {
    second = 2 * (second + 1);
    if (less(v[first + second]!, v[first + second - 1]!)) second--;
    v[first + hole] = v[first + second]!;
    ix[first + hole] = ix[first + second]!;
    hole = second;
  }
  if ((len & 1) === 0 && second === Math.trunc((len - 2) / 2)) {
    second = 2 * (second + 1);
    v[first + hole] = v[first + second - 1]!;
    ix[first + hole] = ix[first + second - 1]!;
    hole = second - 1;
  }
  pushHeap(v, ix, first, hole, top, val, vali, less);
}

function makeHeap(v: Arr, ix: Arr, first: number, last: number, less: Less): void {
  const len = last - first;
  if (len < 2) return;
  let parent = Math.trunc((len - 2) / 2);
  for (;;) {
    adjustHeap(v, ix, first, parent, len, v[first + parent]!, ix[first + parent]!, less);
    if (parent === 0) return;
    parent--;
  }
}

function popHeap(v: Arr, ix: Arr, first: number, last: number, result: number, less: Less): void {
  const val = v[result]!, vali = ix[result]!;
  v[result] = v[first]!;
  ix[result] = ix[first]!;
  adjustHeap(v, ix, first, 0, last - first, val, vali, less);
}

function heapSelect(v: Arr, ix: Arr, first: number, middle: number, last: number, less: Less): void {
  makeHeap(v, ix, first, middle, less);
  for (let i = middle; i < last; i++) if (less(v[i]!, v[first]!)) popHeap(v, ix, first, middle, i, less);
}

function sortHeap(v: Arr, ix: Arr, first: number, last: number, less: Less): void {
  while (last - first > 1) {
    last--;
    popHeap(v, ix, first, last, last, less);
  }
}

/** std::partial_sort: the smallest `middle - first` elements, sorted, at the front. */
export function partialSort(v: Arr, ix: Arr, first: number, middle: number, last: number, less: Less): void {
  heapSelect(v, ix, first, middle, last, less);
  sortHeap(v, ix, first, middle, less);
}

function unguardedLinearInsert(v: Arr, ix: Arr, last: number, lo: number, less: Less): void {
  const val = v[last]!, vali = ix[last]!;
  let next = last - 1;
  while (next >= lo && less(val, v[next]!)) {
    v[last] = v[next]!;
    ix[last] = ix[next]!;
    last = next;
    next--;
  }
  v[last] = val;
  ix[last] = vali;
}

function insertionSort(v: Arr, ix: Arr, first: number, last: number, less: Less): void {
  if (first === last) return;
  for (let i = first + 1; i < last; i++) {
    const val = v[i]!, vali = ix[i]!;
    if (less(val, v[first]!)) {
      for (let k = i; k > first; k--) {
        v[k] = v[k - 1]!;
        ix[k] = ix[k - 1]!;
      }
      v[first] = val;
      ix[first] = vali;
    } else unguardedLinearInsert(v, ix, i, first, less);
  }
}

function introsortLoop(v: Arr, ix: Arr, first: number, last: number, depth: number, less: Less): void {
  while (last - first > THRESHOLD) {
    if (depth === 0) {
      partialSort(v, ix, first, last, last, less);
      return;
    }
    depth--;
    const cut = unguardedPartitionPivot(v, ix, first, last, less);
    introsortLoop(v, ix, cut, last, depth, less);
    last = cut;
  }
}

/** std::sort (not stable). */
export function stdSort(v: Arr, ix: Arr, first: number, last: number, less: Less): void {
  if (first === last) return;
  introsortLoop(v, ix, first, last, lg(last - first) * 2, less);
  if (last - first > THRESHOLD) {
    insertionSort(v, ix, first, first + THRESHOLD, less);
    for (let i = first + THRESHOLD; i < last; i++) unguardedLinearInsert(v, ix, i, first, less);
  } else insertionSort(v, ix, first, last, less);
}

/** std::nth_element: the element that sorts at `nth` moves there, smaller ones before it. */
export function nthElement(v: Arr, ix: Arr, first: number, nth: number, last: number, less: Less): void {
  if (first === last || nth === last) return;
  let depth = lg(last - first) * 2;
  while (last - first > 3) {
    if (depth === 0) {
      heapSelect(v, ix, first, nth + 1, last, less);
      swap(v, ix, first, nth);
      return;
    }
    depth--;
    const cut = unguardedPartitionPivot(v, ix, first, last, less);
    if (cut <= nth) first = cut;
    else last = cut;
  }
  insertionSort(v, ix, first, last, less);
}

/** A stable sort of [first, last): equal values keep their order. */
export function stableSort(v: Arr, ix: Arr, first: number, last: number, less: Less): void {
  const n = last - first;
  if (n < 2) return;
  const order = new Array<number>(n);
  for (let k = 0; k < n; k++) order[k] = k;
  const vals = new Float64Array(n), ids = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    vals[k] = v[first + k]!;
    ids[k] = ix[first + k]!;
  }
  order.sort((a, b) => (less(vals[a]!, vals[b]!) ? -1 : less(vals[b]!, vals[a]!) ? 1 : a - b));
  for (let k = 0; k < n; k++) {
    v[first + k] = vals[order[k]!]!;
    ix[first + k] = ids[order[k]!]!;
  }
}

/**
 * ATen's quick_select_template: moves the k-th smallest (NaN largest) to position k of
 * [0, n), as torch.kthvalue does on the CPU.
 */
export function quickSelect(v: Arr, ix: Arr, n: number, k: number): void {
  const gt = (x: number, y: number): boolean => (x !== x && y === y) || x > y;
  let L = 0, R = n - 1;
  for (;;) {
    if (R <= L) return;
    if (R === L + 1) {
      if (gt(v[L]!, v[R]!)) swap(v, ix, L, R);
      return;
    }
    const P = L + Math.trunc((R - L) / 2);
    swap(v, ix, P, L + 1);
    if (gt(v[L + 1]!, v[R]!)) swap(v, ix, L + 1, R);
    if (gt(v[L]!, v[R]!)) swap(v, ix, L, R);
    if (gt(v[L + 1]!, v[L]!)) swap(v, ix, L + 1, L);
    let i = L + 1, j = R;
    const piv = v[L]!;
    for (;;) {
      do i++;
      while (i <= R && gt(piv, v[i]!));
      do j--;
      while (j >= L && gt(v[j]!, piv));
      if (j < i) break;
      swap(v, ix, i, j);
    }
    swap(v, ix, L, j);
    if (j <= k) L = i;
    if (j >= k) R = j - 1;
  }
}

/**
 * Calls `fn(v, ix, o, i)` for every lane of an [outer, R, inner] layout with fresh copies of the
 * lane's values in `v` and their positions 0..R-1 in `ix` (buffers are reused between lanes).
 */
export function forEachLaneCopy(
  L: { data: ArrayLike<number>; offset: number; outer: number; R: number; inner: number },
  fn: (v: Float64Array, ix: Float64Array, o: number, i: number) => void,
): void {
  const { data, offset, outer, R, inner } = L;
  const v = new Float64Array(R), ix = new Float64Array(R);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      for (let r = 0, p = offset + o * R * inner + i; r < R; r++, p += inner) {
        v[r] = data[p]!;
        ix[r] = r;
      }
      fn(v, ix, o, i);
    }
  }
}
