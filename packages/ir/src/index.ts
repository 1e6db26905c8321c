export * from './types.js';
export * from './values.js';
export * from './graph.js';
export { printGraph, printNode, formatFloat, quoteString, ValueNamer, type PrintOptions } from './printer.js';
export { parseGraph, parseType, IRParseError, type ParseOptions } from './parser.js';
export { diffGraphs, graphsEqual, valuesEqual } from './equality.js';
export { Interpreter, ScriptError, evaluateOpNode, resolveNodeOverload, type Callable, type InterpreterOptions } from './interpreter.js';
export {
  matchOverload, matchNodeOverload, resolveOverloads, matchSchema, matchType, returnTypesFor, schemaOf, schemaDefault, parseSType, instantiate,
  stypeToString, argEscapes, argAliases, OverloadMatchError,
  type OverloadMatch, type ArgSource, type SType, type SArg, type SSchema, type MatchArg, type MatchOptions, type Conversion, type ArgBinding,
  type SchemaMatch,
} from './schema_match.js';
export { computeLiveness, type Liveness, type BlockLiveness } from './passes/liveness.js';
export { eliminateDeadCode } from './passes/dce.js';
export { foldConstants } from './passes/constant_fold.js';
export { eliminateCommonSubexpressions } from './passes/cse.js';
export { hasSideEffects, isPure } from './passes/effects.js';
export { freezeModule, type MethodResolver } from './passes/freeze.js';
export { optimizeForInference, type InferenceOptions, type InferenceReport } from './passes/optimize_inference.js';
export { planMemory, type BufferLifetime, type MemoryPlan } from './passes/memory_plan.js';
