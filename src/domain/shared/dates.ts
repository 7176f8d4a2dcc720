import { z } from 'zod';

/**
 * Days and instants as the API accepts them, within 1900-01-01 … 31 December a century ahead.
 * Nothing this ledger records happened before 1900 (Peru's mining code dates from 1901). The
 * furthest-reaching dates it takes are the ends and starts of validity of registrations,
 * contracts and zones, which registries set decades ahead and write as 2099-12-31 for "until
 * further notice"; a century covers those, and anything beyond is a typo (2206 for 2026). Inside
 * that range every date is one PostgreSQL stores, which year 0000 (ISO's 1 BC) is not: it once
 * came back as a 500.
 */
export const earliestDay = '1900-01-01';
/** Today's date in UTC, as the API writes days (YYYY-MM-DD). */
export const today = (now = new Date()): string => now.toISOString().slice(0, 10);
export const latestDay = (now = new Date()) => `${now.getUTCFullYear() + 100}-12-31`;

const rangeMessage = () => `must be between ${earliestDay} and ${latestDay()}`;

/** A calendar day, YYYY-MM-DD. */
export const daySchema = z.iso
  .date('must be a day as YYYY-MM-DD')
  .refine((d) => d >= earliestDay && d <= latestDay(), { error: rangeMessage });

// Real UTC offsets run from −12:00 to +14:00; PostgreSQL refuses beyond ±15:59.
const offsetPattern = /([+-])(\d\d):(\d\d)$/;
const maxOffsetMinutes = 14 * 60;

/** An instant, ISO 8601 with a UTC offset or Z (2026-11-26T17:18:52Z). */
export const instantSchema = z.iso
  .datetime({ offset: true, error: 'must be a date-time as YYYY-MM-DDThh:mm:ss with Z or an offset' })
  .superRefine((t, ctx) => {
    const m = offsetPattern.exec(t);
    if (m && Number(m[2]) * 60 + Number(m[3]) > maxOffsetMinutes) {
      ctx.addIssue({ code: 'custom', message: 'a UTC offset is at most 14:00' });
      return;
    }
    const ms = Date.parse(t);
    if (!Number.isFinite(ms)) return; // not a date-time at all: the format check has said so
    const day = new Date(ms).toISOString().slice(0, 10);
    if (!(day >= earliestDay && day <= latestDay()))
      ctx.addIssue({ code: 'custom', message: rangeMessage() });
  });
