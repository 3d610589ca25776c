// Child process: the dashboard server alone, so its CPU can be read from /proc. Args: <root> <token>.
import { startDashboard } from '../../packages/dashboard/src/index.js';

const [root, token] = process.argv.slice(2);
const dashboard = await startDashboard({ root: root!, token: token! });
process.stdout.write(`${dashboard.url}\n`);
process.on('SIGTERM', () => void dashboard.close().then(() => process.exit(0)));
