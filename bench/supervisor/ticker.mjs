// One bench worker: writes a small file every second, quietly, for as long as it lives.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

let i = 0;
setInterval(() => writeFileSync(join(process.cwd(), `tick-${i++ % 3}.txt`), String(Date.now())), 1000);
