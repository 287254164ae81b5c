#!/usr/bin/env node
// `npx ncnnllm2int`: see llm-cli.js.
import { main } from './llm-cli.js';

process.exitCode = await main('ncnnllm2int', process.argv.slice(2));
