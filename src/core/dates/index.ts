export * from './iso-date.js';
export * from './fiscal-year.js';
