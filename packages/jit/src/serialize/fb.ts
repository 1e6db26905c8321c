// The flatc-generated classes (./generated, see schema/torchlet_graph.fbs for the command).
// flatc 2.0.8's barrel file leaves out the nested root table `Model`: it is re-exported here.
export * from './generated/torchlet_graph_generated.js';
export { Model } from './generated/torchlet/fb/model.js';
