/** Versions and magic of torchlet's saved-graph format (schema: schema/torchlet_graph.fbs). */
import { JitError } from '../errors.js';

/** The flatbuffers file identifier (bytes 4..8 of a file). */
export const FILE_IDENTIFIER = 'TLGF';
/** Version of the format this build writes. */
export const FORMAT_VERSION = 1;
/** The newest `min_reader_version` this build can read. */
export const READER_VERSION = 1;
/** Written into files as their producer. */
export const PRODUCER = 'torchlet 0.1.0';

/** Is `bytes` a torchlet graph file (as opposed to a TorchScript `.pt` zip)? */
export function isGraphFile(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  for (let i = 0; i < 4; i++) if (bytes[4 + i] !== FILE_IDENTIFIER.charCodeAt(i)) return false;
  return true;
}

/** A zip archive (TorchScript `.pt`) starts with a local file header or an (empty) end record. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
}

/** A torchlet graph file that cannot be read (damaged, or written by a newer torchlet). */
export class GraphFormatError extends JitError {}
