export { Lru, type LruLimits } from './lru.js';
