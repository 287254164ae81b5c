// The LLM worker's outputs (the int8 .bin and, when it makes one, the
// .llm.table), written on the core's thread through save_target.js: on two
// cores that was faster, and held less memory, than handing them to a
// worker of their own.
// openRunOutputs() -> {writeBin(chunk), writeTable(chunk), rewindBin(),
// rewindTable() (what was written is thrown away), finish() ->
// {bin: {file, savedTo, stored}, table: File|Blob|null}, discard()}.
import { openOutput, openSideOutput } from './save_target.js';

/**
 * Opens a run's outputs: the .bin where `output` (save_target's spec) says,
 * and with `withTable` the table in browser storage (or memory).
 */
export async function openRunOutputs(output, withTable) {
  const table = withTable ? await openSideOutput() : null;
  let bin;
  try {
    bin = await openOutput(output);
  } catch (err) {
    await table?.discard();
    throw err;
  }
  return {
    writeBin: bin.write,
    writeTable: table ? table.write : () => {},
    rewindBin: bin.rewind,
    rewindTable: table ? table.rewind : () => {},
    async finish() {
      const saved = await bin.finish();
      return { bin: saved, table: table ? (await table.finish()).file : null };
    },
    async discard() {
      await bin.discard();
      await table?.discard();
    },
  };
}
