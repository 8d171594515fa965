/**
 * A Map that forgets its oldest entry when full: for what the request path remembers between
 * requests (checked tokens, parsed query texts, cost estimates), so that a client sending ever
 * new values cannot make it grow without end.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly capacity: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.capacity) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}
