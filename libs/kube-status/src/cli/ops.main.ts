import { runOpsCli } from './ops-cli.js';

// `npm run ops -- …` (dev, through the TypeScript loader) or `node dist/cli/ops.main.js` (a Job).
const code = await runOpsCli(process.argv.slice(2), {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
// Exit explicitly: aborted watch sockets may keep the event loop alive for a moment.
process.exit(code);
