#!/usr/bin/env node
// The `tocsin` command: the compiled CLI (npm run build) does the work.
import { main } from '../dist/src/cli/main.js';

await main();
