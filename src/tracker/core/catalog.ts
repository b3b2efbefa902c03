// What the tracker must know to answer an announce without the database: members by
// passkey and releases by every 20-byte hash a client may announce (v1 SHA-1 and the
// truncated v2 SHA-256 of BEP 52 both point at one release). Loaded at start, then kept
// current by the web side the moment it changes a member, a passkey or a release.

import type { MemberPerks } from './perks.js';

export type FreeleechMode = 'normal' | 'freeleech' | 'neutral' | 'double_upload';

export interface TrackerUser {
  id: number;
  passkey: string;
  enabled: boolean;
  canLeech: boolean;
  /** the member's language for refusals (src/i18n locales); null or absent: the site default */
  locale?: string | null;
  /** tokens, personal freeleech, double upload, class (perks.ts); none: no perks */
  perks?: MemberPerks;
}

export interface TrackerRelease {
  id: number;
  infoHashV1: Buffer | null;
  /** first 20 bytes of the v2 SHA-256 */
  infoHashV2Short: Buffer | null;
  freeleech: FreeleechMode;
  /** set when the release was deleted: the tracker answers "Unregistered torrent: <reason>" */
  deletedReason: string | null;
}

// latin1 keeps one char per byte: the cheapest exact string key for a 20-byte hash.
const hex = (hash: Buffer): string => hash.toString('latin1');

export class Catalog {
  private readonly usersByPasskey = new Map<string, TrackerUser>();
  private readonly usersById = new Map<number, TrackerUser>();
  private readonly releasesByHash = new Map<string, TrackerRelease>();
  private readonly releasesById = new Map<number, TrackerRelease>();

  /** Adds or replaces a member; a changed passkey stops working at once. */
  setUser(user: TrackerUser): void {
    const previous = this.usersById.get(user.id);
    if (previous) this.usersByPasskey.delete(previous.passkey);
    const copy = { ...user };
    this.usersById.set(user.id, copy);
    this.usersByPasskey.set(user.passkey, copy);
  }

  removeUser(id: number): void {
    const previous = this.usersById.get(id);
    if (!previous) return;
    this.usersByPasskey.delete(previous.passkey);
    this.usersById.delete(id);
  }

  userByPasskey(passkey: string): TrackerUser | undefined {
    return this.usersByPasskey.get(passkey);
  }

  userById(id: number): TrackerUser | undefined {
    return this.usersById.get(id);
  }

  /** Adds or replaces a release (also used to mark it deleted, with its reason). */
  setRelease(release: TrackerRelease): void {
    const previous = this.releasesById.get(release.id);
    if (previous) this.unindexRelease(previous);
    const copy = { ...release };
    this.releasesById.set(release.id, copy);
    if (copy.infoHashV1) this.releasesByHash.set(hex(copy.infoHashV1), copy);
    if (copy.infoHashV2Short) this.releasesByHash.set(hex(copy.infoHashV2Short), copy);
  }

  /** Forgets a release entirely (a purge); deletions use setRelease with deletedReason. */
  removeRelease(id: number): void {
    const previous = this.releasesById.get(id);
    if (!previous) return;
    this.unindexRelease(previous);
    this.releasesById.delete(id);
  }

  releaseByHash(infoHash: Buffer): TrackerRelease | undefined {
    return this.releasesByHash.get(hex(infoHash));
  }

  releaseById(id: number): TrackerRelease | undefined {
    return this.releasesById.get(id);
  }

  get userCount(): number {
    return this.usersById.size;
  }

  get releaseCount(): number {
    return this.releasesById.size;
  }

  private unindexRelease(release: TrackerRelease): void {
    if (release.infoHashV1) this.releasesByHash.delete(hex(release.infoHashV1));
    if (release.infoHashV2Short) this.releasesByHash.delete(hex(release.infoHashV2Short));
  }
}
