export const id = 676;
export const ids = [676];
export const modules = {

/***/ 676:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run_run)
});

// EXTERNAL MODULE: ./packages/kit/src/summary.ts
var src_summary = __webpack_require__(55300);
;// CONCATENATED MODULE: ./packages/kit/src/stage-report.ts

/**
 * The end of every action's main: outputs and the summary are written before the failure is
 * thrown, so a failed step still tells the next steps and the reader what happened.
 *
 * In our reusable workflows the job's one summary is composed by its last step (the report, with
 * the job's verdict on top): a step given SLIPWAY_SUMMARY_FILE writes its section to that file
 * instead of the job summary, redacted like everything else the step writes.
 */
function reportStage(ctx, result, stage, sectionFile = process.env.SLIPWAY_SUMMARY_FILE) {
    const redactor = ctx.redactor;
    if (sectionFile && !redactor)
        throw new Error('reportStage: a section file needs the redactor');
    const summary = sectionFile ? new src_summary/* SummaryBuilder */.CF() : ctx.summary;
    try {
        for (const [name, value] of Object.entries(stage.outputs(result)))
            ctx.setOutput(name, value);
        stage.render(result, summary);
        const failure = stage.failure?.(result);
        if (failure)
            throw failure;
    }
    finally {
        if (sectionFile && redactor)
            (0,src_summary/* writeStepSummary */.oG)(redactor.redact(summary.toString()), {
                GITHUB_STEP_SUMMARY: sectionFile
            });
    }
}

// EXTERNAL MODULE: ./packages/kit/src/redact.ts
var redact = __webpack_require__(20727);
// EXTERNAL MODULE: ./packages/kit/src/errors.ts
var errors = __webpack_require__(77817);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
;// CONCATENATED MODULE: ./packages/kit/src/units.ts
/**
 * Sizes and rates for people. Decimal megabytes, as progress lines and summaries state how much
 * data moved: "1.5 GB at 42.0 MB/s" reads the same as what a disk or a network tool reports.
 */
const SIZE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];
/** `512 B`, `1.5 kB`, `42.0 MB`, `1.2 GB`. */
function formatBytes(bytes) {
    if (!Number.isFinite(bytes) || bytes < 0)
        return '—';
    let value = bytes;
    let unit = 0;
    while (value >= 1000 && unit < SIZE_UNITS.length - 1) {
        value /= 1000;
        unit++;
    }
    return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${SIZE_UNITS[unit]}`;
}
/** Bytes over milliseconds as `42.0 MB/s`; `—` when no time has passed yet. */
function formatByteRate(bytes, ms) {
    if (!(ms > 0))
        return '—';
    return `${formatBytes((bytes * 1000) / ms)}/s`;
}

// EXTERNAL MODULE: ./packages/kit/src/duration.ts
var duration = __webpack_require__(55438);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: external "node:stream/promises"
var promises_ = __webpack_require__(46466);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(31421);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
;// CONCATENATED MODULE: ./packages/kit/src/children.ts
const live = new Set();
/** Children started as the leader of their own process group: signals go to the whole group. */
const groupLeaders = new WeakSet();
const cleanups = new Set();
let installed = false;
let stopping;
/** How long a child gets between SIGTERM and SIGKILL; the runner's own SIGKILL follows within seconds. */
const KILL_GRACE_MS = 2000;
/** A bound on the cleanups, so a hanging one cannot keep a cancelled action alive. */
const CLEANUP_DEADLINE_MS = 2000;
/**
 * Registers a running child; it is forgotten when it exits. Returns the child. `processGroup`:
 * it was spawned `detached` (its own process group), and stopping it stops the whole group.
 */
function trackChild(child, options = {}) {
    installSignalHandlers();
    if (options.processGroup)
        groupLeaders.add(child);
    if (child.exitCode !== null || child.signalCode !== null)
        return child;
    live.add(child);
    const forget = () => {
        live.delete(child);
    };
    child.once('exit', forget);
    child.once('error', forget);
    return child;
}
/** The children still running, for tests and diagnostics. */
function trackedChildren() {
    return [...live];
}
/**
 * Registers a cleanup (e.g. removing a temporary secret file) run when the action is
 * interrupted and when the process exits. Call the returned function once the cleanup has run
 * on the normal path. At exit, only synchronous work completes: prefer `rmSync`.
 */
function onCleanup(cleanup) {
    installSignalHandlers();
    cleanups.add(cleanup);
    return () => {
        cleanups.delete(cleanup);
    };
}
/**
 * Stops every tracked child and runs every cleanup; resolves with the exit code that belongs
 * to the signal. Called by the signal handler; exported so it can be tested without a signal.
 */
function stopEverything(signal) {
    stopping ??= (async () => {
        await stopChildren();
        await runCleanups();
        return signal === 'SIGINT' ? 130 : 143;
    })().finally(() => {
        stopping = undefined;
    });
    return stopping;
}
async function stopChildren() {
    const children = [...live];
    if (children.length === 0)
        return;
    const exited = children.map(child => new Promise(resolve => {
        if (child.exitCode !== null || child.signalCode !== null)
            return resolve();
        child.once('exit', () => resolve());
    }));
    for (const child of children)
        signalChild(child, 'SIGTERM');
    let timer;
    const grace = new Promise(resolve => {
        timer = setTimeout(() => resolve('grace'), KILL_GRACE_MS);
    });
    const outcome = await Promise.race([Promise.all(exited).then(() => 'exited'), grace]);
    clearTimeout(timer);
    if (outcome === 'grace') {
        for (const child of children)
            signalChild(child, 'SIGKILL');
        // SIGKILL cannot be refused; wait for the exit events, bounded all the same.
        await Promise.race([Promise.all(exited), delay(KILL_GRACE_MS)]);
    }
}
/**
 * Signals a child, and everything in its process group when it leads one: the group outlives
 * its leader, so it is signalled even after the leader exited.
 */
function signalChild(child, name) {
    if (groupLeaders.has(child) && child.pid !== undefined) {
        try {
            process.kill(-child.pid, name);
            return;
        }
        catch {
            // No such group any more: fall through to the child itself.
        }
    }
    if (child.exitCode !== null || child.signalCode !== null)
        return;
    try {
        child.kill(name);
    }
    catch {
        // Already gone.
    }
}
async function runCleanups() {
    const pending = [...cleanups].map(async (cleanup) => {
        cleanups.delete(cleanup);
        try {
            await cleanup();
        }
        catch {
            // A cleanup that fails must not stop the others.
        }
    });
    await Promise.race([Promise.all(pending), delay(CLEANUP_DEADLINE_MS)]);
}
function delay(ms) {
    return new Promise(resolve => setTimeout(resolve, ms).unref());
}
/**
 * Installs the cancellation handlers (idempotent). Call it BEFORE spawning a child you will track:
 * on a busy machine the child can start, do visible work and the runner can signal us before this
 * process runs its next line, and a SIGTERM that arrives with no handler kills us outright —
 * leaving the child running.
 */
function installSignalHandlers() {
    if (installed)
        return;
    installed = true;
    for (const name of ['SIGINT', 'SIGTERM']) {
        process.on(name, () => {
            void stopEverything(name).then(code => process.exit(code));
        });
    }
    // Every other exit path (success, failure, process.exit): synchronous cleanups still run.
    process.on('exit', () => {
        for (const cleanup of cleanups) {
            try {
                void cleanup();
            }
            catch {
                // Exiting regardless.
            }
        }
        cleanups.clear();
    });
}

;// CONCATENATED MODULE: ./packages/kit/src/child-env.ts
/**
 * The environment our child programs get. A step's environment holds the runner's private
 * channels: every `INPUT_*` (the GitHub token, SSH keys, webhook URLs), the `ACTIONS_*` runtime,
 * cache and OIDC tokens, and the file-command paths through which a program could write our
 * outputs unredacted. A child program must not inherit them, so children start from an allowlist
 * of what programs need to run, plus what the caller passes explicitly.
 */
/** Variables a program needs to find itself, its files, its locale, its certificates and its network. */
const PASSED = new Set([
    // Finding programs and the user's files (git and ssh read ~/.gitconfig, ~/.ssh; the runner's
    // `safe.directory` lives in the global git config).
    'PATH',
    'HOME',
    'USER',
    'LOGNAME',
    'SHELL',
    'TERM',
    // Locale and time zone: programs' messages and dates, and the encoding of file names.
    'LANG',
    'LANGUAGE',
    'LC_ALL',
    'TZ',
    // Where temporary files belong: on a runner, RUNNER_TEMP is emptied after every job.
    'TMPDIR',
    'TMP',
    'TEMP',
    'RUNNER_TEMP',
    // Corporate certificate authorities and proxies: without them a child cannot reach the network.
    'NODE_EXTRA_CA_CERTS',
    'SSL_CERT_FILE',
    'SSL_CERT_DIR',
    'CURL_CA_BUNDLE',
    'REQUESTS_CA_BUNDLE',
    'HTTP_PROXY',
    'HTTPS_PROXY',
    'NO_PROXY',
    'ALL_PROXY',
    'http_proxy',
    'https_proxy',
    'no_proxy',
    'all_proxy',
    // The container and cluster endpoints a deployment talks to, and the ssh agent a deploy key
    // was loaded into (git push over ssh).
    'DOCKER_HOST',
    'DOCKER_CONFIG',
    'DOCKER_CONTEXT',
    'DOCKER_CERT_PATH',
    'DOCKER_TLS_VERIFY',
    'KUBECONFIG',
    'SSH_AUTH_SOCK',
    // Where the job runs, for programs that behave differently in CI. None of these is a secret.
    'CI',
    'RUNNER_OS',
    'RUNNER_ARCH',
    'RUNNER_TOOL_CACHE',
    'GITHUB_ACTIONS',
    'GITHUB_WORKSPACE',
    'GITHUB_REPOSITORY',
    'GITHUB_SHA',
    'GITHUB_REF',
    'GITHUB_REF_NAME',
    'GITHUB_RUN_ID',
    'GITHUB_RUN_ATTEMPT',
    'GITHUB_SERVER_URL'
]);
/** Locale categories (LC_CTYPE, LC_MESSAGES, …) travel with LANG. */
const PASSED_PREFIX = /^LC_[A-Z]+$/;
/**
 * Never handed to a child, even when a caller passes them: the runner's inputs and tokens, and
 * the file commands (writing GITHUB_OUTPUT or GITHUB_ENV would bypass our redaction).
 */
const PRIVATE = /^(INPUT_.*|ACTIONS_.*|GITHUB_TOKEN|GITHUB_(OUTPUT|ENV|PATH|STATE|STEP_SUMMARY)|RUNNER_DEBUG_TOKEN)$/;
/** True for a variable that belongs to the runner or to our inputs and must not reach a child. */
function isPrivateVariable(name) {
    return PRIVATE.test(name.toUpperCase());
}
/**
 * A minimal environment for a child program: the allowlisted variables of `source` (this
 * process's environment by default) plus `extra`. An `undefined` in `extra` removes a variable.
 */
function childEnvironment(extra = {}, source = process.env) {
    const env = {};
    for (const [name, value] of Object.entries(source)) {
        if (value === undefined || isPrivateVariable(name))
            continue;
        if (PASSED.has(name) || PASSED_PREFIX.test(name))
            env[name] = value;
    }
    return withExtra(env, extra);
}
/**
 * The environment of a user's hook command: the job's own variables (what the workflow set with
 * `env:` is what the user passes to their hooks, e.g. cloud credentials or a state directory),
 * without the runner's private channels, plus our `SLIPWAY_*` values in `extra`.
 */
function hookEnvironment(extra = {}, source = process.env) {
    const env = {};
    for (const [name, value] of Object.entries(source)) {
        if (value !== undefined && !isPrivateVariable(name))
            env[name] = value;
    }
    return withExtra(env, extra);
}
/**
 * The environment of a program started with `env` and an optional `baseEnv` (the options of the
 * kit's `run` and of streaming starters): the minimal environment plus `env`, or `baseEnv` plus
 * `env` when a caller brings its own, never with the runner's private variables.
 */
function spawnEnvironment(env = {}, baseEnv) {
    return baseEnv ? hookEnvironment(env, baseEnv) : childEnvironment(env);
}
function withExtra(env, extra) {
    for (const [name, value] of Object.entries(extra)) {
        if (value === undefined || isPrivateVariable(name))
            delete env[name];
        else
            env[name] = value;
    }
    return env;
}

;// CONCATENATED MODULE: ./packages/kit/src/exec.ts




class CommandError extends Error {
    result;
    constructor(message, result) {
        super(message);
        this.result = result;
        this.name = 'CommandError';
    }
}
/** The program is not on this machine: the user installs it (a setup step of the job). */
class MissingProgramError extends errors/* UserError */.yo {
    result;
    constructor(message, result) {
        super(message, `install \`${result.command}\` on the runner (a setup step of the job), or put it on the PATH.`);
        this.result = result;
        this.name = 'MissingProgramError';
    }
}
/**
 * bash's arguments for a user's script (`bash ...scriptArgs(script)`); our values reach it only
 * through the environment. `--norc`: Node gives a child sockets for its standard streams, and
 * bash then reads ~/.bashrc as if sshd had started it, so a slow or noisy profile of the
 * machine would run inside every hook.
 */
function scriptArgs(script) {
    return ['--norc', '-c', script];
}
/**
 * Runs a program with an argument array — never through a shell, so no input can be
 * interpreted as shell syntax. Always resolves; use `runChecked` to throw on failure.
 */
function run(command, args = [], options = {}) {
    const started = Date.now();
    const redactor = options.redactor ?? new redact/* Redactor */.pO();
    const max = options.maxOutputBytes ?? 1024 * 1024;
    installSignalHandlers();
    return new Promise(resolve => {
        // Tracked, so a cancelled action stops it instead of leaving it running. Its own process
        // group, so a timeout or a cancel stops what it started too: a hook's children would
        // otherwise keep running and hold its output open past the deadline.
        // node:child_process (with net and dgram behind it) is loaded by the first run, not by
        // every module that may run a program: an input error starts none.
        const { spawn } = process.getBuiltinModule('node:child_process');
        const child = trackChild(spawn(command, args, {
            cwd: options.cwd,
            env: spawnEnvironment(options.env, options.baseEnv),
            stdio: ['pipe', 'pipe', 'pipe'],
            shell: false,
            detached: true
        }), { processGroup: true });
        const stdout = new TailBuffer(max);
        const stderr = new TailBuffer(max);
        let timedOut = false;
        let killTimer;
        const timer = options.timeoutMs === undefined
            ? undefined
            : setTimeout(() => {
                timedOut = true;
                signalChild(child, 'SIGTERM');
                killTimer = setTimeout(() => signalChild(child, 'SIGKILL'), 2000);
            }, options.timeoutMs);
        child.stdout.on('data', (chunk) => stdout.push(chunk));
        child.stderr.on('data', (chunk) => stderr.push(chunk));
        child.stdin.on('error', () => undefined); // a program that exits without reading its input
        child.stdin.end(options.input ?? '');
        const finish = (exitCode, signal, spawnError) => {
            if (timer)
                clearTimeout(timer);
            if (killTimer)
                clearTimeout(killTimer);
            resolve({
                command,
                args,
                exitCode,
                signal,
                stdout: redactor.redact(stdout.text()),
                stderr: redactor.redact(spawnError ? `${stderr.text()}${spawnError.message}` : stderr.text()),
                timedOut,
                durationMs: Date.now() - started,
                ...(spawnError ? { spawnErrorCode: spawnError.code } : {})
            });
        };
        child.on('error', error => finish(null, null, error));
        child.on('close', (code, signal) => finish(code, signal));
    });
}
/** Runs a program and throws a CommandError (with the redacted tail of stderr) unless it exits 0. */
async function runChecked(command, args = [], options = {}) {
    const result = await run(command, args, options);
    if (result.exitCode === 0)
        return result;
    if (result.spawnErrorCode === 'ENOENT')
        throw new MissingProgramError(describeFailure(result), result);
    throw new CommandError(describeFailure(result), result);
}
function describeFailure(result) {
    const how = result.timedOut
        ? 'timed out'
        : result.exitCode === null
            ? `failed (${lastLine(result.stderr) || result.signal || 'could not start'})`
            : `exited with code ${result.exitCode}`;
    const detail = lastLines(result.stderr || result.stdout, 5);
    return `${result.command} ${how}${detail ? `: ${detail}` : ''}`;
}
function lastLine(text) {
    return lastLines(text, 1);
}
function lastLines(text, count) {
    return text.trim().split('\n').slice(-count).join('\n');
}
/** Keeps the last `max` bytes of a stream: the end of a failing program's output is what explains it. */
class TailBuffer {
    max;
    chunks = [];
    size = 0;
    constructor(max) {
        this.max = max;
    }
    push(chunk) {
        this.chunks.push(chunk);
        this.size += chunk.length;
        while (this.size > this.max && this.chunks.length > 1)
            this.size -= this.chunks.shift().length;
    }
    text() {
        const all = Buffer.concat(this.chunks);
        return all.subarray(Math.max(0, all.length - this.max)).toString('utf8');
    }
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: ./packages/backup/src/types.ts
var types = __webpack_require__(2609);
;// CONCATENATED MODULE: ./packages/backup/src/source.ts




const SCHEMES = {
    'postgres:': 'postgres',
    'postgresql:': 'postgres',
    'mysql:': 'mysql',
    'mariadb:': 'mariadb',
    'sqlite:': 'sqlite',
    'file:': 'sqlite'
};
/** The engine a URL names by its scheme, if any. */
function engineFromUrl(url) {
    if (!url)
        return undefined;
    const match = /^([a-z][a-z0-9+.-]*:)/i.exec(url);
    return match ? SCHEMES[match[1].toLowerCase()] : undefined;
}
function checkEngine(value, input = 'engine') {
    if (!value || !types/* ENGINES */.u.includes(value))
        throw new errors/* InputError */.dz(input, `one of ${types/* ENGINES */.u.join(', ')}`, value);
    return value;
}
/**
 * Turns a URL (or the usual environment variables) into a Connection. The password stays
 * in memory: client programs get it through PGPASSWORD or a 0600 option file, never argv.
 */
function parseSource(spec) {
    const input = spec.input ?? 'database-url';
    const fromUrl = engineFromUrl(spec.url);
    const engine = spec.engine ? checkEngine(spec.engine) : fromUrl;
    if (!engine) {
        throw new errors/* InputError */.dz('engine', `one of ${types/* ENGINES */.u.join(', ')} (or a ${input} whose scheme names it)`, spec.engine);
    }
    const env = spec.env ?? process.env;
    switch (engine) {
        case 'postgres':
            return parseServer(engine, spec.url, input, env, ['postgres:', 'postgresql:']);
        case 'mysql':
        case 'mariadb':
            return parseServer(engine, spec.url, input, env, ['mysql:', 'mariadb:']);
        case 'sqlite':
            return parseSqlite(spec.url, input);
        case 'files':
            return parseFiles(spec, input);
    }
}
function parseServer(engine, url, input, env, schemes) {
    const expected = `a URL like ${schemes[0]}//user:password@host:port/database`;
    const connection = { engine, display: '', input };
    if (url) {
        let parsed;
        try {
            parsed = new URL(url);
        }
        catch {
            throw new errors/* InputError */.dz(input, expected, (0,redact/* redactUrlPasswords */.BM)(url));
        }
        if (!schemes.includes(parsed.protocol))
            throw new errors/* InputError */.dz(input, expected, (0,redact/* redactUrlPasswords */.BM)(url));
        if (parsed.port && !/^\d+$/.test(parsed.port))
            throw new errors/* InputError */.dz(input, expected, (0,redact/* redactUrlPasswords */.BM)(url));
        connection.host = parsed.hostname
            ? decodeURIComponent(parsed.hostname).replace(/^\[|\]$/g, '')
            : undefined;
        connection.port = parsed.port ? Number(parsed.port) : undefined;
        connection.user = parsed.username ? decodeURIComponent(parsed.username) : undefined;
        connection.password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
        const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
        connection.database = database || undefined;
        const socket = parsed.searchParams.get(engine === 'postgres' ? 'host' : 'socket');
        if (socket)
            connection.socket = socket;
        const ssl = parsed.searchParams.get(engine === 'postgres' ? 'sslmode' : 'ssl-mode');
        if (ssl)
            connection.sslMode = ssl;
    }
    else if (engine === 'postgres') {
        connection.host = env.PGHOST;
        connection.port = env.PGPORT ? Number(env.PGPORT) : undefined;
        connection.user = env.PGUSER;
        connection.password = env.PGPASSWORD;
        connection.database = env.PGDATABASE;
        connection.sslMode = env.PGSSLMODE;
    }
    else {
        connection.host = env.MYSQL_HOST;
        connection.port = env.MYSQL_TCP_PORT ? Number(env.MYSQL_TCP_PORT) : undefined;
        connection.socket = env.MYSQL_UNIX_PORT;
        connection.user = env.MYSQL_USER ?? env.USER;
        // MYSQL_PWD is deprecated by MySQL; we read it but hand it over in an option file.
        connection.password = env.MYSQL_PWD ?? env.MYSQL_PASSWORD;
        connection.database = env.MYSQL_DATABASE;
    }
    if (!connection.database) {
        const variable = engine === 'postgres' ? 'PGDATABASE' : 'MYSQL_DATABASE';
        throw new errors/* InputError */.dz(input, `${expected} naming a database (or ${variable})`, url ? (0,redact/* redactUrlPasswords */.BM)(url) : undefined);
    }
    if (connection.database.startsWith('-') || connection.database.includes('\0'))
        throw new errors/* InputError */.dz(input, expected, (0,redact/* redactUrlPasswords */.BM)(url ?? ''));
    if (connection.port !== undefined && !(connection.port > 0 && connection.port < 65536)) {
        throw new errors/* InputError */.dz(input, `${expected} with a port from 1 to 65535`, url ? (0,redact/* redactUrlPasswords */.BM)(url) : String(connection.port));
    }
    const scheme = engine === 'postgres' ? 'postgres' : engine;
    const where = connection.host
        ? `${connection.host}${connection.port ? `:${connection.port}` : ''}`
        : (connection.socket ?? 'localhost');
    connection.display = `${scheme}://${connection.user ? `${connection.user}${connection.password ? ':***' : ''}@` : ''}${where}/${connection.database}`;
    return connection;
}
function parseSqlite(url, input) {
    const expected = 'sqlite:///absolute/path.db or a path to a SQLite file';
    if (!url)
        throw new errors/* InputError */.dz(input, expected, url);
    let path = url;
    if (/^(sqlite|file):/i.test(url)) {
        try {
            path = decodeURIComponent(new URL(url).pathname);
        }
        catch {
            throw new errors/* InputError */.dz(input, expected, url);
        }
    }
    else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
        throw new errors/* InputError */.dz(input, expected, (0,redact/* redactUrlPasswords */.BM)(url));
    }
    if (!path)
        throw new errors/* InputError */.dz(input, expected, url);
    path = (0,external_node_path_.isAbsolute)(path) ? path : (0,external_node_path_.resolve)(path);
    return { engine: 'sqlite', path, display: `sqlite://${path}`, input };
}
function parseFiles(spec, input) {
    const patterns = spec.paths ?? [];
    if (patterns.length === 0)
        throw new errors/* InputError */.dz('paths', 'one or more paths or globs to archive', undefined);
    const baseDir = (0,external_node_path_.resolve)(spec.baseDir ?? process.cwd());
    if (!(0,external_node_fs_.existsSync)(baseDir))
        throw new errors/* InputError */.dz('base-dir', 'an existing directory', spec.baseDir);
    return {
        engine: 'files',
        patterns,
        exclude: spec.exclude ?? [],
        baseDir,
        display: `files:${patterns.join(',')}${spec.exclude?.length ? ` (excluding ${spec.exclude.join(',')})` : ''}`,
        input
    };
}

;// CONCATENATED MODULE: ./packages/backup/src/context.ts





const DEFAULT_TIMEOUT_MS = 60 * 60 * 1000;
function driverContext(options) {
    return {
        redactor: options.redactor ?? new redact/* Redactor */.pO(),
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        env: programEnvironment(options.env ?? process.env),
        log: options.log ?? (() => undefined),
        progressEveryMs: options.progressEveryMs,
        clock: options.clock
    };
}
/**
 * What the client programs (pg_dump, mysql, sqlite3, zstd, tar) inherit: the minimal child
 * environment (PATH, HOME, locale, certificates, proxies; never INPUT_* or the runner's
 * tokens) plus the engines' own variables, which name a connection or its TLS files
 * (PGHOST, PGSSLROOTCERT, MYSQL_HOST, …) and which the user set for exactly these programs.
 */
function programEnvironment(source) {
    const engines = {};
    for (const [name, value] of Object.entries(source))
        if (value !== undefined && /^(PG[A-Z_]+|MYSQL_[A-Z_]+|MARIADB_[A-Z_]+)$/.test(name))
            engines[name] = value;
    return childEnvironment(engines, source);
}
/**
 * A 0700 temp directory for files that hold secrets (a MySQL option file) or whole copies of
 * the data: under RUNNER_TEMP when there is one (emptied after every job), removed by
 * `remove()` and, should the action be cancelled or exit first, by the kit's cleanups.
 * `untilExit`: removed at process exit but not by a cancellation's cleanups, for a file that
 * a cleanup itself is about to hand to a program (the caller removes it once that exits).
 */
function privateTempDir(prefix, env = process.env, options = {}) {
    const path = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), prefix)); // mkdtemp creates it 0700
    const removeNow = () => (0,external_node_fs_.rmSync)(path, { recursive: true, force: true });
    let forget;
    if (options.untilExit) {
        process.once('exit', removeNow);
        forget = () => void process.off('exit', removeNow);
    }
    else
        forget = onCleanup(removeNow);
    return {
        path,
        remove: () => {
            forget();
            removeNow();
        }
    };
}
/** Accepts a parsed Connection or a spec; registers its password with the redactor either way. */
function toConnection(source, context) {
    const connection = 'display' in source ? source : parseSource({ ...source, env: source.env ?? context.env });
    if (connection.password)
        context.redactor.add(connection.password);
    return connection;
}
/**
 * Waits for a pipeline and the programs around it, and reports the most telling failure:
 * a broken pipe or a killed program is usually the consequence of another failure.
 */
async function settleAll(promises) {
    const results = await Promise.allSettled(promises);
    const errors = results
        .filter((r) => r.status === 'rejected')
        .map(r => r.reason);
    if (errors.length === 0)
        return;
    const consequence = /EPIPE|premature close|SIGPIPE|SIGTERM|write after end|aborted/i;
    throw (errors.find(error => !consequence.test(String(error?.message ?? error))) ?? errors[0]);
}

;// CONCATENATED MODULE: ./packages/backup/src/programs.ts






function startProgram(command, args, options = {}) {
    const redactor = options.redactor ?? new redact/* Redactor */.pO();
    const label = options.label ?? command;
    // Tracked: a cancelled action (SIGINT/SIGTERM) stops it instead of leaving it running.
    installSignalHandlers();
    const child = trackChild((0,external_node_child_process_.spawn)(command, args, {
        cwd: options.cwd,
        env: spawnEnvironment(options.env, options.baseEnv),
        stdio: [options.stdinFrom ?? 'pipe', 'pipe', 'pipe'],
        shell: false
    }));
    // The child holds its own copy of the pipe now; closing ours keeps Node from reading it.
    options.stdinFrom?.destroy();
    let stderr = '';
    let stderrStart = '';
    child.stderr.on('data', (chunk) => {
        const text = chunk.toString('utf8');
        if (stderrStart.length < 1000)
            stderrStart += text.slice(0, 1000);
        stderr = (stderr + text).slice(-4000);
    });
    // A program that exits early closes its stdin; the resulting EPIPE is reported through `done`.
    child.stdin?.on('error', () => undefined);
    let timedOut = false;
    const timer = options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 2000).unref();
        }, options.timeoutMs);
    const done = new Promise((resolve, reject) => {
        child.on('error', error => {
            if (timer)
                clearTimeout(timer);
            const message = `${label} could not start: ${redactor.redact(error.message)}`;
            // A program missing from PATH is the runner's setup, which the user controls.
            reject(error.code === 'ENOENT'
                ? new errors/* UserError */.yo(message, `install ${command} on the runner, or put it on PATH`)
                : new Error(message));
        });
        child.on('close', (code, signal) => {
            if (timer)
                clearTimeout(timer);
            if (code === 0)
                return resolve();
            const how = timedOut
                ? `timed out after ${options.timeoutMs}ms`
                : code === null
                    ? `was killed (${signal})`
                    : `exited with code ${code}`;
            const detail = redactor.redact(stderr.trim().split('\n').slice(-5).join('\n'));
            reject(new Error(`${label} ${how}${detail ? `: ${detail}` : ''}`));
        });
    });
    let failed;
    done.then(() => (failed = false), () => (failed = true));
    return {
        stdin: child.stdin ?? new external_node_stream_.PassThrough(),
        stdout: child.stdout,
        done,
        kill: () => child.kill('SIGTERM'),
        get failed() {
            return failed;
        },
        get stderrStart() {
            return stderrStart;
        }
    };
}
/** A program as a pipeline stage (zstd): bytes in on stdin, out on stdout; `done` reports its exit. */
function programStage(command, args, options = {}) {
    const program = startProgram(command, args, options);
    const stream = external_node_stream_.Duplex.from({ writable: program.stdin, readable: program.stdout });
    return { stream, done: program.done };
}
/** The first of `names` found on PATH, or undefined. */
function findProgram(names, env = process.env) {
    return names.find(name => programPath(name, env.PATH) !== undefined);
}
/** Where `name` is found on `path` (a PATH value): the first executable file of that name. */
function programPath(name, path = '') {
    for (const dir of path.split(external_node_path_.delimiter).filter(Boolean)) {
        try {
            (0,external_node_fs_.accessSync)((0,external_node_path_.join)(dir, name), external_node_fs_.constants.X_OK);
            return (0,external_node_path_.join)(dir, name);
        }
        catch {
            // not here
        }
    }
    return undefined;
}
const versions = new Map();
/** `<program> --version`, first line, cached (e.g. `pg_dump (PostgreSQL) 15.10`). */
function toolVersion(program, args = ['--version'], env = process.env) {
    const key = `${env.PATH} ${program} ${args.join(' ')}`;
    let found = versions.get(key);
    if (!found) {
        found = run(program, args, {
            timeoutMs: 10_000,
            baseEnv: env,
            // A version query needs no credentials.
            env: { PGPASSWORD: undefined, MYSQL_PWD: undefined }
        }).then(result => result.exitCode === 0
            ? (result.stdout || result.stderr)
                .trim()
                .split('\n')[0]
                .replace(/^\*+\s*|\s*\*+$/g, '')
            : 'unknown');
        versions.set(key, found);
    }
    return found;
}
/**
 * Waits for a feeding pipeline and the program it feeds. If either fails the program is
 * stopped, and the program's own error (which explains more) wins.
 */
async function settle(feeding, done, kill) {
    const [fed, exited] = await Promise.allSettled([
        feeding.catch(error => (kill(), Promise.reject(error))),
        done
    ]);
    if (fed.status === 'rejected' &&
        exited.status === 'rejected' &&
        !/EPIPE|premature close/i.test(String(fed.reason))) {
        throw fed.reason;
    }
    if (exited.status === 'rejected')
        throw exited.reason;
    if (fed.status === 'rejected')
        throw fed.reason;
}
/**
 * Writes a stream into a program's stdin with backpressure. A program may stop reading
 * before the end (tar leaves the archive's zero padding unread) and still succeed: the rest
 * is then read and discarded, so the decoding upstream completes and its checks run. If the
 * program failed, feeding stops at once.
 */
async function feed(input, program) {
    const stdin = program.stdin;
    let closed = false;
    stdin.on('close', () => (closed = true));
    for await (const chunk of input) {
        if (closed || stdin.destroyed || stdin.writableEnded) {
            if (program.failed === undefined)
                await Promise.race([program.done.catch(() => undefined), programs_delay(5000)]);
            if (program.failed)
                throw new Error('the program stopped reading its input');
            continue;
        }
        if (!stdin.write(chunk)) {
            await new Promise(resolve => {
                const done = () => {
                    stdin.off('drain', done);
                    stdin.off('close', done);
                    resolve();
                };
                stdin.on('drain', done);
                stdin.on('close', done);
            });
        }
    }
    if (!closed && !stdin.destroyed)
        stdin.end();
}
const programs_delay = (ms) => new Promise(resolve => setTimeout(resolve, ms).unref());
/**
 * Runs a program that reads `input` on stdin. A PipeSource is started here and its stdout
 * pipe handed to this program (spawned in the same tick, so Node never reads from it); a
 * stream is fed by Node with backpressure. The producer's failure is reported first.
 */
async function runWithInput(command, args, options, input) {
    if (typeof input === 'function') {
        const producer = input();
        const consumer = startProgram(command, args, { ...options, stdinFrom: producer.stream });
        return settleAll([producer.done, consumer.done]);
    }
    const program = startProgram(command, args, options);
    await settle(feed(input, program), program.done, program.kill);
}

;// CONCATENATED MODULE: ./packages/backup/src/codec.ts



/** `auto` means zstd when the `zstd` program is on PATH (faster, multi-threaded), else gzip. */
function resolveCompression(choice, env = process.env) {
    if (choice === 'auto')
        return findProgram(['zstd'], env) ? 'zstd' : 'gzip';
    if (choice === 'zstd' && !findProgram(['zstd'], env))
        throw new errors/* InputError */.dz('compression', 'zstd only when the zstd program is installed (or auto, gzip, none)', choice);
    return choice;
}
function extensionFor(compression, encrypted) {
    const ext = compression === 'gzip' ? '.gz' : compression === 'zstd' ? '.zst' : '';
    return `${ext}${encrypted ? '.age' : ''}`;
}
/**
 * zstd level 1 on all cores: on the 2-core benchmark machine level 1 kept pace with pg_dump
 * where level 3 fell behind (bench/results/backup.md), and it still compresses better than gzip -6.
 */
const ZSTD_ARGS = ['-q', '-c', '-1', '-T0'];
/**
 * The same, verbose: zstd then prints its version banner (the line `zstd -V` prints) on stderr
 * as it starts, so a backup names zstd's version without a second process beside the dump
 * (a fork of Node and an exec that cost the dump about 15 ms, bench/results/backup.md).
 */
const ZSTD_BANNER_ARGS = ZSTD_ARGS.map(arg => (arg === '-q' ? '-v' : arg));
/** zstd's version from its banner (`*** Zstandard CLI (64-bit) v1.5.4, by Yann Collet ***`). */
function zstdVersionFromBanner(stderr) {
    return /^\*\*\* (Zstandard CLI .*?) \*\*\*\s*$/m.exec(stderr)?.[1];
}
function compressStage(compression) {
    if (compression === 'gzip')
        return { stream: process.getBuiltinModule('node:zlib').createGzip({ level: 6 }) };
    if (compression === 'zstd')
        return programStage('zstd', ZSTD_ARGS, { label: 'zstd' });
    return undefined;
}
function decompressStage(compression) {
    if (compression === 'gzip') {
        const gunzip = process.getBuiltinModule('node:zlib').createGunzip();
        return {
            stream: relabel(gunzip, 'gzip decompression failed (the backup is corrupted or truncated)')
        };
    }
    if (compression === 'zstd') {
        const stage = programStage('zstd', ['-q', '-d', '-c'], { label: 'zstd decompression' });
        return {
            stream: stage.stream,
            done: stage.done.catch(error => Promise.reject(new Error(`${error.message} (the backup is corrupted or truncated)`)))
        };
    }
    return undefined;
}
function relabel(stream, prefix) {
    // zlib reports a bad or truncated stream through destroy(error): say what it means for a backup.
    const original = stream.destroy.bind(stream);
    Object.assign(stream, {
        destroy: (error) => original(error ? new Error(`${prefix}: ${error.message}`) : undefined)
    });
    return stream;
}
/**
 * age-encryption and its curve libraries are a third of the bundle: loaded only by a run that
 * encrypts or decrypts, so an unencrypted backup does not parse them before pg_dump starts
 * (bench/results/backup.md).
 */
const loadAge = () => __webpack_require__.e(/* import() */ 855).then(__webpack_require__.bind(__webpack_require__, 20855));
/**
 * age encryption with the `age-encryption` package's streaming API (STREAM chunks of 64 KiB,
 * so nothing is held whole in memory). Measured here at ~95 MB/s, well above compressed
 * dump rates; the `age` CLI is not needed.
 */
async function encryptStage(recipients) {
    const { Encrypter } = await loadAge();
    const encrypter = new Encrypter();
    for (const recipient of recipients) {
        try {
            encrypter.addRecipient(recipient);
        }
        catch {
            throw new errors/* InputError */.dz('encrypt-recipients', 'age recipients (age1…)', recipient);
        }
    }
    return {
        stream: async function* (source) {
            const encrypted = await encrypter.encrypt(external_node_stream_.Readable.toWeb(external_node_stream_.Readable.from(source)));
            for await (const chunk of encrypted)
                yield chunk;
        }
    };
}
async function decryptStage(identities) {
    const { Decrypter } = await loadAge();
    const decrypter = new Decrypter();
    for (const identity of identities) {
        try {
            decrypter.addIdentity(identity);
        }
        catch {
            // Never echo the identity: it is a secret key.
            throw new errors/* InputError */.dz('age-identity', 'an age identity (AGE-SECRET-KEY-1…)', '***');
        }
    }
    return {
        stream: async function* (source) {
            let decrypted;
            try {
                decrypted = await decrypter.decrypt(external_node_stream_.Readable.toWeb(external_node_stream_.Readable.from(source)));
            }
            catch (error) {
                const failure = new errors/* UserError */.yo(`age decryption failed: ${error instanceof Error ? error.message : String(error)} (wrong age-identity or a corrupted backup)`, 'set age-identity to the key of one of the recipients the backup was encrypted for');
                failure.cause = error;
                throw failure;
            }
            try {
                for await (const chunk of decrypted)
                    yield chunk;
            }
            catch (error) {
                throw new Error(`age decryption failed: ${error instanceof Error ? error.message : String(error)} (the backup is corrupted or truncated)`, { cause: error });
            }
        }
    };
}
/** Counts bytes and computes SHA-256 of what flows through. */
class HashStage extends external_node_stream_.Transform {
    // node:crypto and node:zlib are taken when used (process.getBuiltinModule) in this package:
    // a start that stops at an input error does not pay for loading them.
    hash = process.getBuiltinModule('node:crypto').createHash('sha256');
    size = 0;
    _transform(chunk, _encoding, callback) {
        this.hash.update(chunk);
        this.size += chunk.length;
        this.push(chunk);
        callback();
    }
    digest() {
        return this.hash.digest('hex');
    }
}
/** A short fingerprint of an age recipient, for manifests (public keys, but kept out of logs). */
function recipientFingerprint(recipient) {
    const hash = process.getBuiltinModule('node:crypto').createHash('sha256');
    return `age:${hash.update(recipient).digest('hex').slice(0, 12)}`;
}

;// CONCATENATED MODULE: ./packages/backup/src/errors.ts

/** The backup file does not match its manifest (corrupted, truncated, or tampered with). */
class IntegrityError extends errors/* UserError */.yo {
    constructor(message) {
        super(message, 'restore an earlier backup (backup-id), and check the store for damage');
        this.name = 'IntegrityError';
    }
}
/** A restore would overwrite data and `clean` was not set. */
class NonEmptyTargetError extends errors/* UserError */.yo {
    constructor(message) {
        super(message, 'set clean: true to replace the data, or restore into an empty target');
        this.name = 'NonEmptyTargetError';
    }
}
/** The restored copy differs from the source. */
class VerifyMismatchError extends errors/* UserError */.yo {
    differences;
    constructor(message, differences) {
        super(message, 'the summary lists what differs between the source and the restored copy');
        this.differences = differences;
        this.name = 'VerifyMismatchError';
    }
}

;// CONCATENATED MODULE: ./packages/backup/src/engines/files.ts






/** setuid and setgid: never restored (a backup must not hand out privileges). */
const PRIVILEGE_BITS = 0o6000;
/**
 * Files and directories (paths and globs, `exclude` patterns) archived with the `tar`
 * program, relative to `baseDir`. A source connection has patterns; a restore target or
 * scratch copy is a directory (`path`).
 *
 * Backup: only regular files and symlinks, with the directories above them (so their modes are
 * kept), all inside baseDir by real path; special files are skipped with a warning. Restore:
 * extracted into a scratch directory in the target, checked (no symlink or member leaves
 * it, no special file), stripped of setuid/setgid, never chowned, then renamed into place; a
 * failure puts back what was replaced, so the target is as it was.
 */
function filesDriver(connection, context) {
    const common = { baseEnv: context.env, redactor: context.redactor, timeoutMs: context.timeoutMs };
    const baseDir = connection.baseDir ?? connection.path;
    let matched;
    const resolveFiles = async () => {
        if (matched)
            return matched;
        if (!connection.patterns)
            return (matched = { files: walk(baseDir), dirs: [] });
        const absolute = (pattern) => (0,external_node_path_.isAbsolute)(pattern) ? pattern : (0,external_node_path_.join)(baseDir, pattern);
        const patterns = [
            ...connection.patterns.map(absolute),
            ...(connection.exclude ?? []).map(p => `!${absolute(p.replace(/^!/, ''))}`)
        ];
        // Loaded here: only a files backup needs it, and it is not parsed before a database dump.
        const glob = await Promise.all(/* import() */[__webpack_require__.e(659), __webpack_require__.e(427)]).then(__webpack_require__.bind(__webpack_require__, 54427));
        const globber = await glob.create(patterns.join('\n'), {
            matchDirectories: false,
            followSymbolicLinks: false,
            implicitDescendants: true
        });
        matched = files_select(baseDir, await globber.glob(), context);
        if (matched.files.length === 0)
            throw new errors/* InputError */.dz('paths', 'paths or globs that match at least one file', connection.patterns.join(', '));
        return matched;
    };
    const driver = {
        engine: 'files',
        connection,
        format: 'tar',
        extension: '.tar',
        async probe() {
            await resolveFiles();
            return undefined;
        },
        async tools() {
            return { tar: await toolVersion('tar', undefined, context.env) };
        },
        plan: () => [
            `tar --create --directory=${baseDir} --null --no-recursion --files-from=- (${connection.patterns?.join(', ')})`
        ],
        async dump() {
            const { files, dirs } = await resolveFiles();
            const program = startProgram('tar', [
                '--create',
                '--file=-',
                `--directory=${baseDir}`,
                '--null',
                '--no-recursion',
                '--files-from=-'
            ], {
                ...common,
                label: 'tar'
            });
            // Directories first, each before what it holds, so extraction sees their modes.
            const members = [...dirs, ...files].sort();
            program.stdin.end(Buffer.from(members.map(member => `${member}\0`).join('')));
            return {
                stream: program.stdout,
                done: program.done,
                fileCount: files.length,
                cleanup: async () => undefined
            };
        },
        async isEmpty() {
            return !(0,external_node_fs_.existsSync)(baseDir) || (0,external_node_fs_.readdirSync)(baseDir).length === 0;
        },
        async restore(input, { clean }) {
            void clean; // the caller refused a non-empty directory unless clean was set
            (0,external_node_fs_.mkdirSync)(baseDir, { recursive: true });
            // Inside the target rather than beside it: the same filesystem even when the target is a
            // mount point (so the swap is renames), and writable whenever the target is (its parent may
            // not be). 0700, and gone when the restore ends either way.
            const scratch = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(baseDir, '.slipway-restore-'));
            try {
                const index = (0,external_node_path_.join)(scratch, 'index');
                const tree = (0,external_node_path_.join)(scratch, 'tree');
                (0,external_node_fs_.mkdirSync)(tree, { mode: 0o700 });
                try {
                    await runWithInput('tar', [
                        '--extract',
                        '--file=-',
                        `--directory=${tree}`,
                        '--no-same-owner',
                        '--preserve-permissions',
                        '--verbose',
                        `--index-file=${index}`,
                        '--quoting-style=escape'
                    ], { ...common, label: 'tar' }, input);
                }
                catch (error) {
                    throw refusedMembers(error) ?? error;
                }
                (0,external_node_fs_.chmodSync)(tree, 0o700); // an archive entry for `.` must not open the scratch directory
                checkExtracted(tree);
                swapInto(tree, baseDir, explicitDirectories(index), scratch);
            }
            finally {
                (0,external_node_fs_.rmSync)(scratch, { recursive: true, force: true });
            }
        },
        async fingerprint() {
            const result = [];
            for (const file of (await resolveFiles()).files) {
                const full = (0,external_node_path_.join)(baseDir, file);
                if ((0,external_node_fs_.lstatSync)(full).isSymbolicLink()) {
                    result.push({ name: file, rows: 0, checksum: 'symlink' });
                    continue;
                }
                result.push(await fingerprintFile(file, full));
            }
            return result;
        },
        async scratch() {
            const dir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'slipway-verify-'));
            return {
                driver: filesDriver({ engine: 'files', path: dir, display: dir, input: connection.input }, context),
                drop: async () => (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true })
            };
        },
        close: async () => undefined
    };
    return driver;
}
/**
 * The globbed paths that may be archived. Containment is decided on real paths: a path whose
 * directory is reached through a symlink is refused (`link/passwd` with `link -> /etc`), and so
 * is a symlink that points outside the base. FIFOs, sockets and devices are skipped with a
 * warning: tar would archive a node, and reading one for verify never ends.
 */
function files_select(baseDir, found, context) {
    if (found.length === 0)
        return { files: [], dirs: [] };
    const realBase = (0,external_node_fs_.realpathSync)(baseDir);
    const files = [];
    const dirs = new Set();
    const skipped = [];
    for (const file of found) {
        const rel = (0,external_node_path_.relative)(baseDir, file);
        if (rel.startsWith(`..${external_node_path_.sep}`) || rel === '..' || (0,external_node_path_.isAbsolute)(rel)) {
            throw new errors/* InputError */.dz('paths', `paths inside base-dir (${baseDir})`, file);
        }
        const parent = (0,external_node_path_.dirname)(rel);
        const realParent = (0,external_node_fs_.realpathSync)((0,external_node_path_.join)(baseDir, parent));
        if (realParent !== (0,external_node_path_.join)(realBase, parent)) {
            throw new errors/* InputError */.dz('paths', `paths inside base-dir (${baseDir}) not reached through a symlink (${rel} is in ${realParent})`, file);
        }
        const stat = (0,external_node_fs_.lstatSync)(file);
        if (stat.isSymbolicLink()) {
            const target = (0,external_node_fs_.readlinkSync)(file);
            if (symlinkEscapes(rel, target))
                throw new errors/* InputError */.dz('paths', `symlinks that stay inside base-dir (${rel} -> ${target}; leave it out with exclude)`, file);
        }
        else if (!stat.isFile()) {
            skipped.push(rel);
            continue;
        }
        files.push(rel);
        for (let dir = parent; dir !== '.'; dir = (0,external_node_path_.dirname)(dir))
            dirs.add(dir);
    }
    if (skipped.length > 0)
        context.log(`Warning: skipped ${skipped.length} special file(s) (FIFOs, sockets and devices are not archived): ${skipped.sort().join(', ')}`);
    return { files: files.sort(), dirs: [...dirs].sort() };
}
/**
 * Whether a symlink at `rel` (relative to a root) pointing to `target` may resolve outside the
 * root. Decided on the spelling without trusting it: absolute targets leave; `..` may only lead
 * (climbing real directories above the link, never past the root), because a `..` after a name
 * climbs from wherever that name leads when it is itself a symlink (`b -> .`, `a -> b/x/../..`).
 */
function symlinkEscapes(rel, target) {
    if (target === '' || (0,external_node_path_.isAbsolute)(target))
        return true;
    let depth = rel.split(external_node_path_.sep).length - 1;
    let descended = false;
    for (const part of target.split('/')) {
        if (part === '' || part === '.')
            continue;
        if (part !== '..')
            descended = true;
        else if (descended || depth-- === 0)
            return true;
    }
    return false;
}
/** Hash of a regular file, opened without blocking so a FIFO in its place cannot hang verify. */
async function fingerprintFile(name, full) {
    const handle = await process
        .getBuiltinModule('node:fs/promises')
        .open(full, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NONBLOCK | external_node_fs_.constants.O_NOFOLLOW);
    try {
        const stat = await handle.stat();
        if (!stat.isFile())
            return { name, rows: -1, checksum: 'not a regular file' };
        const hash = process.getBuiltinModule('node:crypto').createHash('sha256');
        for await (const chunk of handle.createReadStream({ autoClose: false }))
            hash.update(chunk);
        return { name, rows: stat.size, checksum: hash.digest('hex') };
    }
    finally {
        await handle.close();
    }
}
/** tar refuses members named with `..` and goes on; the restore is refused as a whole. */
function refusedMembers(error) {
    const names = [...error.message.matchAll(/tar: (.*): Member name contains '\.\.'/g)].map(m => m[1]);
    if (names.length === 0)
        return undefined;
    return new IntegrityError(`the archive is refused: member(s) ${names.join(', ')} would be written outside the target; nothing was restored`);
}
/**
 * Refuses what a hand-made or tampered archive could slip into the target: symlinks that leave
 * it, device nodes, FIFOs and sockets. Strips setuid/setgid (modes are otherwise as archived).
 */
function checkExtracted(tree) {
    const problems = [];
    const visit = (rel) => {
        for (const name of (0,external_node_fs_.readdirSync)((0,external_node_path_.join)(tree, rel))) {
            const child = rel ? (0,external_node_path_.join)(rel, name) : name;
            const full = (0,external_node_path_.join)(tree, child);
            const stat = (0,external_node_fs_.lstatSync)(full);
            if (stat.isSymbolicLink()) {
                const target = (0,external_node_fs_.readlinkSync)(full);
                if (symlinkEscapes(child, target))
                    problems.push(`symlink ${child} -> ${target} points outside the target`);
                continue;
            }
            if (!stat.isFile() && !stat.isDirectory()) {
                problems.push(`${child} is a special file (device, FIFO or socket)`);
                continue;
            }
            if (stat.mode & PRIVILEGE_BITS)
                (0,external_node_fs_.chmodSync)(full, stat.mode & 0o7777 & ~PRIVILEGE_BITS);
            if (stat.isDirectory())
                visit(child);
        }
    };
    visit('');
    if (problems.length > 0)
        throw new IntegrityError(`the archive is refused: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}; nothing was restored`);
}
/** Directories that had their own entry in the archive (their modes are archived ones). */
function explicitDirectories(index) {
    const dirs = new Set();
    if (!(0,external_node_fs_.existsSync)(index))
        return dirs;
    for (const line of (0,external_node_fs_.readFileSync)(index, 'latin1').split('\n')) {
        if (!line.endsWith('/'))
            continue;
        const name = (0,external_node_path_.normalize)(unescapeTar(line)).replace(/\/+$/, '');
        if (name && name !== '.')
            dirs.add(name);
    }
    return dirs;
}
/** Undoes tar's `escape` quoting (C escapes, octal bytes) back to the UTF-8 name. */
function unescapeTar(text) {
    const simple = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11 };
    const bytes = [];
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c !== '\\' || i + 1 >= text.length) {
            bytes.push(text.charCodeAt(i) & 0xff);
            continue;
        }
        const next = text[i + 1];
        const octal = /^[0-7]{3}/.exec(text.slice(i + 1));
        if (octal) {
            bytes.push(parseInt(octal[0], 8));
            i += 3;
        }
        else {
            bytes.push(simple[next] ?? next.charCodeAt(0));
            i += 1;
        }
    }
    return Buffer.from(bytes).toString('utf8');
}
/**
 * Moves the extracted tree into the target: what the archive holds replaces what is there
 * (renames, same filesystem), everything else in the target stays. A directory that exists on
 * both sides is merged; its mode is set only from an explicit archive entry. Any failure undoes
 * every step, newest first, so the target is left as it was.
 */
function swapInto(tree, target, explicit, scratch) {
    const aside = (0,external_node_path_.join)(scratch, 'aside');
    (0,external_node_fs_.mkdirSync)(aside, { mode: 0o700 });
    const journal = [];
    const place = (rel) => {
        for (const name of (0,external_node_fs_.readdirSync)((0,external_node_path_.join)(tree, rel))) {
            const child = rel ? (0,external_node_path_.join)(rel, name) : name;
            const from = (0,external_node_path_.join)(tree, child);
            const to = (0,external_node_path_.join)(target, child);
            const source = (0,external_node_fs_.lstatSync)(from);
            const existing = lstatOrUndefined(to);
            if (source.isDirectory() && existing?.isDirectory()) {
                place(child);
                const mode = source.mode & 0o7777;
                if (explicit.has(child) && (existing.mode & 0o7777) !== mode) {
                    journal.push({ chmod: to, mode: existing.mode & 0o7777 });
                    (0,external_node_fs_.chmodSync)(to, mode);
                }
                continue;
            }
            if (existing) {
                const parked = (0,external_node_path_.join)(aside, String(journal.length));
                (0,external_node_fs_.renameSync)(to, parked);
                journal.push({ moved: to, parked });
            }
            (0,external_node_fs_.renameSync)(from, to);
            journal.push({ placed: to });
        }
    };
    try {
        place('');
    }
    catch (error) {
        for (const step of journal.reverse()) {
            if ('placed' in step)
                (0,external_node_fs_.rmSync)(step.placed, { recursive: true, force: true });
            else if ('moved' in step)
                (0,external_node_fs_.renameSync)(step.parked, step.moved);
            else
                (0,external_node_fs_.chmodSync)(step.chmod, step.mode);
        }
        throw error;
    }
}
function lstatOrUndefined(path) {
    try {
        return (0,external_node_fs_.lstatSync)(path);
    }
    catch {
        return undefined;
    }
}
/** Regular files and symlinks under dir, relative, sorted; bounded by what is on disk. */
function walk(dir) {
    const out = [];
    if (!(0,external_node_fs_.existsSync)(dir))
        return out;
    const visit = (rel) => {
        for (const entry of (0,external_node_fs_.readdirSync)((0,external_node_path_.join)(dir, rel), { withFileTypes: true })) {
            const child = rel ? (0,external_node_path_.join)(rel, entry.name) : entry.name;
            if (entry.isDirectory())
                visit(child);
            else if (entry.isFile() || entry.isSymbolicLink())
                out.push(child);
        }
    };
    visit('');
    return out.sort();
}

;// CONCATENATED MODULE: ./packages/backup/src/engines/mysql.ts





/** Option-file value: quoted, with the escapes MySQL/MariaDB option files understand. */
function optionValue(value) {
    return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
const quoteIdent = (name) => `\`${name.replace(/`/g, '``')}\``;
const literal = (text) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const qualified = (schema, name) => `${quoteIdent(schema)}.${quoteIdent(name)}`;
/** A field of the client's batch output: tabs, newlines, NULs and backslashes come escaped. */
const unescapeField = (field) => field.replace(/\\(.)/g, (_, c) => ({ n: '\n', t: '\t', '0': '\0' })[c] ?? c);
/**
 * The statements that recreate objects in the current schema: each dropped if it exists, then
 * created with the sql_mode (and an event's time zone) it was created with. Views are created
 * so that a view comes after the views it reads from.
 */
function recreate(objects) {
    const statements = [];
    for (const object of orderViews(objects)) {
        const drop = object.kind === 'VIEW'
            ? `DROP VIEW IF EXISTS ${quoteIdent(object.name)}`
            : `DROP ${object.kind} IF EXISTS ${quoteIdent(object.name)}`;
        statements.push(drop);
        if (object.sqlMode !== undefined)
            statements.push(`SET SESSION sql_mode = ${literal(object.sqlMode)}`);
        if (object.timeZone !== undefined)
            statements.push(`SET SESSION time_zone = ${literal(object.timeZone)}`);
        statements.push(object.create);
    }
    return statements;
}
/** Views that read other views come after them (names are backquoted in SHOW CREATE VIEW). */
function orderViews(objects) {
    const views = objects.filter(o => o.kind === 'VIEW');
    const ordered = [];
    const placed = new Set();
    // Bounded: each round places at least one view, or the rest go in name order.
    for (let round = 0; round < views.length && ordered.length < views.length; round++) {
        const ready = views.filter(v => !placed.has(v.name) &&
            views.every(other => other === v || placed.has(other.name) || !v.create.includes(quoteIdent(other.name))));
        const next = ready.length > 0 ? ready : views.filter(v => !placed.has(v.name));
        for (const view of next) {
            ordered.push(view);
            placed.add(view.name);
        }
    }
    return [...ordered, ...objects.filter(o => o.kind !== 'VIEW')];
}
/** A script for the client: `;;` ends a statement, so routine bodies may hold `;`. */
const script = (statements) => `DELIMITER ;;\n${statements.map(statement => `${statement};;\n`).join('')}DELIMITER ;\n`;
/**
 * MySQL and MariaDB through their client programs. Credentials go into a `[client]` option
 * file (0600, in a 0700 temp dir under RUNNER_TEMP, removed by `close` and on cancellation)
 * passed as `--defaults-extra-file`: MYSQL_PWD is deprecated and a `-p` argument would be
 * visible in the process list.
 */
function mysqlDriver(connection, context) {
    const mariadb = connection.engine === 'mariadb';
    const client = (mariadb
        ? findProgram(['mariadb', 'mysql'], context.env)
        : findProgram(['mysql', 'mariadb'], context.env)) ?? 'mysql';
    const dumper = (mariadb
        ? findProgram(['mariadb-dump', 'mysqldump'], context.env)
        : findProgram(['mysqldump', 'mariadb-dump'], context.env)) ?? 'mysqldump';
    const database = connection.database;
    const writeOptionFile = (untilExit = false) => {
        const dir = privateTempDir('slipway-my-', context.env, { untilExit });
        const lines = ['[client]'];
        if (connection.user)
            lines.push(`user=${optionValue(connection.user)}`);
        if (connection.password !== undefined)
            lines.push(`password=${optionValue(connection.password)}`);
        if (connection.host)
            lines.push(`host=${optionValue(connection.host)}`);
        if (connection.port)
            lines.push(`port=${connection.port}`);
        if (connection.socket)
            lines.push(`socket=${optionValue(connection.socket)}`);
        if (connection.sslMode)
            lines.push(`ssl-mode=${optionValue(connection.sslMode)}`);
        (0,external_node_fs_.writeFileSync)((0,external_node_path_.join)(dir.path, 'client.cnf'), `${lines.join('\n')}\n`, { mode: 0o600 });
        return dir;
    };
    let optionDir;
    const optionFile = () => {
        optionDir ??= writeOptionFile();
        return (0,external_node_path_.join)(optionDir.path, 'client.cnf');
    };
    // The deprecated variable must not reach the programs alongside the option file.
    const env = { MYSQL_PWD: undefined };
    const common = {
        env,
        baseEnv: context.env,
        redactor: context.redactor,
        timeoutMs: context.timeoutMs
    };
    /** Runs SQL (or a script on stdin); the batch output, one line per row. */
    const sql = async (query, db = database, options = {}) => {
        // A cancellation removes the shared option file, and any file registered as its cleanup,
        // while a cleanup may still need one: this one goes when the program exits (or at exit).
        const own = options.ownCredentials ? writeOptionFile(true) : undefined;
        const result = await run(client, [
            `--defaults-extra-file=${own ? (0,external_node_path_.join)(own.path, 'client.cnf') : optionFile()}`,
            '--connect-timeout=10',
            '--batch',
            '--skip-column-names',
            '--default-character-set=utf8mb4',
            ...(db ? ['--database', db] : []),
            ...(options.script === undefined ? ['-e', query] : [])
        ], { ...common, input: options.script, maxOutputBytes: 16 * 1024 * 1024 }).finally(() => own?.remove());
        if (result.exitCode !== 0)
            throw new Error(describeFailure(result));
        return result.stdout.replace(/\n$/, '');
    };
    const rows = async (query, db = database) => (await sql(query, db))
        .split('\n')
        .filter(line => line !== '')
        .map(line => line.split('\t').map(unescapeField));
    /** Base tables (and MariaDB sequences, which move the same way) of a schema. */
    const tablesOf = async (schema) => (await rows(`select table_name from information_schema.tables where table_schema = ${literal(schema)} and table_type in ('BASE TABLE', 'SEQUENCE') order by 1`, null)).map(([name]) => name);
    /** Every view, routine, event and trigger of a schema, with the statement that creates it. */
    const objectsOf = async (schema) => {
        const s = literal(schema);
        // Triggers in their firing order: recreated in that order, they keep it.
        const [others, triggers] = await Promise.all([
            rows(`select 'VIEW', table_name, null from information_schema.views where table_schema = ${s}
         union all select routine_type, routine_name, null from information_schema.routines where routine_schema = ${s}
         union all select 'EVENT', event_name, null from information_schema.events where event_schema = ${s}`, null),
            rows(`select 'TRIGGER', trigger_name, event_object_table from information_schema.triggers where trigger_schema = ${s} order by event_object_table, action_timing, event_manipulation, action_order`, null)
        ]);
        const listed = [...others, ...triggers];
        if (listed.length === 0)
            return [];
        // One SHOW CREATE per object, in one client run; each answers with exactly one row.
        const shown = await rows(listed.map(([kind, name]) => `SHOW CREATE ${kind} ${quoteIdent(name)}`).join(';\n'), schema);
        if (shown.length !== listed.length)
            throw new Error(`could not read the definitions of the objects in ${schema}`);
        return listed.map(([kind, name, table], i) => {
            const row = shown[i];
            if (row.some(field => field === 'NULL') && kind !== 'EVENT')
                throw new Error(`the definition of ${kind.toLowerCase()} ${name} in ${schema} cannot be read (missing privilege?)`);
            const k = kind;
            if (k === 'VIEW')
                return { kind: k, name, create: row[1].replace(/^CREATE /, 'CREATE OR REPLACE ') };
            if (k === 'EVENT')
                return { kind: k, name, sqlMode: row[1], timeZone: row[2], create: row[3] };
            if (k === 'TRIGGER')
                return { kind: k, name, sqlMode: row[1], create: row[2], table };
            return { kind: k, name, sqlMode: row[1], create: row[2] };
        });
    };
    /**
     * Restores atomically for the tables: the dump is loaded into a scratch schema on the same
     * server (the target is untouched while the long part runs), then one RENAME TABLE moves the
     * target's replaced tables out and the restored ones in, and the views, routines, events and
     * triggers of the backup are recreated. If that last step fails, it is undone.
     */
    const restoreAtomically = async (input) => {
        const id = process.getBuiltinModule('node:crypto').randomBytes(5).toString('hex');
        const scratch = `slipway_restore_${id}`;
        const old = `slipway_old_${id}`;
        // 'load': only the scratch schema exists. 'swap': the target may be changing. 'settled':
        // the target is whole again (restored, or as it was).
        let phase = 'load';
        let undo;
        // Each runs once, whether the normal path or a cancellation gets there first.
        let dropping;
        const dropScratch = () => (dropping ??= sql(`SET SESSION foreign_key_checks = 0; DROP DATABASE IF EXISTS ${quoteIdent(scratch)}; DROP DATABASE IF EXISTS ${quoteIdent(old)}`, null, { ownCredentials: true }));
        let undoing;
        const undoSwap = () => (undoing ??= (async () => {
            if (undo)
                await sql('', null, { script: undo, ownCredentials: true });
            phase = 'settled';
        })());
        // Cancelled (SIGINT/SIGTERM) while loading: the scratch schema goes; while swapping: undone.
        const forget = onCleanup(async () => {
            if (phase === 'swap')
                await undoSwap();
            if (phase !== 'swap')
                await dropScratch();
        });
        try {
            const charset = await rows(`select default_character_set_name, default_collation_name from information_schema.schemata where schema_name = ${literal(database)}`, null);
            await sql(`CREATE DATABASE ${quoteIdent(scratch)}${charset.length ? ` CHARACTER SET ${charset[0][0]} COLLATE ${charset[0][1]}` : ''}`, null);
            context.log(`Loading the backup into the scratch schema ${scratch}`);
            await runWithInput(client, [
                `--defaults-extra-file=${optionFile()}`,
                '--batch',
                '--default-character-set=utf8mb4',
                '--database',
                scratch
            ], { ...common, label: client }, input);
            const plan = await swapPlan(scratch);
            phase = 'swap';
            undo = plan.undo;
            try {
                await sql('', null, { script: plan.swap });
                phase = 'settled';
            }
            catch (error) {
                await undoSwap().catch(undoError => {
                    throw new Error(`${error.message}; undoing the swap failed too (${undoError.message}): the previous tables are kept in the schema ${old}`);
                });
                throw error;
            }
            context.log(`Swapped ${plan.tables} table(s) into ${database} in one RENAME TABLE`);
        }
        finally {
            // Still registered while dropping: a cancellation now waits for this same drop.
            try {
                if (phase !== 'swap')
                    await dropScratch();
            }
            finally {
                forget();
            }
        }
    };
    /**
     * The swap, and the script that undoes it, built once the backup is loaded into `scratch`.
     * Tables of the target that the backup does not hold are kept; a foreign key from one of
     * them to a replaced table would be left pointing at the old copy, so that is refused.
     */
    const swapPlan = async (scratch) => {
        const old = scratch.replace(/^slipway_restore_/, 'slipway_old_');
        const [restored, existing, backupObjects, targetObjects] = await Promise.all([
            tablesOf(scratch),
            tablesOf(database),
            objectsOf(scratch),
            objectsOf(database)
        ]);
        const replaced = existing.filter(table => restored.includes(table));
        if (replaced.length > 0) {
            const dangling = await rows(`select table_name, referenced_table_name from information_schema.referential_constraints where constraint_schema = ${literal(database)} and unique_constraint_schema = ${literal(database)} and referenced_table_name in (${replaced.map(literal).join(', ')}) and table_name not in (${restored.map(literal).join(', ')})`, null);
            if (dangling.length > 0)
                throw new Error(`the target ${database} has tables the backup does not hold with foreign keys to tables it replaces (${dangling.map(([t, r]) => `${t} → ${r}`).join(', ')}); drop them or restore into an empty database`);
        }
        const backupNames = new Set(backupObjects.map(o => `${o.kind === 'FUNCTION' ? 'PROCEDURE' : o.kind}:${o.name}`));
        // Target objects the restore replaces: same kind and name, or triggers of replaced tables.
        const displaced = targetObjects.filter(o => backupNames.has(`${o.kind === 'FUNCTION' ? 'PROCEDURE' : o.kind}:${o.name}`) ||
            (o.kind === 'TRIGGER' && replaced.includes(o.table)));
        const dropTriggers = (schema, triggers) => triggers
            .filter(o => o.kind === 'TRIGGER')
            .map(o => `DROP TRIGGER IF EXISTS ${qualified(schema, o.name)}`);
        const rename = (pairs) => pairs.length === 0
            ? []
            : [
                `RENAME TABLE ${pairs.map(([from, to, table]) => `${qualified(from, table)} TO ${qualified(to, table)}`).join(', ')}`
            ];
        const preamble = [
            'SET SESSION lock_wait_timeout = 120',
            'SET SESSION foreign_key_checks = 0',
            `CREATE DATABASE IF NOT EXISTS ${quoteIdent(old)}`
        ];
        const dropDisplaced = displaced.map(o => {
            const kind = o.kind === 'VIEW' ? 'VIEW' : o.kind;
            return `DROP ${kind} IF EXISTS ${qualified(database, o.name)}`;
        });
        const swap = script([
            ...preamble,
            `CREATE DATABASE IF NOT EXISTS ${quoteIdent(database)}`,
            // Tables with triggers cannot change schema: the triggers are recreated after the move.
            ...dropTriggers(scratch, backupObjects),
            ...dropTriggers(database, displaced),
            ...rename([
                ...replaced.map(t => [database, old, t]),
                ...restored.map(t => [scratch, database, t])
            ]),
            `USE ${quoteIdent(database)}`,
            ...dropDisplaced,
            ...recreate(backupObjects)
        ]);
        // Undo, whatever point the swap reached: drop what the backup brought, move the tables
        // back if they moved (the RENAME is all or nothing), recreate what was displaced.
        const undo = script([
            ...preamble,
            `CREATE DATABASE IF NOT EXISTS ${quoteIdent(database)}`,
            `USE ${quoteIdent(database)}`,
            ...backupObjects.map(o => `DROP ${o.kind} IF EXISTS ${qualified(database, o.name)}`),
            // The scratch schema had every restored table; empty, the RENAME happened.
            ...(restored.length > 0
                ? [
                    `SET @moved = (select count(*) from information_schema.tables where table_schema = ${literal(scratch)} and table_type in ('BASE TABLE', 'SEQUENCE')) = 0`
                ]
                : []),
            ...undoRename(replaced, restored, scratch, old),
            ...recreate(displaced)
        ]);
        return { swap, undo, tables: restored.length };
    };
    /** The reverse RENAME, run only if the forward one happened (a prepared statement under IF). */
    const undoRename = (replaced, restored, scratch, old) => {
        const pairs = [
            ...restored.map(t => `${qualified(database, t)} TO ${qualified(scratch, t)}`),
            ...replaced.map(t => `${qualified(old, t)} TO ${qualified(database, t)}`)
        ];
        if (pairs.length === 0)
            return [];
        const statement = `RENAME TABLE ${pairs.join(', ')}`;
        return [
            `SET @undo = IF(@moved, ${literal(statement)}, 'DO 0')`,
            'PREPARE slipway_undo FROM @undo',
            'EXECUTE slipway_undo',
            'DEALLOCATE PREPARE slipway_undo'
        ];
    };
    const driver = {
        engine: connection.engine,
        connection,
        format: 'sql',
        extension: '.sql',
        async probe(options = {}) {
            try {
                return await sql('select version()', options.target ? null : database);
            }
            catch (error) {
                throw new errors/* InputError */.dz(connection.input, `a reachable ${mariadb ? 'MariaDB' : 'MySQL'} database`, `${connection.display} (${error.message})`);
            }
        },
        async tools() {
            return {
                [dumper]: await toolVersion(dumper, undefined, context.env),
                [client]: await toolVersion(client, undefined, context.env)
            };
        },
        plan: () => [
            `${dumper} --defaults-extra-file=<0600 temp file> --single-transaction --quick --routines --triggers --events --hex-blob --no-tablespaces ${database}`
        ],
        async dump() {
            const args = [
                `--defaults-extra-file=${optionFile()}`,
                '--single-transaction', // a consistent InnoDB snapshot without locking writers
                '--quick',
                '--routines',
                '--triggers',
                '--events', // scheduled events belong to the schema: without this they are lost
                '--hex-blob',
                '--no-tablespaces',
                '--default-character-set=utf8mb4',
                database
            ];
            const program = startProgram(dumper, args, { ...common, label: dumper });
            program.stdin.end();
            return {
                stream: program.stdout,
                pipe: true,
                done: program.done,
                cleanup: async () => undefined
            };
        },
        async isEmpty() {
            const count = await sql(`select count(*) from information_schema.tables where table_schema = ${literal(database)}`, null);
            return count === '0';
        },
        async restore(input, options) {
            if (options.clean)
                context.log(`clean: tables and objects in the backup replace those in ${database}`);
            await restoreAtomically(input, options);
        },
        async fingerprint() {
            const tables = (await sql(`select table_name from information_schema.tables where table_schema = ${literal(database)} and table_type = 'BASE TABLE' order by 1`))
                .split('\n')
                .filter(Boolean);
            if (tables.length === 0)
                return [];
            const counts = new Map();
            const countQuery = tables
                .map(table => `select ${literal(table)}, count(*) from ${quoteIdent(table)}`)
                .join(' union all ');
            for (const line of (await sql(countQuery)).split('\n').filter(Boolean)) {
                const [name, n] = line.split('\t');
                counts.set(name, Number(n));
            }
            const sums = new Map();
            for (const line of (await sql(`checksum table ${tables.map(quoteIdent).join(', ')} extended`))
                .split('\n')
                .filter(Boolean)) {
                const [qualifiedName, sum] = line.split('\t');
                sums.set(qualifiedName.slice(qualifiedName.indexOf('.') + 1), sum);
            }
            return tables.map(name => ({
                name,
                rows: counts.get(name) ?? -1,
                checksum: sums.get(name) ?? 'missing'
            }));
        },
        async scratch() {
            const name = `slipway_verify_${process.getBuiltinModule('node:crypto').randomBytes(5).toString('hex')}`;
            await sql(`create database ${quoteIdent(name)}`, null);
            const scratchDriver = mysqlDriver({
                ...connection,
                database: name,
                display: connection.display.replace(/\/[^/]*$/, `/${name}`)
            }, context);
            return {
                driver: scratchDriver,
                drop: async () => {
                    try {
                        await sql(`drop database if exists ${quoteIdent(name)}`, null);
                    }
                    finally {
                        await scratchDriver.close();
                    }
                }
            };
        },
        async close() {
            optionDir?.remove();
            optionDir = undefined;
        }
    };
    return driver;
}

;// CONCATENATED MODULE: ./packages/backup/src/engines/pg-header.ts

/**
 * The server's and pg_dump's versions a `pg_dump --format=custom` archive names in its header,
 * so a backup needs no second connection and no `pg_dump --version` (on Debian and Ubuntu a
 * Perl wrapper, which costs more CPU than the Node start-up) to learn them. Undefined when the
 * bytes are not a custom archive's start or its layout is one this reader does not know: the
 * caller then asks the server and the program.
 *
 * The header (pg_backup_archiver.c, WriteHead): `PGDMP`, version major/minor/revision, int
 * size, offset size, format; the compression (an int before archive version 1.15, one byte
 * from it); the creation time as seven ints; then the database name, the server version and
 * pg_dump's version as length-prefixed strings. An int is a sign byte and `intSize` bytes,
 * least significant first.
 */
function readArchiveHeader(head) {
    if (head.length < 11 || head.toString('latin1', 0, 5) !== 'PGDMP')
        return undefined;
    const [major, minor] = [head[5], head[6]];
    const intSize = head[8];
    const format = head[10];
    // 1.10 (PostgreSQL 8.4) is the oldest layout with the version strings; custom format is 1.
    if (major !== 1 || minor < 10 || minor > 16 || intSize < 1 || intSize > 8 || format !== 1)
        return undefined;
    let at = 11;
    const readInt = () => {
        if (at + 1 + intSize > head.length)
            return undefined;
        let value = 0;
        for (let i = 0; i < intSize; i++)
            value += head[at + 1 + i] * 2 ** (8 * i);
        const negative = head[at] !== 0;
        at += 1 + intSize;
        return negative ? -value : value;
    };
    const readString = () => {
        const length = readInt();
        if (length === undefined || length < 0 || length > 1024 || at + length > head.length)
            return undefined;
        const text = head.toString('utf8', at, at + length);
        at += length;
        return text;
    };
    if (minor >= 15)
        at += 1;
    else if (readInt() === undefined)
        return undefined;
    for (let i = 0; i < 7; i++)
        if (readInt() === undefined)
            return undefined;
    if (readString() === undefined)
        return undefined; // the database name
    const isVersion = (text) => text !== undefined && /^\d+(\.\d+)*\b/.test(text);
    const serverVersion = readString();
    if (!isVersion(serverVersion))
        return undefined;
    const dumpVersion = readString();
    return isVersion(dumpVersion) ? { serverVersion, dumpVersion } : { serverVersion };
}
/** How many bytes of a dump's start to keep: the header is a few hundred bytes. */
const HEAD_BYTES = 64 * 1024;
/** A pass-through stage that keeps the first bytes that flow through it (a dump's header). */
class HeadStage extends external_node_stream_.Transform {
    chunks = [];
    kept = 0;
    _transform(chunk, _encoding, callback) {
        if (this.kept < HEAD_BYTES) {
            const part = chunk.subarray(0, HEAD_BYTES - this.kept);
            this.chunks.push(Buffer.from(part));
            this.kept += part.length;
        }
        callback(null, chunk);
    }
    get head() {
        return Buffer.concat(this.chunks);
    }
}
/**
 * The start of a zstd stream, decompressed with Node's zlib (Node 22.15 and later): up to
 * HEAD_BYTES of it. It stops there, as the bytes given can hold a hundred times more (4.9 MB
 * from 64 KiB of a pgbench dump, 17 ms that the backup would wait for). Undefined when this
 * Node has no zstd or the bytes are not zstd.
 */
async function zstdPrefix(compressed) {
    const zlib = process.getBuiltinModule('node:zlib');
    const create = zlib.createZstdDecompress;
    if (!create)
        return undefined;
    const decompress = create();
    const out = [];
    let size = 0;
    await new Promise(resolve => {
        decompress.on('data', (chunk) => {
            out.push(chunk);
            size += chunk.length;
            if (size < HEAD_BYTES)
                return;
            decompress.destroy();
            resolve();
        });
        // A prefix ends mid-frame: that error only marks the end of what was given.
        decompress.once('error', () => resolve());
        decompress.once('end', () => resolve());
        decompress.end(compressed);
    });
    return size > 0 ? Buffer.concat(out).subarray(0, HEAD_BYTES) : undefined;
}

;// CONCATENATED MODULE: ./packages/backup/src/engines/pg-wrapper.ts




/** Where Debian and Ubuntu install each PostgreSQL version's programs (PgCommon's binroot). */
const PG_BINROOT = '/usr/lib/postgresql';
/**
 * Debian and Ubuntu (GitHub's runners included) install `pg_dump`, `pg_restore` and `psql` as
 * links to `pg_wrapper`, a Perl script that picks a PostgreSQL version and execs
 * `/usr/lib/postgresql/<version>/bin/<program>`. Starting Perl costs more than the rest of a
 * backup's start (about 40 ms beside a running dump, bench/results/backup.md), once per call.
 *
 * With PGHOST in the environment (the driver sets it whenever the URL names a host or a socket)
 * the wrapper ignores PGCLUSTER and the user's cluster map and always takes the newest
 * installed version that has the program, with PGSYSCONFDIR defaulting to
 * /etc/postgresql-common (pg_wrapper(1)). That choice is made here and the program started
 * directly. Anything else — no PGHOST, a `program` on PATH that is not the wrapper, no version
 * with the program — starts `program` as PATH finds it, the wrapper deciding as before.
 */
function resolvePgProgram(program, env, binroot = PG_BINROOT) {
    const asIs = { command: program, env: {} };
    if (env.PGHOST === undefined || !isWrapper(programPath(program, env.PATH)))
        return asIs;
    const newest = newestVersionWith(program, binroot);
    if (!newest)
        return asIs;
    return {
        command: (0,external_node_path_.join)(binroot, newest, 'bin', program),
        env: env.PGSYSCONFDIR === undefined ? { PGSYSCONFDIR: '/etc/postgresql-common' } : {}
    };
}
function isWrapper(path) {
    if (!path)
        return false;
    try {
        const target = (0,external_node_fs_.realpathSync)(path);
        return (0,external_node_path_.basename)(target) === 'pg_wrapper' && (0,external_node_path_.basename)((0,external_node_path_.dirname)(target)) === 'postgresql-common';
    }
    catch {
        return false;
    }
}
/** PgCommon's get_newest_version: version directories as it names them, compared as numbers. */
function newestVersionWith(program, binroot) {
    let entries;
    try {
        entries = (0,external_node_fs_.readdirSync)(binroot);
    }
    catch {
        return undefined;
    }
    return entries
        .filter(entry => /^\d+\.?\d+$/.test(entry) && programPath(program, (0,external_node_path_.join)(binroot, entry, 'bin')) !== undefined)
        .sort((a, b) => Number(a) - Number(b))
        .pop();
}
/**
 * How to start PostgreSQL client `name` with `env` over `baseEnv` (the way `run` and
 * `startProgram` merge them): past pg_wrapper where `resolvePgProgram` allows, `env` gaining
 * what the wrapper would have set.
 */
function pgClient(name, env, baseEnv) {
    const resolved = resolvePgProgram(name, spawnEnvironment(env, baseEnv));
    return { command: resolved.command, env: { ...env, ...resolved.env } };
}

;// CONCATENATED MODULE: ./packages/backup/src/engines/postgres.ts




/** libpq settings travel as environment variables: the password never appears in argv. */
function libpqEnv(connection, database = connection.database) {
    return {
        PGHOST: connection.socket ?? connection.host,
        PGPORT: connection.port ? String(connection.port) : undefined,
        PGUSER: connection.user,
        PGPASSWORD: connection.password,
        PGDATABASE: database,
        PGSSLMODE: connection.sslMode,
        PGCONNECT_TIMEOUT: '10',
        PGAPPNAME: 'slipway-backup'
    };
}
/** `dbname='…'` conninfo, so a database name containing `=` is never read as a connection string. */
function conninfo(database) {
    return `dbname='${database.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
const postgres_quoteIdent = (name) => `"${name.replace(/"/g, '""')}"`;
function postgresDriver(connection, context) {
    const database = connection.database;
    const env = libpqEnv(connection);
    const common = {
        env,
        baseEnv: context.env,
        redactor: context.redactor,
        timeoutMs: context.timeoutMs
    };
    // Past Debian's and Ubuntu's Perl wrapper when it would only pick the newest version.
    const client = (name, clientEnv = env) => {
        const started = pgClient(name, clientEnv, context.env);
        return { command: started.command, options: { ...common, env: started.env, label: name } };
    };
    const psql = async (sql, db = database) => {
        const { command, options } = client('psql', libpqEnv(connection, db));
        const result = await run(command, ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-d', conninfo(db), '-c', sql], { ...options, maxOutputBytes: 16 * 1024 * 1024 });
        // Named as the user knows it, whichever path started it.
        if (result.exitCode !== 0)
            throw new Error(describeFailure({ ...result, command: 'psql' }));
        return result.stdout.trim();
    };
    const driver = {
        engine: 'postgres',
        connection,
        format: 'pg_dump-custom',
        extension: '.dump',
        // pg_dump reads the same PG* variables and conninfo as the probe's psql.
        fromDumpHeader(head) {
            const header = readArchiveHeader(head);
            if (!header)
                return undefined;
            const { serverVersion, dumpVersion } = header;
            // The same words `pg_dump --version` prints.
            return dumpVersion
                ? { serverVersion, tools: { pg_dump: `pg_dump (PostgreSQL) ${dumpVersion}` } }
                : { serverVersion };
        },
        async probe() {
            try {
                return await psql('show server_version');
            }
            catch (error) {
                throw new errors/* InputError */.dz(connection.input, 'a reachable PostgreSQL database', `${connection.display} (${error.message})`);
            }
        },
        async tools() {
            return { pg_dump: await toolVersion('pg_dump', undefined, context.env) };
        },
        plan: () => [
            'pg_dump --format=custom --no-password (connection through PG* environment variables)'
        ],
        async dump({ compressed }) {
            // Our pipeline compresses (zstd/gzip in parallel with pg_dump), so pg_dump's own
            // single-threaded zlib is turned off; with compression none, pg_dump compresses.
            const args = [
                '--format=custom',
                '--no-password',
                ...(compressed ? ['--compress=0'] : []),
                '-d',
                conninfo(database)
            ];
            const { command, options } = client('pg_dump');
            const program = startProgram(command, args, options);
            program.stdin.end();
            return {
                stream: program.stdout,
                pipe: true,
                done: program.done,
                cleanup: async () => undefined
            };
        },
        async isEmpty() {
            const count = await psql("select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('r','p','v','m','S','f') and n.nspname not in ('pg_catalog','information_schema') and n.nspname not like 'pg_toast%' and n.nspname not like 'pg_temp%'");
            return count === '0';
        },
        async restore(input, { clean }) {
            // One transaction: a failed or truncated restore leaves the target as it was.
            const args = [
                '--no-password',
                '--exit-on-error',
                '--single-transaction',
                ...(clean ? ['--clean', '--if-exists'] : []),
                '-d',
                conninfo(database)
            ];
            const { command, options } = client('pg_restore');
            await runWithInput(command, args, options, input);
        },
        async fingerprint() {
            const tables = (await psql("select format('%I.%I', schemaname, tablename) from pg_tables where schemaname not in ('pg_catalog','information_schema') order by 1"))
                .split('\n')
                .filter(Boolean);
            if (tables.length === 0)
                return [];
            // Order by the row's text form: independent of physical order, so a restored copy compares equal.
            const query = tables
                .map(table => `select ${postgres_literal(table)} as name, count(*) as n, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as sum from ${table} t`)
                .join(' union all ');
            const rows = (await psql(`${query} order by 1`)).split('\n').filter(Boolean);
            return rows.map(row => {
                const [name, n, sum] = row.split('|');
                return { name, rows: Number(n), checksum: sum };
            });
        },
        async scratch() {
            const name = `slipway_verify_${process.getBuiltinModule('node:crypto').randomBytes(5).toString('hex')}`;
            await psql(`create database ${postgres_quoteIdent(name)}`);
            const scratchConnection = {
                ...connection,
                database: name,
                display: connection.display.replace(/\/[^/]*$/, `/${name}`)
            };
            return {
                driver: postgresDriver(scratchConnection, context),
                drop: async () => {
                    await psql(`drop database if exists ${postgres_quoteIdent(name)} with (force)`);
                }
            };
        },
        close: async () => undefined
    };
    return driver;
}
const postgres_literal = (text) => `'${text.replace(/'/g, "''")}'`;

;// CONCATENATED MODULE: ./packages/backup/src/engines/sqlite.ts







/** A path for a sqlite3 dot-command argument or an SQL string: single-quoted, quotes doubled. */
const dotArg = (path) => `'${path.replace(/'/g, "''")}'`;
const sqlString = dotArg;
/** How often a copy that still finds the database locked after the busy timeout is retried. */
const BUSY_ATTEMPTS = 3;
const busy = (error) => /database (table )?is locked|SQLITE_BUSY/i.test(String(error?.message));
const sqlite_quoteIdent = (name) => `"${name.replace(/"/g, '""')}"`;
/**
 * SQLite through the sqlite3 program. A backup is `VACUUM INTO` a private temp file (one read
 * transaction: a consistent copy that other connections' writes do not restart, unlike
 * `.backup`), then streamed and deleted. Every connection waits for locks (a busy timeout)
 * instead of failing with "database is locked". Restore builds the file beside the target,
 * checks it, and copies it in with `.restore`: one write transaction on the target, so a
 * failed or killed restore rolls back and open connections never see a half-restored file.
 */
function sqliteDriver(connection, context) {
    const path = connection.path;
    const common = { baseEnv: context.env, redactor: context.redactor, timeoutMs: context.timeoutMs };
    // Wait for another connection's lock up to the program's own deadline (at most a minute,
    // then the copy is retried).
    const busyTimeout = ['-cmd', `.timeout ${Math.min(context.timeoutMs, 60_000)}`];
    const sqlite = async (db, ...commands) => {
        const result = await run('sqlite3', ['-bail', '-batch', ...busyTimeout, db, ...commands], {
            ...common,
            maxOutputBytes: 16 * 1024 * 1024
        });
        if (result.exitCode !== 0)
            throw new Error(describeFailure(result));
        return result.stdout.trim();
    };
    const tables = async (db) => (await sqlite(db, "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by 1"))
        .split('\n')
        .filter(Boolean);
    const driver = {
        engine: 'sqlite',
        connection,
        format: 'sqlite',
        extension: '.sqlite',
        async probe() {
            if (!(0,external_node_fs_.existsSync)(path))
                throw new errors/* InputError */.dz(connection.input, 'an existing SQLite database file', path);
            try {
                await sqlite(path, 'select count(*) from sqlite_master');
            }
            catch (error) {
                throw new errors/* InputError */.dz(connection.input, 'a readable SQLite database file', `${path} (${error.message})`);
            }
            return (await sqlite(path, 'select sqlite_version()')) || undefined;
        },
        async tools() {
            return { sqlite3: await toolVersion('sqlite3', undefined, context.env) };
        },
        plan: () => [`sqlite3 ${path} "VACUUM INTO '<private temp file>'"`],
        async dump() {
            const dir = privateTempDir('slipway-sqlite-', context.env);
            const copy = (0,external_node_path_.join)(dir.path, 'backup.sqlite');
            try {
                for (let attempt = 1;; attempt++) {
                    try {
                        (0,external_node_fs_.rmSync)(copy, { force: true }); // VACUUM INTO wants a new file
                        await sqlite(path, `VACUUM INTO ${sqlString(copy)}`);
                        break;
                    }
                    catch (error) {
                        if (!busy(error) || attempt >= BUSY_ATTEMPTS)
                            throw error;
                        context.log(`${path} is busy (attempt ${attempt} of ${BUSY_ATTEMPTS}); trying again`);
                    }
                }
            }
            catch (error) {
                dir.remove(); // no partial copy is left behind
                throw error;
            }
            return {
                stream: (0,external_node_fs_.createReadStream)(copy),
                done: Promise.resolve(),
                cleanup: async () => dir.remove()
            };
        },
        async isEmpty() {
            if (!(0,external_node_fs_.existsSync)(path))
                return true;
            return ((await sqlite(path, "select count(*) from sqlite_master where name not like 'sqlite_%'")) === '0');
        },
        async restore(input, { clean }) {
            // Beside the target (same filesystem, same permissions on the data), removed however
            // the restore ends, also when the action is cancelled.
            const dir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)((0,external_node_fs_.existsSync)((0,external_node_path_.dirname)(path)) ? (0,external_node_path_.dirname)(path) : (0,external_node_os_.tmpdir)(), '.slipway-restore-'));
            const forget = onCleanup(() => (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true }));
            try {
                const staged = (0,external_node_path_.join)(dir, 'restore.sqlite');
                if (typeof input === 'function') {
                    const producer = input();
                    await settleAll([producer.done, (0,promises_.pipeline)(producer.stream, (0,external_node_fs_.createWriteStream)(staged))]);
                }
                else
                    await (0,promises_.pipeline)(input, (0,external_node_fs_.createWriteStream)(staged));
                const check = await sqlite(staged, 'pragma integrity_check');
                if (check !== 'ok')
                    throw new Error(`the restored SQLite file fails its integrity check: ${check.split('\n')[0]}`);
                void clean; // the caller refused a non-empty target unless clean was set
                await sqlite(path, `.restore ${dotArg(staged)}`);
            }
            finally {
                forget();
                (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
            }
        },
        async fingerprint() {
            const result = [];
            for (const table of await tables(path)) {
                const rows = Number(await sqlite(path, `select count(*) from ${sqlite_quoteIdent(table)}`));
                // -quote prints values unambiguously (strings quoted, blobs as X'..'); scan order is
                // rowid / primary-key order, the same in an exact page copy.
                const program = startProgram('sqlite3', ['-bail', '-batch', '-quote', ...busyTimeout, path, `select * from ${sqlite_quoteIdent(table)}`], { ...common, label: 'sqlite3' });
                program.stdin.end();
                const hash = process.getBuiltinModule('node:crypto').createHash('sha256');
                await settle((async () => {
                    for await (const chunk of program.stdout)
                        hash.update(chunk);
                })(), program.done, program.kill);
                result.push({ name: table, rows, checksum: hash.digest('hex') });
            }
            return result;
        },
        async scratch() {
            const dir = privateTempDir('slipway-verify-', context.env);
            const scratchPath = (0,external_node_path_.join)(dir.path, 'scratch.sqlite');
            return {
                driver: sqliteDriver({ ...connection, path: scratchPath, display: `sqlite://${scratchPath}` }, context),
                drop: async () => dir.remove()
            };
        },
        close: async () => undefined
    };
    return driver;
}

;// CONCATENATED MODULE: ./packages/backup/src/engines/index.ts




function createDriver(connection, context) {
    switch (connection.engine) {
        case 'postgres':
            return postgresDriver(connection, context);
        case 'mysql':
        case 'mariadb':
            return mysqlDriver(connection, context);
        case 'sqlite':
            return sqliteDriver(connection, context);
        case 'files':
            return filesDriver(connection, context);
    }
}

;// CONCATENATED MODULE: ./packages/backup/src/manifest.ts
/** `<name>-<UTC timestamp>-<random>`: sorts by time within a name, unique across parallel jobs. */
function newBackupId(name, now = new Date()) {
    const stamp = now
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
    // node:crypto taken here, not at import: a backup starts its dump before it loads it.
    const { randomBytes } = process.getBuiltinModule('node:crypto');
    return `${sanitizeName(name)}-${stamp}-${randomBytes(3).toString('hex')}`;
}
/** Backup names become file and artifact names: keep them to a safe alphabet. */
function sanitizeName(name) {
    const clean = name
        .toLowerCase()
        .replace(/[^a-z0-9._-]+/g, '-')
        .replace(/^[-.]+|[-.]+$/g, '')
        .slice(0, 60);
    return clean || 'backup';
}
const MANIFEST_SUFFIX = '.manifest.json';
function manifestFileName(id) {
    return `${id}${MANIFEST_SUFFIX}`;
}
const ID = /^[A-Za-z0-9._-]+$/;
/** Parses a manifest and checks the fields restore relies on. */
function parseManifest(text, origin) {
    let value;
    try {
        value = JSON.parse(text);
    }
    catch (error) {
        throw new Error(`${origin} is not valid JSON: ${error.message}`, { cause: error });
    }
    const problems = [];
    if (value?.version !== 1)
        problems.push('version is not 1');
    if (typeof value?.id !== 'string' || !ID.test(value.id))
        problems.push('id');
    if (typeof value?.file !== 'string' || !ID.test(value.file))
        problems.push('file');
    if (typeof value?.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(value.sha256))
        problems.push('sha256');
    if (typeof value?.size !== 'number')
        problems.push('size');
    if (typeof value?.created !== 'string' || Number.isNaN(Date.parse(value.created)))
        problems.push('created');
    if (problems.length > 0)
        throw new Error(`${origin} is not a Slipway backup manifest (bad ${problems.join(', ')})`);
    return value;
}
/** Why a manifest was left out of `list` (and so out of `latest`), for a warning. */
function skippedManifest(file, reason) {
    return `skipped backup manifest ${file}: ${reason}; it is not listed, so latest may be an older backup`;
}
/** Newest first; the id breaks ties (same second). */
function byNewest(a, b) {
    return Date.parse(b.created) - Date.parse(a.created) || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0);
}

;// CONCATENATED MODULE: ./packages/backup/src/find.ts


/** Complete backups in the store, newest first. */
async function list(options) {
    const all = await options.store.list();
    return all
        .filter(m => (!options.name || m.name === options.name) &&
        (!options.engine || m.engine === options.engine))
        .sort(byNewest);
}
/**
 * The source of a backup as a comparable key: the engine family and where the data lives,
 * without the user or password (`postgres://app:***@db:5432/app` → `postgres://db:5432/app`).
 */
function sourceKey(source) {
    return source
        .replace(/^(mariadb|mysql):\/\//i, 'mysql://')
        .replace(/^postgresql:\/\//i, 'postgres://')
        .replace(/^([a-z]+:\/\/)[^@/]*@/i, '$1');
}
const family = (engine) => (engine === 'mariadb' ? 'mysql' : engine);
const describeEngines = (engines) => [...new Set(engines.flatMap(e => (family(e) === 'mysql' ? ['mysql', 'mariadb'] : [e])))].join(' or ');
/** A backup by id, or the newest (`latest`, optionally of one name, of one engine and source). */
async function findBackup(store, id, name, selection) {
    const manifests = await list({ store, name });
    if (id && id !== 'latest') {
        const found = manifests.find(m => m.id === id) ?? (await store.list()).find(m => m.id === id);
        if (!found)
            throw new errors/* InputError */.dz('backup-id', `the id of a backup in ${store.describe()} (or latest)`, id);
        return found;
    }
    const named = name ? ` named ${name}` : '';
    if (!selection) {
        const newest = manifests[0];
        if (!newest)
            throw new errors/* InputError */.dz('backup-id', `latest, but ${store.describe()} holds no backups${named}`, id ?? 'latest');
        return newest;
    }
    const families = new Set(selection.engines.map(family));
    const ofEngine = manifests.filter(m => families.has(family(m.engine)));
    if (ofEngine.length === 0)
        throw new errors/* InputError */.dz('backup-id', `latest, but ${store.describe()} holds no ${describeEngines(selection.engines)} backups${named}`, id ?? 'latest');
    if (selection.source !== undefined) {
        const wanted = sourceKey(selection.source);
        const newest = ofEngine.find(m => sourceKey(m.source) === wanted);
        if (!newest)
            throw new errors/* InputError */.dz('backup-id', `latest, but ${store.describe()} holds no backups${named} of ${selection.source}`, id ?? 'latest');
        return newest;
    }
    if (selection.target !== undefined) {
        const inPlace = sourceKey(selection.target);
        const newest = ofEngine.find(m => sourceKey(m.source) === inPlace);
        if (newest)
            return newest;
    }
    const sources = [...new Set(ofEngine.map(m => m.source))];
    if (new Set(sources.map(sourceKey)).size > 1)
        throw new errors/* InputError */.dz(name ? 'backup-id' : 'name', `one source to restore from: ${store.describe()} holds backups${named} of ${sources.length} sources (${sources.join(', ')}); name the backup-id${name ? '' : ', a name'} or the source`, name ?? undefined);
    return ofEngine[0];
}

// EXTERNAL MODULE: ./packages/kit/src/ports.ts
var ports = __webpack_require__(13508);
;// CONCATENATED MODULE: ./packages/kit/src/progress.ts
/** How often a wait says it is still waiting: GitHub's log looks stuck after a quiet minute. */
const HEARTBEAT_MS = 15_000;
/**
 * A heartbeat for one wait. Driven by ticks rather than a timer so a test's clock decides when
 * a line is due, and a wait that ends prints nothing more.
 */
function heartbeat(progress, clock, everyMs = HEARTBEAT_MS, describe) {
    const interval = Math.max(1, everyMs);
    const started = clock.now();
    let last = started;
    let lines = 0;
    const tick = () => {
        const now = clock.now();
        if (now - last < interval)
            return;
        last = now;
        lines++;
        progress.info(describe(now - started));
    };
    return {
        tick,
        async sleep(ms) {
            const until = clock.now() + Math.max(0, ms);
            // Bounded by the slices a pause of `ms` holds, whatever the clock does.
            for (let slice = 0; slice <= Math.ceil(ms / interval) + 2; slice++) {
                const left = until - clock.now();
                if (left <= 0)
                    break;
                await clock.sleep(Math.max(1, Math.min(left, interval - (clock.now() - last))));
                // A line due as the sleep ends is left to the caller, who knows more by then.
                if (until - clock.now() > 0)
                    tick();
            }
        },
        get lines() {
            return lines;
        }
    };
}
/**
 * Runs `fn` inside a collapsible group of the log when the progress port has groups (the
 * action front end), else after a header line (the CLI, tests), so each stage reads as one block.
 */
async function inGroup(progress, name, fn) {
    if (progress.group)
        return progress.group(name, fn);
    progress.info(`── ${name} ──`);
    return fn();
}

;// CONCATENATED MODULE: ./packages/backup/src/progress.ts


/**
 * Counts bytes as they move and logs how much is done and how fast, at most once per interval,
 * so a long dump, checksum pass or restore shows in the log that it is moving. A timer ticks as
 * well as the data, so a stalled stream still says so; `stop()` ends it.
 */
class ByteMeter {
    bytes = 0;
    beat;
    timer;
    stopped = false;
    constructor(log, label, options = {}) {
        const { total, everyMs } = options;
        const clock = options.clock ?? ports/* systemClock */.m;
        this.beat = heartbeat({ info: log }, { now: () => clock.now(), sleep: ports/* systemClock */.m.sleep }, everyMs, elapsed => {
            const done = total === undefined
                ? formatBytes(this.bytes)
                : `${formatBytes(this.bytes)} of ${formatBytes(total)}`;
            return `${label}: ${done} done, ${formatByteRate(this.bytes, elapsed)}`;
        });
        this.timer = setInterval(() => this.beat.tick(), Math.max(1, everyMs ?? 15_000));
        this.timer.unref();
    }
    add(count) {
        this.bytes += count;
        if (!this.stopped)
            this.beat.tick();
    }
    /** No more lines: the data has all moved, or the stream failed. */
    stop() {
        this.stopped = true;
        clearInterval(this.timer);
    }
    /** Lines logged so far. */
    get lines() {
        return this.beat.lines;
    }
}
/** A pass-through stream stage that meters what flows through it (see ByteMeter). */
class MeterStage extends external_node_stream_.Transform {
    meter;
    constructor(log, label, everyMs, options = {}) {
        super();
        this.meter = new ByteMeter(log, label, { ...options, everyMs });
        const stop = () => this.meter.stop();
        this.once('end', stop);
        this.once('close', stop);
        this.once('error', stop);
    }
    _transform(chunk, _encoding, callback) {
        this.meter.add(chunk.length);
        callback(null, chunk);
    }
    get bytes() {
        return this.meter.bytes;
    }
    /** Lines logged so far. */
    get lines() {
        return this.meter.lines;
    }
}

;// CONCATENATED MODULE: ./packages/backup/src/integrity.ts








/** A pass's progress, from the run's log, its interval and its clock. */
function fileProgress(context, label) {
    return { log: context.log, label, everyMs: context.progressEveryMs, clock: context.clock };
}
/**
 * Reads the whole file once and compares size and SHA-256 with the manifest, before anything is
 * restored. On a large backup this pass takes a while of its own: it logs its progress too.
 */
async function checkIntegrity(path, manifest, progress) {
    const hash = process.getBuiltinModule('node:crypto').createHash('sha256');
    let size = 0;
    const meter = progress
        ? new ByteMeter(progress.log, `${progress.label}: checking sha256`, {
            everyMs: progress.everyMs,
            total: manifest.size,
            clock: progress.clock
        })
        : undefined;
    try {
        for await (const chunk of (0,external_node_fs_.createReadStream)(path, { highWaterMark: 1024 * 1024 })) {
            hash.update(chunk);
            size += chunk.length;
            meter?.add(chunk.length);
        }
    }
    finally {
        meter?.stop();
    }
    const sha256 = hash.digest('hex');
    if (sha256 !== manifest.sha256 || size !== manifest.size) {
        const sizes = size === manifest.size ? `${size} bytes` : `${size} bytes instead of ${manifest.size}`;
        throw new IntegrityError(`backup ${manifest.id} is corrupted or truncated: sha256 ${sha256} does not match the manifest's ${manifest.sha256} (${sizes}); nothing was restored`);
    }
}
/**
 * The backup file decoded (decrypted, decompressed) as a stream, or as a function that starts
 * a decoding program whose stdout pipe the client program reads directly. `done` settles when the
 * decoding finished; decoding errors say the backup is corrupted. With `progress`, the bytes of
 * the backup file read so far are logged against its size (the decoded size is not known).
 */
async function decodeBackup(path, manifest, identities, progress) {
    const meter = () => progress
        ? new MeterStage(progress.log, progress.label, progress.everyMs, {
            total: manifest.size,
            clock: progress.clock
        })
        : new external_node_stream_.PassThrough();
    if (!manifest.encryption && manifest.compression === 'zstd') {
        // Node feeds zstd the compressed file (counting it as it goes) and zstd writes straight into
        // the client program's stdin: the decompressed bytes never pass through Node. The consumer
        // starts it (same tick as itself: a child's stdout left open across an event-loop turn
        // would be read by Node, and those bytes lost to the consumer).
        const source = () => {
            const zstd = startProgram('zstd', ['-q', '-d', '-c'], { label: 'zstd decompression' });
            const feeding = (0,promises_.pipeline)((0,external_node_fs_.createReadStream)(path), meter(), zstd.stdin);
            // zstd's own error (a corrupted frame) says more than the broken pipe that follows it.
            const done = settle(feeding, zstd.done, zstd.kill).catch(error => Promise.reject(new Error(`${error.message} (the backup is corrupted or truncated)`)));
            return { stream: zstd.stdout, done };
        };
        return { stream: source, done: [] };
    }
    const stages = [];
    if (manifest.encryption) {
        if (identities.length === 0)
            throw new errors/* InputError */.dz('age-identity', `an age identity: backup ${manifest.id} is encrypted`, undefined);
        stages.push(await decryptStage(identities));
    }
    const decompress = decompressStage(manifest.compression);
    if (decompress)
        stages.push(decompress);
    const out = new external_node_stream_.PassThrough({ highWaterMark: 1024 * 1024 });
    const piping = (0,promises_.pipeline)((0,external_node_fs_.createReadStream)(path), meter(), ...stages.map(stage => stage.stream), out);
    return {
        stream: out,
        done: [piping, ...stages.flatMap(stage => (stage.done ? [stage.done] : []))]
    };
}

;// CONCATENATED MODULE: ./packages/backup/src/verify.ts






/**
 * Checks the file against its manifest, restores it into a scratch target (a temp database
 * on the same server, a temp SQLite file, a temp directory), compares row counts and
 * checksums with the source, and removes the scratch target.
 */
async function verify(options) {
    const context = driverContext(options);
    const spec = options.source;
    // `latest` takes only a backup of the source's engine and of that source, when they are known.
    const asked = 'display' in spec ? spec.engine : (spec.engine ?? engineFromUrl(spec.url));
    const manifest = await findBackup(options.store, options.id, options.name, asked
        ? {
            engines: [checkEngine(asked)],
            source: toConnection({ ...spec, engine: asked }, context).display
        }
        : undefined);
    // A source without an engine or a URL scheme is taken to be of the backup's engine.
    const connection = toConnection('display' in spec
        ? spec
        : { ...spec, engine: spec.engine ?? (engineFromUrl(spec.url) ? undefined : manifest.engine) }, context);
    if (!compatible(manifest.engine, connection.engine)) {
        throw new errors/* InputError */.dz('engine', `the engine of backup ${manifest.id} (${manifest.engine})`, connection.engine);
    }
    if (options.dryRun) {
        const plan = {
            operation: 'verify',
            engine: manifest.engine,
            source: connection.display,
            store: `${options.store.kind}: ${options.store.describe()}`,
            backupId: manifest.id,
            compression: manifest.compression,
            encryption: manifest.encryption ? 'age' : 'none',
            notes: [
                'sha256 check, restore into a scratch target, compare with the source, drop the scratch target'
            ]
        };
        return { id: manifest.id, ok: false, tables: [], differences: [], durationMs: 0, plan };
    }
    const driver = createDriver(connection, context);
    try {
        await driver.probe();
        return await verifyWithDriver(driver, manifest, options.store, options.identities ?? [], context);
    }
    finally {
        await driver.close();
    }
}
async function verifyWithDriver(source, manifest, store, identities, context) {
    const started = Date.now();
    // Every program has its own deadline; this one also bounds what runs in Node (reading the
    // files to compare, waiting on a store), so verify as a whole honours the timeout.
    let timer;
    const deadline = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`verify of ${manifest.id} timed out after ${context.timeoutMs}ms (timeout)`)), context.timeoutMs);
        timer.unref();
    });
    try {
        return await Promise.race([
            deadline,
            restoreAndCompare(source, manifest, store, identities, context, started)
        ]);
    }
    finally {
        clearTimeout(timer);
    }
}
async function restoreAndCompare(source, manifest, store, identities, context, started) {
    const opened = await store.open(manifest);
    try {
        const progress = fileProgress(context, `verify ${manifest.id}`);
        await checkIntegrity(opened.path, manifest, progress);
        const scratch = await source.scratch();
        try {
            // The bytes of the backup file are counted as they are read, whichever program decodes them.
            const decoded = await decodeBackup(opened.path, manifest, identities, {
                ...progress,
                label: `verify ${manifest.id}: restoring`
            });
            await settleAll([...decoded.done, scratch.driver.restore(decoded.stream, { clean: false })]);
            const [expected, actual] = await Promise.all([
                source.fingerprint(),
                scratch.driver.fingerprint()
            ]);
            const result = compare(expected, actual);
            context.log(`Verify ${manifest.id}: ${result.ok ? 'identical' : `${result.differences.length} difference(s)`} (${result.tables.length} compared)`);
            return { id: manifest.id, ...result, durationMs: Date.now() - started };
        }
        finally {
            await scratch.drop();
        }
    }
    finally {
        await opened.release();
    }
}
function compare(expected, actual) {
    const restored = new Map(actual.map(t => [t.name, t]));
    const source = new Map(expected.map(t => [t.name, t]));
    const names = [...new Set([...source.keys(), ...restored.keys()])].sort();
    const differences = [];
    const tables = names.map(name => {
        const a = source.get(name);
        const b = restored.get(name);
        let match = true;
        if (!a) {
            differences.push(`${name}: only in the restored copy`);
            match = false;
        }
        else if (!b) {
            differences.push(`${name}: missing from the restored copy`);
            match = false;
        }
        else if (a.rows !== b.rows) {
            differences.push(`${name}: ${a.rows} in the source, ${b.rows} restored`);
            match = false;
        }
        else if (a.checksum !== b.checksum) {
            differences.push(`${name}: checksums differ`);
            match = false;
        }
        return { name, sourceRows: a?.rows ?? null, restoredRows: b?.rows ?? null, match };
    });
    return { ok: differences.length === 0, tables, differences };
}
/** MySQL and MariaDB dumps restore into each other. */
function compatible(backupEngine, targetEngine) {
    const family = (engine) => (engine === 'mariadb' ? 'mysql' : engine);
    return family(backupEngine) === family(targetEngine);
}

;// CONCATENATED MODULE: ./packages/backup/src/backup.ts












function defaultName(connection) {
    if (connection.engine === 'sqlite')
        return sanitizeName((connection.path ?? 'sqlite')
            .split('/')
            .pop()
            .replace(/\.[^.]*$/, ''));
    if (connection.engine === 'files')
        return 'files';
    return sanitizeName(connection.database ?? connection.engine);
}
/** Counts bytes before compression (the dump's own size) without buffering. */
class CountStage extends external_node_stream_.Transform {
    size = 0;
    _transform(chunk, _encoding, callback) {
        this.size += chunk.length;
        callback(null, chunk);
    }
}
/**
 * Streams a backup: the engine's program → compression → encryption → SHA-256 → the store.
 * Nothing is held whole in memory; the manifest is written only after every stage succeeded.
 */
async function backup(options) {
    const context = driverContext(options);
    const connection = toConnection(options.source, context);
    const driver = createDriver(connection, context);
    const recipients = options.recipients ?? [];
    const compression = resolveCompression(options.compression ?? 'auto', context.env);
    const name = sanitizeName(options.name ?? defaultName(connection));
    const plan = {
        operation: 'backup',
        engine: connection.engine,
        source: connection.display,
        store: `${options.store.kind}: ${options.store.describe()}`,
        name,
        compression,
        encryption: recipients.length ? `age, ${recipients.length} recipient(s)` : 'none',
        commands: driver.plan(),
        notes: options.verify ? ['verify: restore into a scratch target and compare'] : []
    };
    const encrypt = recipients.length ? await encryptStage(recipients) : undefined; // validates recipients, also in a dry run
    options.store.accept?.({ encrypted: encrypt !== undefined }); // also refused in a dry run
    if (options.verify && recipients.length && !options.identities?.length) {
        throw new errors/* InputError */.dz('age-identity', 'an age identity, to verify an encrypted backup', undefined);
    }
    if (options.dryRun)
        return { dryRun: true, plan };
    const started = Date.now();
    let staged;
    let dump;
    let piping;
    try {
        // A driver whose dump connects exactly as its probe does and names the server's version
        // and its own (pg_dump) is its own probe: the dump's first byte does not wait for a second
        // process and connection, and no version query competes with it for the CPU
        // (bench/results/backup.md). The probe then runs only to explain a failure.
        const dumpProbes = driver.fromDumpHeader !== undefined;
        let serverVersion = dumpProbes ? undefined : await driver.probe();
        // The dump starts before the backup's id and staged file: its connection and catalog
        // queries overlap the rest of the set-up instead of following it.
        dump = await driver.dump({ compressed: compression !== 'none' });
        const id = newBackupId(name);
        const file = `${id}${driver.extension}${extensionFor(compression, recipients.length > 0)}`;
        plan.backupId = id;
        staged = await options.store.stage(file);
        let source = dump.stream;
        const stages = [];
        const programs = [dump.done];
        let counter;
        let zstd;
        if (compression === 'zstd' && dump.pipe) {
            // zstd reads pg_dump/mysqldump/tar's pipe itself: the uncompressed bytes never pass
            // through Node (see bench/results/backup.md).
            zstd = startProgram('zstd', ZSTD_BANNER_ARGS, {
                label: 'zstd',
                stdinFrom: dump.stream,
                baseEnv: context.env
            });
            source = zstd.stdout;
            programs.push(zstd.done);
        }
        else {
            counter = new CountStage();
            stages.push({ stream: counter });
            const compress = compressStage(compression);
            if (compress)
                stages.push(compress);
        }
        if (encrypt)
            stages.push(encrypt);
        const hasher = new HashStage();
        const meter = new MeterStage(context.log, `backup ${id}`, context.progressEveryMs, {
            clock: context.clock
        });
        const head = dumpProbes ? new HeadStage() : undefined;
        piping = (0,promises_.pipeline)(source, ...(head ? [head] : []), ...stages.map(s => s.stream), meter, hasher, (0,external_node_fs_.createWriteStream)(staged, { mode: 0o600 }) // a dump holds every row: owner only
        );
        context.log(`Backing up ${connection.display} to ${options.store.describe()} as ${id}`);
        // Asked while the dump runs, not after it; only once the data path is running, as each
        // spawn holds Node's thread for a moment and pg_dump waits on a full pipe until zstd reads.
        // A dump that names its program's version, and a piped zstd that prints its banner, need
        // no query at all.
        const askedTools = dumpProbes ? undefined : driver.tools();
        const askedZstd = compression === 'zstd' && !zstd ? toolVersion('zstd', ['-V'], context.env) : undefined;
        askedTools?.catch(() => undefined);
        askedZstd?.catch(() => undefined);
        try {
            await settleAll([...programs, ...stages.flatMap(s => (s.done ? [s.done] : [])), piping]);
        }
        catch (error) {
            // An unreachable source, a wrong password, a missing database: the probe's InputError
            // names the input; a reachable source leaves the dump's own error.
            if (dumpProbes)
                await driver.probe();
            throw error;
        }
        let driverTools = await askedTools;
        // A piped zstd that printed no banner is asked after all.
        const zstdVersion = compression === 'zstd'
            ? ((zstd && zstdVersionFromBanner(zstd.stderrStart)) ??
                (await (askedZstd ?? toolVersion('zstd', ['-V'], context.env))))
            : undefined;
        if (head && driver.fromDumpHeader) {
            const start = zstd ? await zstdPrefix(head.head) : head.head;
            const header = start && driver.fromDumpHeader(start);
            serverVersion = header ? header.serverVersion : await driver.probe();
            driverTools = header && header.tools ? header.tools : await driver.tools();
        }
        const manifest = {
            version: 1,
            id,
            name,
            engine: connection.engine,
            format: driver.format,
            serverVersion,
            source: connection.display,
            database: connection.database,
            file,
            size: hasher.size,
            sha256: hasher.digest(),
            ...(counter ? { rawSize: counter.size } : {}),
            created: new Date(started).toISOString(),
            durationMs: Date.now() - started,
            compression,
            encryption: recipients.length
                ? { type: 'age', recipients: recipients.map(recipientFingerprint) }
                : null,
            tools: {
                ...driverTools,
                ...(zstdVersion !== undefined ? { zstd: zstdVersion } : {}),
                ...(compression === 'gzip' ? { gzip: `node zlib ${process.versions.zlib}` } : {}),
                ...(recipients.length ? { age: 'age-encryption (npm)' } : {}),
                node: process.version
            },
            ...(dump.fileCount !== undefined ? { fileCount: dump.fileCount } : {})
        };
        const location = await options.store.commit(manifest, staged);
        staged = undefined;
        context.log(`Backup ${id}: ${formatBytes(manifest.size)} in ${(0,duration/* formatDuration */.a)(manifest.durationMs)} (${formatByteRate(manifest.size, manifest.durationMs)}), sha256 ${manifest.sha256}`);
        let verify;
        if (options.verify)
            verify = await verifyWithDriver(driver, manifest, options.store, options.identities ?? [], context);
        return { dryRun: false, plan, manifest, location, verify };
    }
    finally {
        if (dump && !piping) {
            // Started but never read (the store could not stage the file): closing our end stops
            // the program at its next write, and its failure is this one's consequence.
            dump.stream.destroy();
            await dump.done.catch(() => undefined);
        }
        if (staged)
            await options.store.abort(staged);
        await dump?.cleanup();
        await driver.close();
    }
}

;// CONCATENATED MODULE: ./packages/backup/src/restore.ts










/**
 * Restores a backup: SHA-256 checked against the manifest first (a corrupted file restores
 * nothing), then streamed through decryption and decompression into the client program.
 * A non-empty target is refused unless `clean` is set. Rollback calls this.
 */
async function restore(options) {
    const context = driverContext(options);
    const spec = options.target;
    const engines = requestedEngines(spec);
    const source = options.source ? toConnection(options.source, context) : undefined;
    const manifest = await findBackup(options.store, options.id, options.name, {
        engines,
        source: source?.display,
        target: targetDisplay(spec, engines, context)
    });
    // An explicit id of another engine is refused before anything is opened or written.
    if (!engines.some(engine => compatible(manifest.engine, engine)))
        throw new errors/* InputError */.dz('engine', `the engine of backup ${manifest.id} (${manifest.engine})`, engines.join(' or '));
    let connection;
    if ('display' in spec)
        connection = spec;
    else if (manifest.engine === 'files') {
        // A directory: the target URL, or else the source's base-dir (restoring in place, as
        // rollback does with clean: true).
        const dir = spec.url ?? spec.baseDir;
        if (!dir)
            throw new errors/* InputError */.dz(spec.input ?? 'target', 'a directory to restore the files into', undefined);
        connection = {
            engine: 'files',
            path: (0,external_node_path_.resolve)(dir),
            display: (0,external_node_path_.resolve)(dir),
            input: spec.input ?? 'target'
        };
    }
    else
        connection = parseSource({
            ...spec,
            engine: spec.engine ?? manifest.engine,
            env: spec.env ?? context.env
        });
    connection = toConnection(connection, context);
    if (!compatible(manifest.engine, connection.engine)) {
        throw new errors/* InputError */.dz('engine', `the engine of backup ${manifest.id} (${manifest.engine})`, connection.engine);
    }
    const plan = {
        operation: 'restore',
        engine: manifest.engine,
        source: manifest.source,
        store: `${options.store.kind}: ${options.store.describe()}`,
        backupId: manifest.id,
        target: connection.display,
        compression: manifest.compression,
        encryption: manifest.encryption ? 'age' : 'none',
        notes: [
            options.clean
                ? 'clean: objects in the backup replace those in the target'
                : 'refused if the target is not empty'
        ]
    };
    if (options.dryRun)
        return { dryRun: true, plan, manifest, target: connection.display, durationMs: 0 };
    if (manifest.encryption && !options.identities?.length) {
        throw new errors/* InputError */.dz('age-identity', `an age identity: backup ${manifest.id} is encrypted`, undefined);
    }
    const started = Date.now();
    const driver = createDriver(connection, context);
    try {
        if (connection.engine !== 'sqlite' && connection.engine !== 'files')
            await driver.probe({ target: true });
        if (!options.clean && !(await driver.isEmpty())) {
            throw new NonEmptyTargetError(`the restore target ${connection.display} is not empty; set clean: true to replace its content with backup ${manifest.id}`);
        }
        const opened = await options.store.open(manifest);
        try {
            const progress = fileProgress(context, `restore ${manifest.id}`);
            await checkIntegrity(opened.path, manifest, progress);
            context.log(`Restoring ${manifest.id} into ${connection.display}`);
            const decoded = await decodeBackup(opened.path, manifest, options.identities ?? [], progress);
            await settleAll([
                ...decoded.done,
                driver.restore(decoded.stream, { clean: options.clean ?? false })
            ]);
        }
        finally {
            await opened.release();
        }
        return {
            dryRun: false,
            plan,
            manifest,
            target: connection.display,
            durationMs: Date.now() - started
        };
    }
    finally {
        await driver.close();
    }
}
/**
 * The engines a restore target may take: the one it names (or its URL's scheme names); a
 * bare path is a SQLite file or a directory for files.
 */
function requestedEngines(spec) {
    if ('display' in spec)
        return [spec.engine];
    if (spec.engine)
        return [checkEngine(spec.engine)];
    const fromUrl = engineFromUrl(spec.url);
    if (fromUrl)
        return [fromUrl];
    if (spec.paths?.length)
        return ['files'];
    if (spec.url)
        return ['sqlite', 'files'];
    throw new errors/* InputError */.dz('engine', `the engine of the restore target (${types/* ENGINES */.u.join(', ')}) when ${spec.input ?? 'target'} is not a URL`, undefined);
}
/** The target as a backup source would be written, to recognise an in-place restore. */
function targetDisplay(spec, engines, context) {
    if ('display' in spec)
        return spec.display;
    try {
        return toConnection({ ...spec, engine: spec.engine ?? engines[0] }, context).display;
    }
    catch {
        return undefined; // not a complete source (a directory to restore files into)
    }
}

;// CONCATENATED MODULE: ./packages/backup/src/retention.ts



/**
 * Which backups a policy deletes, per backup name: beyond the newest `keepLast`, or older
 * than `maxAgeMs`. The newest backup of each name is always kept, so pruning never leaves
 * a name with nothing to restore.
 */
function selectForDeletion(manifests, policy, now = Date.now()) {
    const keep = [];
    const remove = [];
    const byName = new Map();
    for (const manifest of manifests)
        byName.set(manifest.name, [...(byName.get(manifest.name) ?? []), manifest]);
    for (const group of byName.values()) {
        group.sort(byNewest).forEach((manifest, index) => {
            const tooMany = policy.keepLast !== undefined && index >= policy.keepLast;
            const tooOld = policy.maxAgeMs !== undefined && now - Date.parse(manifest.created) > policy.maxAgeMs;
            if (index > 0 && (tooMany || tooOld))
                remove.push(manifest);
            else
                keep.push(manifest);
        });
    }
    return { keep: keep.sort(byNewest), remove: remove.sort(byNewest) };
}
async function prune(options) {
    if (options.keepLast === undefined && options.maxAgeMs === undefined) {
        throw new errors/* InputError */.dz('keep-last', 'a retention rule: keep-last and/or max-age', undefined);
    }
    if (options.keepLast !== undefined && options.keepLast < 1)
        throw new errors/* InputError */.dz('keep-last', 'a whole number of at least 1', String(options.keepLast));
    const { keep, remove } = selectForDeletion(await list({ store: options.store, name: options.name }), options, options.now);
    if (!options.dryRun) {
        for (const manifest of remove) {
            options.log?.(`Deleting backup ${manifest.id} (${manifest.created})`);
            await options.store.delete(manifest);
        }
    }
    return { dryRun: options.dryRun ?? false, kept: keep, deleted: remove };
}

;// CONCATENATED MODULE: ./packages/backup/src/stores/artifact.ts





/**
 * The workflow artifact store (@actions/artifact v6). Each backup is two artifacts uploaded
 * without a zip wrapper (`skipArchive`): the data file and `<id>.manifest.json`, manifest
 * last, so a listed manifest always has its data. Downloads go to a temp dir until released.
 * An unencrypted backup is refused unless `allowUnencrypted` is set.
 */
function artifactStore(options = {}) {
    // Loaded on first use: the artifact client (with the Azure SDK) is most of the bundle, and
    // a dir-store run should not pay its start-up time.
    let loaded;
    const getClient = () => (loaded ??= options.client
        ? Promise.resolve(options.client)
        : Promise.all(/* import() */[__webpack_require__.e(659), __webpack_require__.e(584)]).then(__webpack_require__.bind(__webpack_require__, 20584)).then(m => new m.DefaultArtifactClient()));
    const find = options.findBy ? { findBy: options.findBy } : {};
    const work = () => (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'slipway-artifact-'));
    const staging = new Map();
    const warn = options.warn ?? (() => undefined);
    const artifacts = async () => (await (await getClient()).listArtifacts({ latest: true, ...find })).artifacts;
    /** Downloads one raw (non-zip) artifact into a fresh directory; returns the file's path. */
    const download = async (artifact) => {
        const dir = work();
        await (await getClient()).downloadArtifact(artifact.id, { path: dir, skipDecompress: true, ...find });
        const [file] = (0,external_node_fs_.readdirSync)(dir);
        if (!file)
            throw new Error(`artifact ${artifact.name} (${artifact.id}) downloaded nothing`);
        return { path: (0,external_node_path_.join)(dir, file), dir };
    };
    return {
        kind: 'artifact',
        describe: () => options.findBy
            ? `workflow run ${options.findBy.workflowRunId} artifacts`
            : 'workflow artifacts',
        accept({ encrypted }) {
            if (encrypted || options.allowUnencrypted)
                return;
            throw new errors/* InputError */.dz('encrypt-recipients', "age recipients (age1…) for a backup kept as a workflow artifact, which anyone who can read the repository's artifacts can download (or set allow-unencrypted-artifact: true to store it unencrypted, or use store: dir)", undefined);
        },
        async stage(file) {
            const dir = work();
            // skipArchive names the artifact after the file, so the staged file has its final name.
            const path = (0,external_node_path_.join)(dir, file);
            staging.set(path, dir);
            return path;
        },
        async commit(manifest, staged) {
            const dir = staging.get(staged);
            const upload = {
                skipArchive: true,
                ...(options.retentionDays ? { retentionDays: options.retentionDays } : {})
            };
            const client = await getClient();
            const data = await client.uploadArtifact(manifest.file, [staged], dir, upload);
            const manifestPath = (0,external_node_path_.join)(dir, manifestFileName(manifest.id));
            (0,external_node_fs_.writeFileSync)(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
            await client.uploadArtifact(manifestFileName(manifest.id), [manifestPath], dir, upload);
            (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
            staging.delete(staged);
            return `artifact ${manifest.file}${data.id ? ` (id ${data.id})` : ''}`;
        },
        async abort(staged) {
            const dir = staging.get(staged);
            if (dir)
                (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
            staging.delete(staged);
        },
        async list() {
            const all = await artifacts();
            const byName = new Map(all.map(a => [a.name, a]));
            const manifests = [];
            for (const artifact of all.filter(a => a.name.endsWith(MANIFEST_SUFFIX))) {
                const { path, dir } = await download(artifact);
                let manifest;
                try {
                    manifest = parseManifest((0,external_node_fs_.readFileSync)(path, 'utf8'), artifact.name);
                }
                catch (error) {
                    // Never skipped silently: `latest` would quietly become an older backup.
                    warn(skippedManifest(artifact.name, error.message));
                    continue;
                }
                finally {
                    (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
                }
                const data = byName.get(manifest.file);
                if (!data) {
                    warn(skippedManifest(artifact.name, `its artifact ${manifest.file} is missing`));
                    continue;
                }
                const problem = mismatch(data, manifest);
                // Listed all the same: restoring it fails on its checksum instead of taking another.
                if (problem)
                    warn(`backup ${manifest.id} (${artifact.name}) does not match its manifest: ${problem}; restoring it will fail its sha256 check`);
                manifests.push(manifest);
            }
            return manifests;
        },
        async open(manifest) {
            const artifact = (await artifacts()).find(a => a.name === manifest.file);
            if (!artifact)
                throw new errors/* UserError */.yo(`artifact ${manifest.file} is missing (expired or deleted?)`, 'restore another backup-id, or raise retention-days for the backups to come');
            const { path, dir } = await download(artifact);
            return { path, release: async () => (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true }) };
        },
        location: manifest => `artifact ${manifest.file}`,
        async delete(manifest) {
            const client = await getClient();
            await client.deleteArtifact(manifestFileName(manifest.id), find);
            await client.deleteArtifact(manifest.file, find);
        }
    };
}
/** How a data artifact differs from its manifest, by the size and digest the service lists. */
function mismatch(artifact, manifest) {
    if (artifact.digest && artifact.digest !== `sha256:${manifest.sha256}`)
        return `artifact ${artifact.name} has digest ${artifact.digest}, the manifest sha256:${manifest.sha256}`;
    if (Number.isFinite(artifact.size) && artifact.size !== manifest.size)
        return `artifact ${artifact.name} has ${artifact.size} bytes instead of ${manifest.size}`;
    return undefined;
}

;// CONCATENATED MODULE: ./packages/backup/src/stores/dir.ts




/**
 * A local or mounted directory. The data file is written as `<file>.partial` and renamed
 * when complete, and the manifest is written last (atomically, by rename): a backup without
 * a manifest is incomplete and is never listed or restored. Dumps and manifests are 0600 and a
 * store directory we create is 0700: a dump holds every row of the database.
 */
function dirStore(path, options = {}) {
    const root = (0,external_node_path_.resolve)(path);
    const warn = options.warn ?? (() => undefined);
    return {
        kind: 'dir',
        describe: () => root,
        async stage(file) {
            (0,external_node_fs_.mkdirSync)(root, { recursive: true, mode: 0o700 });
            return (0,external_node_path_.join)(root, `${file}.partial`);
        },
        async commit(manifest, staged) {
            const final = (0,external_node_path_.join)(root, manifest.file);
            (0,external_node_fs_.renameSync)(staged, final);
            const temp = (0,external_node_path_.join)(root, `.${manifestFileName(manifest.id)}.tmp`);
            (0,external_node_fs_.writeFileSync)(temp, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
            (0,external_node_fs_.renameSync)(temp, (0,external_node_path_.join)(root, manifestFileName(manifest.id)));
            return final;
        },
        async abort(staged) {
            (0,external_node_fs_.rmSync)(staged, { force: true });
        },
        async list() {
            if (!(0,external_node_fs_.existsSync)(root))
                return [];
            const manifests = [];
            for (const name of (0,external_node_fs_.readdirSync)(root)) {
                if (!name.endsWith(MANIFEST_SUFFIX) || name.startsWith('.'))
                    continue;
                let manifest;
                try {
                    manifest = parseManifest((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(root, name), 'utf8'), name);
                }
                catch (error) {
                    // Never skipped silently: `latest` would quietly become an older backup.
                    warn(skippedManifest(name, error.message));
                    continue;
                }
                const data = (0,external_node_path_.join)(root, manifest.file);
                const stat = (0,external_node_fs_.existsSync)(data) ? (0,external_node_fs_.lstatSync)(data) : undefined;
                if (!stat?.isFile()) {
                    warn(skippedManifest(name, `its backup file ${manifest.file} is missing`));
                    continue;
                }
                if (stat.size !== manifest.size) {
                    // Listed all the same: restoring it fails on its checksum instead of taking another.
                    warn(`backup ${manifest.id} (${name}) does not match its manifest: ${manifest.file} has ${stat.size} bytes instead of ${manifest.size}; restoring it will fail its sha256 check`);
                }
                manifests.push(manifest);
            }
            return manifests;
        },
        async open(manifest) {
            const file = (0,external_node_path_.join)(root, manifest.file);
            if (!(0,external_node_fs_.existsSync)(file) || !(0,external_node_fs_.statSync)(file).isFile())
                throw new errors/* UserError */.yo(`backup file ${file} is missing`, 'restore another backup-id; this one was removed from the store');
            return { path: file, release: async () => undefined };
        },
        location: manifest => (0,external_node_path_.join)(root, manifest.file),
        async delete(manifest) {
            // Manifest first: a half-deleted backup must not look complete.
            (0,external_node_fs_.rmSync)((0,external_node_path_.join)(root, manifestFileName(manifest.id)), { force: true });
            (0,external_node_fs_.rmSync)((0,external_node_path_.join)(root, manifest.file), { force: true });
        }
    };
}

;// CONCATENATED MODULE: ./packages/backup/src/summary.ts

/** Sizes in the units the progress lines use (`42.0 MB`); empty when unknown. */
function bytes(n) {
    return n === undefined ? '' : formatBytes(n);
}
const seconds = (ms) => (0,duration/* formatDuration */.a)(ms);
function renderBackup(summary, result) {
    const { plan, manifest: m, verify } = result;
    if (result.dryRun || !m) {
        summary.heading('Backup plan (dry run)');
        summary.table(['', ''], planRows(plan));
        summary.paragraph('Nothing was changed.');
        return;
    }
    summary.heading(`Backup ${m.id}`);
    summary.table(['What', 'Engine', 'Size', 'SHA-256', 'Duration', 'Verify'], [
        [
            m.source,
            `${m.engine} ${m.serverVersion ?? ''}`.trim(),
            bytes(m.size),
            `\`${m.sha256.slice(0, 16)}…\``,
            seconds(m.durationMs),
            verify ? (verify.ok ? '✅ identical' : '❌ differs') : 'not run'
        ]
    ]);
    summary.list([
        `Location: \`${result.location}\``,
        `Compression: ${m.compression}${m.rawSize ? ` (${bytes(m.rawSize)} before, ${((100 * m.size) / m.rawSize).toFixed(0)} %)` : ''}`,
        `Encryption: ${m.encryption ? `age, ${m.encryption.recipients.length} recipient(s)` : 'none'}`,
        `Tools: ${Object.entries(m.tools)
            .map(([k, v]) => `${k} ${v}`)
            .join('; ')}`
    ]);
    if (verify)
        renderVerify(summary, verify, 3);
    summary.details('Manifest', `\n\n\`\`\`json\n${JSON.stringify(m, null, 2)}\n\`\`\`\n`);
}
function renderRestore(summary, result) {
    if (result.dryRun) {
        summary.heading('Restore plan (dry run)');
        summary.table(['', ''], planRows(result.plan));
        summary.paragraph('Nothing was changed.');
        return;
    }
    const m = result.manifest;
    summary.heading(`Restored ${m.id}`);
    summary.table(['Backup', 'Created', 'Into', 'Size', 'SHA-256', 'Duration'], [
        [
            m.id,
            m.created,
            result.target,
            bytes(m.size),
            `✅ \`${m.sha256.slice(0, 16)}…\``,
            seconds(result.durationMs)
        ]
    ]);
}
function renderVerify(summary, result, level = 2) {
    if (result.plan) {
        summary.heading('Verify plan (dry run)', level);
        summary.table(['', ''], planRows(result.plan));
        summary.paragraph('Nothing was changed.');
        return;
    }
    summary.heading(`Verify ${result.id}: ${result.ok ? '✅ identical' : '❌ differs'}`, level);
    summary.table(['Table / file', 'Source', 'Restored', 'Match'], result.tables
        .slice(0, 200)
        .map(t => [t.name, t.sourceRows ?? '—', t.restoredRows ?? '—', t.match ? '✅' : '❌']));
    if (result.tables.length > 200)
        summary.paragraph(`… and ${result.tables.length - 200} more.`);
    if (!result.ok)
        summary.list(result.differences);
    summary.paragraph(`Verified in ${seconds(result.durationMs)} (restored into a scratch target, compared, removed).`);
}
function renderList(summary, where, manifests) {
    summary.heading(`Backups in ${where}`);
    if (manifests.length === 0)
        return void summary.paragraph('No backups.');
    summary.table(['Id', 'Engine', 'Created', 'Size', 'Encrypted'], manifests.map(m => [m.id, m.engine, m.created, bytes(m.size), m.encryption ? 'age' : 'no']));
}
function renderPrune(summary, where, result) {
    summary.heading(`Prune ${where}${result.dryRun ? ' (dry run)' : ''}`);
    summary.table(['Id', 'Created', 'Size', 'Action'], [
        ...result.deleted.map(m => [
            m.id,
            m.created,
            bytes(m.size),
            result.dryRun ? 'would delete' : '🗑 deleted'
        ]),
        ...result.kept.map(m => [m.id, m.created, bytes(m.size), 'kept'])
    ]);
}
function planRows(plan) {
    const rows = [
        ['Operation', plan.operation],
        ['Engine', plan.engine],
        ['Source', plan.source],
        ['Store', plan.store]
    ];
    if (plan.name)
        rows.push(['Name', plan.name]);
    if (plan.backupId)
        rows.push(['Backup', plan.backupId]);
    if (plan.target)
        rows.push(['Target', plan.target]);
    if (plan.compression)
        rows.push(['Compression', plan.compression]);
    if (plan.encryption)
        rows.push(['Encryption', plan.encryption]);
    for (const command of plan.commands ?? [])
        rows.push(['Command', `\`${command}\``]);
    for (const note of plan.notes ?? [])
        rows.push(['Note', note]);
    return rows;
}

;// CONCATENATED MODULE: ./packages/backup/src/run-backup.ts









/** Runs the one operation the settings name: backup, restore, verify, list or prune. */
async function runBackupOperation(settings, ports) {
    const { progress } = ports;
    // Damaged manifests and altered backup files become annotations, never silent skips.
    const store = openStore(settings.store, ports);
    const { name, identities, dryRun } = settings;
    // The package logs warnings (special files skipped) as `Warning: …`: they become annotations.
    const log = (message) => message.startsWith('Warning: ') ? progress.warning(message.slice(9)) : progress.info(message);
    const redactor = new redact/* Redactor */.pO();
    for (const secret of settings.secrets)
        redactor.add(secret);
    const options = { redactor, log, timeoutMs: settings.timeoutMs };
    switch (settings.operation) {
        case 'backup': {
            const result = await backup({
                ...options,
                source: settings.source,
                store,
                name,
                compression: settings.compression,
                recipients: settings.recipients,
                identities,
                verify: settings.verify,
                dryRun
            });
            return { operation: 'backup', result };
        }
        case 'restore': {
            const source = settings.source;
            const target = settings.target;
            const result = await restore({
                ...options,
                store,
                id: settings.backupId,
                name,
                target,
                // Restoring into another database: `latest` takes only database-url's backups.
                source: target.input === 'target' && source.url ? source : undefined,
                clean: settings.clean,
                identities,
                dryRun
            });
            return { operation: 'restore', result, location: store.location(result.manifest) };
        }
        case 'verify': {
            const result = await verify({
                ...options,
                store,
                id: settings.backupId,
                name,
                source: settings.source,
                identities,
                dryRun
            });
            return { operation: 'verify', result };
        }
        case 'list':
            return { operation: 'list', store: store.describe(), manifests: await list({ store, name }) };
        case 'prune': {
            const result = await prune({
                store,
                name,
                keepLast: settings.keepLast,
                maxAgeMs: settings.maxAgeMs,
                dryRun,
                log: message => progress.info(message)
            });
            return { operation: 'prune', store: store.describe(), result };
        }
    }
}
function openStore(settings, ports) {
    const warn = (message) => ports.progress.warning(message);
    if (settings.kind === 'dir')
        return dirStore(settings.path, { warn });
    if (!ports.artifacts)
        throw new errors/* UserError */.yo('the artifact store needs GitHub’s artifact service, which only a workflow run provides', 'use store: dir outside GitHub Actions');
    return artifactStore({ ...settings, client: ports.artifacts, warn });
}
/** The artifact client of the runner this process runs in; loaded only for the artifact store. */
async function runnerArtifactClient() {
    // The client (with the Azure SDK) is most of the bundle: a dir-store run does not load it.
    const { DefaultArtifactClient } = await Promise.all(/* import() */[__webpack_require__.e(659), __webpack_require__.e(584)]).then(__webpack_require__.bind(__webpack_require__, 20584));
    return new DefaultArtifactClient();
}
/**
 * The operation's failed gate (a verify that found differences), if it failed one: the user's to
 * fix, with where to look. Every front end throws it as it is.
 */
function backupFailure(result) {
    const verified = result.operation === 'backup'
        ? result.result.verify
        : result.operation === 'verify' && !result.result.plan
            ? result.result
            : undefined;
    if (verified && !verified.ok)
        return new errors/* UserError */.yo(`verify failed: ${verified.differences.join('; ')}`, 'the summary lists what differs between the source and its copy');
    return undefined;
}
/** The action's outputs. */
function backupOutputs(result) {
    switch (result.operation) {
        case 'backup': {
            const { manifest: m, plan, location, verify } = result.result;
            return {
                'backup-id': m?.id ?? plan.backupId,
                manifest: m,
                size: m?.size,
                sha256: m?.sha256,
                location,
                verified: verify?.ok
            };
        }
        case 'restore': {
            const m = result.result.manifest;
            return {
                'backup-id': m.id,
                manifest: m,
                sha256: m.sha256,
                size: m.size,
                location: result.location
            };
        }
        case 'verify':
            return {
                'backup-id': result.result.id,
                verified: result.result.plan ? undefined : result.result.ok
            };
        case 'list':
            return { backups: result.manifests, 'backup-id': result.manifests[0]?.id };
        case 'prune':
            return { deleted: result.result.deleted.map(m => m.id) };
    }
}
/** The job summary of the operation. */
function renderBackupSummary(result, summary) {
    switch (result.operation) {
        case 'backup':
            return renderBackup(summary, result.result);
        case 'restore':
            return renderRestore(summary, result.result);
        case 'verify':
            return renderVerify(summary, result.result);
        case 'list':
            return renderList(summary, result.store, result.manifests);
        case 'prune':
            return renderPrune(summary, result.store, result.result);
    }
}

;// CONCATENATED MODULE: ./actions/backup/src/run.ts


async function run_run(ctx, settings) {
    const result = await runBackupOperation(settings, {
        progress: { info: ctx.info, warning: ctx.warning, group: ctx.group },
        artifacts: settings.store.kind === 'artifact' ? await runnerArtifactClient() : undefined
    });
    reportStage(ctx, result, {
        outputs: backupOutputs,
        render: renderBackupSummary,
        failure: backupFailure
    });
}


/***/ })

};
