/**
 * The default SMS: `[FIRING:3] HighLatency api critical`, plus the summary when it still fits
 * in one GSM-7 segment (160). Text that needs UCS-2 is held to one UCS-2 segment (70) where the
 * title allows; every message stays ≤ 1,600 characters.
 */
import type { NotificationData } from '../channel-adapter.js';
import { groupSummary, severityOf, sortedPairs, statusTitle } from '../templates/notification-text.js';
import { GSM7_SEGMENT, isGsm7, normaliseForGsm7, SMS_MAX_LENGTH, smsLength, truncateSms, UCS2_SEGMENT } from './gsm7.js';

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function smsTitle(data: NotificationData): string {
  const title = statusTitle(data);
  const severity = severityOf(data);
  const values = sortedPairs(data.groupLabels).map(([, v]) => v);
  return severity && !values.includes(severity) ? `${title} ${severity}` : title;
}

export function buildSmsText(data: NotificationData, override?: string): string {
  if (override !== undefined) return truncateSms(normaliseForGsm7(override), SMS_MAX_LENGTH);
  const title = normaliseForGsm7(collapse(smsTitle(data)));
  const summary = normaliseForGsm7(collapse(groupSummary(data)));
  const full = summary ? `${title} - ${summary}` : title;
  const budget = isGsm7(full) ? GSM7_SEGMENT : UCS2_SEGMENT;
  if (smsLength(full) <= budget) return full;
  const titleBudget = isGsm7(title) ? GSM7_SEGMENT : UCS2_SEGMENT;
  if (smsLength(title) >= titleBudget - 10) return truncateSms(title, titleBudget);
  // The summary, cut, after the whole title.
  return truncateSms(full, budget);
}
