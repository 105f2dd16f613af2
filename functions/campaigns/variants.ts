/**
 * The rules of an A/B test, pure: which contacts are in the test share and which variant each gets
 * (a hash of campaign and contact, so every delivery of a chunk decides the same), how an A/B test
 * is set up from the composer's input, and which variant wins.
 */
import { createHash } from 'node:crypto';
import { invalid } from '#platform/errors.js';
import { type AbTest, type CampaignReport, VARIANT_IDS, type VariantId } from './model.js';

export interface AbTestInput {
  variants: Array<{ templateId: string; subject?: string | undefined }>;
  testPercent: number;
  winnerBy: 'opens' | 'clicks';
  waitHours: number;
}

export type Variant = AbTest['variants'][number];

/** The A/B test of a draft: variants named A, B, … in the order given; two alike are refused. */
export function abTestOf(input: AbTestInput): AbTest {
  const variants = input.variants.map((v, i) => ({
    id: VARIANT_IDS[i] as VariantId,
    templateId: v.templateId,
    ...(v.subject?.trim() ? { subject: v.subject.trim() } : {}),
  }));
  const seen = new Map<string, VariantId>();
  for (const v of variants) {
    const key = `${v.templateId}\u0000${v.subject ?? ''}`;
    const same = seen.get(key);
    if (same)
      throw invalid('variants_alike', `variants ${same} and ${v.id} send the same email`, [
        {
          path: `abTest.variants.${VARIANT_IDS.indexOf(v.id)}`,
          message: 'choose another template or another subject',
        },
      ]);
    seen.set(key, v.id);
  }
  return { variants, testPercent: input.testPercent, winnerBy: input.winnerBy, waitHours: input.waitHours };
}

/** A contact's place in [0, 1) for this campaign: the same on every delivery, spread evenly. */
export function placeOf(campaignId: string, contactId: string): number {
  return createHash('sha256').update(`${campaignId}:${contactId}`).digest().readUInt32BE(0) / 2 ** 32;
}

/** The variant a contact gets in the test share, or undefined when the contact waits for the winner. */
export function testVariantOf(test: AbTest, campaignId: string, contactId: string): Variant | undefined {
  const share = test.testPercent / 100;
  const place = placeOf(campaignId, contactId);
  if (place >= share) return undefined;
  return test.variants[
    Math.min(test.variants.length - 1, Math.floor((place / share) * test.variants.length))
  ];
}

/**
 * The winner: the best unique open (or click) rate among variants sent to anyone; a tie goes to the
 * variant with more engaged contacts, then to the first. With no opens (clicks) at all, the variant
 * sent to the most (one that reached nobody never wins while another reached someone), then the first.
 */
export function bestVariant(
  test: AbTest,
  results: NonNullable<CampaignReport['variants']>,
): { winner: VariantId; reason: 'opens' | 'clicks' | 'no_data' } {
  const metric = test.winnerBy === 'opens' ? 'opened' : 'clicked';
  let best: { id: VariantId; rate: number; engaged: number } | undefined;
  for (const v of test.variants) {
    const r = results.find((x) => x.id === v.id);
    if (!r || r.sent === 0 || r[metric] === 0) continue;
    const rate = r[metric] / r.sent;
    if (!best || rate > best.rate || (rate === best.rate && r[metric] > best.engaged))
      best = { id: v.id, rate, engaged: r[metric] };
  }
  if (best) return { winner: best.id, reason: test.winnerBy };
  const sent = (id: VariantId) => results.find((r) => r.id === id)?.sent ?? 0;
  const most = test.variants.reduce<VariantId | undefined>(
    (top, v) => (top === undefined || sent(v.id) > sent(top) ? v.id : top),
    undefined,
  );
  return { winner: most ?? 'A', reason: 'no_data' };
}
