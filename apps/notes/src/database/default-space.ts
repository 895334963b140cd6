/**
 * The space every page had before spaces existed (created by migration 1764500000000) and where a
 * page goes when it is created without a `spaceId`. A fixed id, because the `notes.space_id`
 * column DEFAULT names it: the previous release inserts pages without the column during a rollout.
 */
export const DEFAULT_SPACE_ID = '5face000-0000-4000-8000-000000000001';
export const DEFAULT_SPACE_SLUG = 'team';
