// A binary min-heap ordered by (at, seq): seq is the insertion counter, so equal instants come
// out in insertion order (stable, deterministic).

export interface Timed {
  readonly at: number;
  readonly seq: number;
}

const before = (a: Timed, b: Timed): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

export class TimeHeap<T extends Timed> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const heap = this.items;
    let i = heap.length;
    heap.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = item;
  }

  /** The earliest item if it is before `limit` (at <= limit when inclusive), removed. */
  takeBefore(limit: number, inclusive = false): T | undefined {
    const heap = this.items;
    const top = heap[0];
    if (top === undefined || (inclusive ? top.at > limit : top.at >= limit)) return undefined;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      const n = heap.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const child = r < n && before(heap[r]!, heap[l]!) ? r : l;
        if (!before(heap[child]!, last)) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}
