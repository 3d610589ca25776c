// Agents as hosts of their own: a network namespace per agent, joined by a veth pair to a bridge on the host
// where PostgreSQL and the git remote (git daemon) listen. A partition is a real `ip link set down`.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ip = (...args: string[]) => run('ip', args);

/** Null when this machine can make namespaces; else why not (the tests are then skipped, saying so). */
export async function netnsSkipReason(): Promise<string | null> {
  if (process.getuid?.() !== 0) return 'network namespaces need root (ip netns add)';
  const probe = `gmprobe${process.pid % 100000}`;
  try {
    await ip('netns', 'add', probe);
    await ip('netns', 'del', probe);
    return null;
  } catch (error) {
    return `this machine cannot create network namespaces (${(error as Error).message.split('\n')[0]})`;
  }
}

export interface Host {
  ns: string;
  address: string;
  /** Host side of its veth pair: taking it down cuts the host off. */
  link: string;
  wrap: string[];
  partition(): Promise<void>;
  heal(): Promise<void>;
}

export interface Network {
  bridge: string;
  hostAddress: string;
  addHost(index: number): Promise<Host>;
  /** `git daemon` serving `base` (push enabled) on the bridge address; returns the URL prefix. */
  serveGit(base: string, port: number): Promise<string>;
  teardown(): Promise<void>;
}

export async function createNetwork(): Promise<Network> {
  const tag = String(process.pid % 10000);
  const octet = 64 + (process.pid % 150);
  const bridge = `gmb${tag}`;
  const hostAddress = `10.${octet}.0.1`;
  const hosts: Host[] = [];
  let daemon: ChildProcess | null = null;
  await ip('link', 'add', bridge, 'type', 'bridge');
  await ip('addr', 'add', `${hostAddress}/24`, 'dev', bridge);
  await ip('link', 'set', bridge, 'up');
  return {
    bridge,
    hostAddress,
    async addHost(index) {
      const ns = `gm${tag}h${index}`;
      const link = `gv${tag}h${index}`;
      const address = `10.${octet}.0.${10 + index}`;
      await ip('netns', 'add', ns);
      await ip('link', 'add', link, 'type', 'veth', 'peer', 'name', `${link}p`);
      await ip('link', 'set', `${link}p`, 'netns', ns);
      await ip('link', 'set', link, 'master', bridge);
      await ip('link', 'set', link, 'up');
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
      await ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', `${link}p`);
      await ip('-n', ns, 'link', 'set', `${link}p`, 'up');
      const host: Host = {
        ns,
        address,
        link,
        wrap: ['ip', 'netns', 'exec', ns],
        partition: async () => void (await ip('link', 'set', link, 'down')),
        heal: async () => void (await ip('link', 'set', link, 'up')),
      };
      hosts.push(host);
      return host;
    },
    async serveGit(base, port) {
      daemon = spawn('git', ['daemon', `--base-path=${base}`, '--export-all', '--enable=receive-pack', '--reuseaddr', `--listen=${hostAddress}`, `--port=${port}`, base], {
        stdio: 'ignore',
        // Its own process group: `git daemon` runs `git-daemon` as a child, and the whole group goes at teardown.
        detached: true,
        env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
      });
      // Ready when it accepts connections.
      for (let i = 0; i < 50; i++) {
        const ok = await run('git', ['ls-remote', `git://${hostAddress}:${port}/remote.git`]).then(() => true, () => false);
        if (ok) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      return `git://${hostAddress}:${port}`;
    },
    async teardown() {
      if (daemon?.pid) {
        try {
          process.kill(-daemon.pid, 'SIGKILL');
        } catch {
          daemon.kill('SIGKILL');
        }
      }
      for (const h of hosts) {
        // Anything still running in the namespace goes first (nothing may outlive the test).
        const pids = await run('ip', ['netns', 'pids', h.ns]).then((r) => r.stdout.split('\n').filter(Boolean).map(Number), () => []);
        for (const pid of pids) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // gone
          }
        }
        await ip('link', 'del', h.link).catch(() => undefined);
        await ip('netns', 'del', h.ns).catch(() => undefined);
      }
      await ip('link', 'del', bridge).catch(() => undefined);
    },
  };
}
