#!/usr/bin/env node
// `npx ncnnllm2table`: see llm-cli.js.
import { main } from './llm-cli.js';

process.exitCode = await main('ncnnllm2table', process.argv.slice(2));
