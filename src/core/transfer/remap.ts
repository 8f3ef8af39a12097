/**
 * Giving an imported project fresh ids. Every row id of the export gets a new UUID, and every
 * occurrence of an old id anywhere in the rows — foreign keys, blob keys such as
 * projects/{id}/images/scene-{id}-take1.png, job payloads — is rewritten with the same map, so
 * the copy is consistent and shares nothing with the original.
 */
import { randomUUID } from 'node:crypto';

const UUID_IN_TEXT = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

export class IdMap {
  readonly #map = new Map<string, string>();

  constructor(oldIds: Iterable<string>, newId: () => string = randomUUID) {
    for (const id of oldIds) this.#map.set(id.toLowerCase(), newId());
  }

  /** the new id of an old one (ids not in the export are left alone) */
  id(old: string): string {
    return this.#map.get(old.toLowerCase()) ?? old;
  }


  text(value: string): string {
    return value.replace(UUID_IN_TEXT, (m) => this.#map.get(m.toLowerCase()) ?? m);
  }

  /** deep copy of a JSON value with every known old id replaced */
  value<T>(value: T): T {
    if (typeof value === 'string') return this.text(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.value(v)) as T;
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.text(k), this.value(v)])) as T;
    }
    return value;
  }
}
