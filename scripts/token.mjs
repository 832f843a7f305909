#!/usr/bin/env node
// `npm run token -- --role national`: a development token for the feeds API (see its README).
import { tokenCommand } from 'feeds-api';

const { exitCode, stdout, stderr } = await tokenCommand(process.argv.slice(2));
process.stdout.write(stdout);
process.stderr.write(stderr);
process.exitCode = exitCode;
