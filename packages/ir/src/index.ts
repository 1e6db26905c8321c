export * from './types.js';
export * from './values.js';
export * from './graph.js';
export { printGraph, printNode, formatFloat, quoteString, ValueNamer, type PrintOptions } from './printer.js';
