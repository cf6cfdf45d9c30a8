export * from './iso-date.js';
export * from './fiscal-year.js';
export * from './written-date.js';
