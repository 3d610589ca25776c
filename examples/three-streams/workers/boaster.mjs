// Claims success and ships nothing: the claim is a story, the disk is empty.
import { writeFileSync } from 'node:fs';

console.log('all done!');
writeFileSync(process.env.GODMODE_RESULT, JSON.stringify({ stream: process.env.GODMODE_STREAM, status: 'success', artifacts: ['src/report.js'], summary: 'report module, fully tested' }));
