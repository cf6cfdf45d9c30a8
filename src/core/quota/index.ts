export * from './programs.js';
export * from './ledger.js';
export * from './lottery.js';
