/** What media answers for an upload (DESIGN.md): loosely typed beyond what the gateway uses. */
export interface MediaItem {
  id: string;
  contentType: string;
  width: number;
  height: number;
  bytes: number;
  [field: string]: unknown;
}
