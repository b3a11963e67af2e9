/**
 * The daily digests' entries in Firestore: one document per channel and day in
 * `<prefix>Digests`. A pass claims a digest with `create()`, which fails with ALREADY_EXISTS
 * when another pass created it first: that is the create-if-absent the ledger needs
 * (core/digest/ledger.ts). Later changes run in transactions.
 */
import type {CollectionReference, Firestore} from '@google-cloud/firestore';
import type {DigestRecord} from '../../core/digest/ledger.js';
import {StoreError} from '../../core/errors.js';
import {isObject} from '../../core/json.js';
import {withinDeadline} from '../deadline.js';
import {encodeDocumentId, toStored} from './records.js';
import {codeOf, storeError, transact} from './transactions.js';

const ALREADY_EXISTS = 6;

function readDigestDoc(data: unknown, path: string): DigestRecord {
  // Written by this code: the fields the ledger decides on are checked, the rest trusted.
  if (
    !isObject(data) ||
    typeof data['id'] !== 'string' ||
    (data['state'] !== 'sending' && data['state'] !== 'sent')
  ) {
    throw new StoreError('CORRUPT', `The digest entry ${path} cannot be read; delete it.`);
  }
  return data as unknown as DigestRecord;
}

/** Digest entries of one Firestore database. */
export class FirestoreDigests {
  private readonly collection: CollectionReference;

  constructor(
    private readonly db: Firestore,
    prefix: string,
  ) {
    this.collection = db.collection(`${prefix}Digests`);
  }

  async create(entry: DigestRecord, deadline?: Date): Promise<DigestRecord | null> {
    const ref = this.collection.doc(encodeDocumentId(entry.id));
    return withinDeadline(
      async () => {
        try {
          await ref.create(toStored(entry) as Record<string, unknown>);
          return null;
        } catch (error) {
          if (codeOf(error) !== ALREADY_EXISTS) {
            throw storeError(error, `claim the digest ${entry.id}`);
          }
        }
        try {
          const snapshot = await ref.get();
          // Deleted in between (by hand): nobody holds it; the next pass creates it.
          return snapshot.exists
            ? readDigestDoc(snapshot.data(), ref.path)
            : {...entry, claim: null};
        } catch (error) {
          throw storeError(error, `read the digest ${entry.id}`);
        }
      },
      deadline,
      `claim the digest ${entry.id}`,
    );
  }

  async update(
    id: string,
    change: (current: DigestRecord | null) => DigestRecord | null,
    deadline?: Date,
  ): Promise<DigestRecord | null> {
    const ref = this.collection.doc(encodeDocumentId(id));
    return withinDeadline(
      async () => {
        try {
          return await transact(this.db, async tx => {
            const snapshot = await tx.get(ref);
            const current = snapshot.exists ? readDigestDoc(snapshot.data(), ref.path) : null;
            const next = change(current);
            if (next === null) return current;
            tx.set(ref, toStored(next) as Record<string, unknown>);
            return next;
          });
        } catch (error) {
          throw storeError(error, `update the digest ${id}`);
        }
      },
      deadline,
      `update the digest ${id}`,
    );
  }

  async read(id: string, deadline?: Date): Promise<DigestRecord | null> {
    const ref = this.collection.doc(encodeDocumentId(id));
    return withinDeadline(
      async () => {
        try {
          const snapshot = await ref.get();
          return snapshot.exists ? readDigestDoc(snapshot.data(), ref.path) : null;
        } catch (error) {
          throw storeError(error, `read the digest ${id}`);
        }
      },
      deadline,
      `read the digest ${id}`,
    );
  }
}
