/**
 * The floor of a pass: the same pages the watcher reads (CronJobs, then Jobs, at its page
 * size), with a bare keep-alive HTTPS client and `JSON.parse`, nothing else. Run by the
 * benchmark as a child process: `BENCH_URL`, `BENCH_CA_FILE`, `BENCH_PAGE_SIZE`.
 */
import {readFileSync} from 'node:fs';
import https from 'node:https';

const base = process.env.BENCH_URL ?? '';
const ca = readFileSync(process.env.BENCH_CA_FILE ?? '');
const pageSize = process.env.BENCH_PAGE_SIZE ?? '500';
const agent = new https.Agent({keepAlive: true, ca});

function get(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    https
      .get(`${base}${path}`, {agent, headers: {Accept: 'application/json'}}, response => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

async function list(plural: string): Promise<number> {
  let items = 0;
  let token: string | undefined;
  do {
    const query = `limit=${pageSize}${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
    const page = JSON.parse(await get(`/apis/batch/v1/${plural}?${query}`)) as {
      items: unknown[];
      metadata: {continue?: string};
    };
    items += page.items.length;
    token = page.metadata.continue;
  } while (token);
  return items;
}

const cronJobs = await list('cronjobs');
const jobs = await list('jobs');
agent.destroy();
process.stdout.write(`${JSON.stringify({cronJobs, jobs})}\n`);
