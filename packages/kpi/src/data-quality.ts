// What a provider's records came to: the data-quality counts the store keeps per provider and the
// feeds report. Pure data.
import type { RejectionCode } from './rejections.js';

export interface DataQuality {
  accepted: number;
  duplicates: number;
  rejected: Partial<Record<RejectionCode, number>>;
  /** Newest occurredAt accepted, if any. */
  newest: number | undefined;
}
