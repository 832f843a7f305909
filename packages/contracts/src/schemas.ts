// The published schema versions, read from schemas/activity-event/ (index.json lists them).
// Adding a version is a data change: a new .avsc file and a manifest entry.
import { readFileSync } from 'node:fs';
import { schemaFingerprint, fingerprintHex } from './fingerprint.js';

/** One schema version: its number and its Avro schema (parsed JSON). */
export interface SchemaVersion {
  readonly version: number;
  readonly schema: Readonly<Record<string, unknown>>;
}

/** A version as published: also its file name and pinned fingerprint. */
export interface PublishedSchema extends SchemaVersion {
  readonly file: string;
  /** CRC-64-AVRO of the Parsing Canonical Form, 16 hex digits. */
  readonly fingerprint: string;
  readonly published: string;
}

export interface SchemaCatalogue {
  /** Full name of the top-level record. */
  readonly name: string;
  /** Every published version, oldest first. */
  readonly versions: readonly PublishedSchema[];
  /** The version writers use and readers resolve into. */
  readonly current: PublishedSchema;
}

interface Manifest {
  name: string;
  current: number;
  versions: { version: number; file: string; fingerprint: string; published: string }[];
}

/** The directory holding index.json and the .avsc files (the same from src/ and dist/). */
export const SCHEMA_DIR = new URL('../schemas/activity-event/', import.meta.url);

let published: SchemaCatalogue | undefined;

/**
 * Reads the catalogue and checks that every file still has its pinned fingerprint (a published
 * schema must never change). The default directory is read once per process.
 */
export function loadSchemaCatalogue(dir: URL = SCHEMA_DIR): SchemaCatalogue {
  const isDefault = dir.href === SCHEMA_DIR.href;
  if (isDefault && published) return published;
  const manifest = JSON.parse(readFileSync(new URL('index.json', dir), 'utf8')) as Manifest;
  const versions = [...manifest.versions]
    .sort((a, b) => a.version - b.version)
    .map((entry): PublishedSchema => {
      const text = readFileSync(new URL(entry.file, dir), 'utf8');
      const actual = fingerprintHex(schemaFingerprint(text));
      if (actual !== entry.fingerprint) {
        throw new Error(
          `Schema ${entry.file} has fingerprint ${actual} but ${entry.fingerprint} was published; ` +
            'published schemas must not change: add a new version instead',
        );
      }
      return { ...entry, schema: JSON.parse(text) as Record<string, unknown> };
    });
  const current = versions.find((v) => v.version === manifest.current);
  if (!current)
    throw new Error(`Schema manifest names current version ${manifest.current}, not listed`);
  const catalogue = { name: manifest.name, versions, current };
  if (isDefault) published = catalogue;
  return catalogue;
}
