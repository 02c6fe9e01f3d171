#!/usr/bin/env node
// The perpx-restore program (package.json "bin"): main.ts does the work, this file only runs it.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2), (s) => console.log(s), (s) => console.error(s));
