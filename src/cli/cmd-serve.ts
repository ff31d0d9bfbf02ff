/**
 * `planner serve [--port 8787] [--data-dir DIR] [--create-admin NAME]`: the optional team server (src/server). It
 * starts (or reuses) a private PostgreSQL + PostGIS + pgRouting cluster in DIR (default .planner-server/ in the
 * repository), migrates the schema and serves the API on 127.0.0.1 until SIGINT/SIGTERM. With --create-admin it
 * creates that admin instead (password from PLANNER_ADMIN_PASSWORD or the first line of stdin) and exits. The
 * server's numbers (log-in limits, session lifetime and clean-up, network cache, optimizer limits) are in
 * src/server/config.json.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { plannerError, toErrorInfo, type Lang } from '../core/errors';
import { exitCodeOf } from '../core/compliance/cli';
import { createUser } from '../server/auth';
import { openDatabase, startServer } from '../server/server';
import { choiceOption, numberOption } from './options';
import { errorLine } from './main';

export const usage = `  planner serve        [--port 8787] [--data-dir .planner-server] [--create-admin NAME] [--lang zh|en]
                       团队服务器（可选）：私有 PostgreSQL + PostGIS + pgRouting，API 仅在 127.0.0.1；--create-admin 创建管理员
                       （密码取自 PLANNER_ADMIN_PASSWORD 或标准输入第一行）/ the optional team server: a private PostgreSQL +
                       PostGIS + pgRouting, API on 127.0.0.1 only; --create-admin creates an admin (password from
                       PLANNER_ADMIN_PASSWORD or the first line of stdin)`;

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) {
    chunks.push(c as Buffer);
    if (Buffer.concat(chunks).includes(10)) break;
  }
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
}

export async function run(argv: string[]): Promise<number> {
  let lang: Lang = 'zh';
  const say = (zh: string, en: string) => process.stderr.write((lang === 'zh' ? zh : en) + '\n');
  try {
    let o;
    try {
      o = parseArgs({ args: argv, allowPositionals: false, strict: true, options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, 'create-admin': { type: 'string' }, lang: { type: 'string' } } }).values;
    } catch (e) {
      throw plannerError('bad-arguments', '参数错误', 'bad arguments', { detail: (e as Error).message });
    }
    lang = choiceOption('lang', o.lang, ['zh', 'en'] as const, 'zh');
    const port = o.port === undefined ? 8787 : numberOption('port', o.port, 0, 65535, { zh: '', en: '' });
    if (!Number.isInteger(port)) throw plannerError('bad-option', '--port 须为整数', '--port must be an integer');
    const dataDir = resolve(o['data-dir'] ?? resolve(repoRoot, '.planner-server'));
    const log = (line: string) => process.stderr.write(line + '\n');

    if (o['create-admin'] !== undefined) {
      const name = o['create-admin'];
      const password = process.env.PLANNER_ADMIN_PASSWORD ?? (await readStdinLine());
      const { cluster, pool } = await openDatabase(dataDir, log);
      try {
        await createUser(pool, name, password, true);
      } finally {
        await pool.end();
        if (cluster.started) cluster.stop();
      }
      say(`已创建管理员「${name}」`, `admin "${name}" created`);
      return 0;
    }

    const server = await startServer({ dataDir, port, log });
    say(`团队服务器已就绪：${server.url}（数据：${dataDir}；Ctrl+C 停止）`, `team server ready: ${server.url} (data: ${dataDir}; Ctrl+C stops it)`);
    await new Promise<void>((done) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        say('正在停止…', 'stopping…');
        void server.close().then(done);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    say('已停止', 'stopped');
    return 0;
  } catch (e) {
    const info = toErrorInfo(e);
    process.stderr.write(errorLine(info, lang) + '\n');
    return exitCodeOf(info.code);
  }
}
