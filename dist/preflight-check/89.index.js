export const id = 89;
export const ids = [89];
export const modules = {

/***/ 7089:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run_run)
});

// EXTERNAL MODULE: ./packages/kit/src/summary.ts
var src_summary = __webpack_require__(5300);
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

// EXTERNAL MODULE: ./packages/kit/src/ports.ts
var src_ports = __webpack_require__(3508);
// EXTERNAL MODULE: ./packages/kit/src/redact.ts
var redact = __webpack_require__(727);
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

;// CONCATENATED MODULE: ./packages/probes/src/runner.ts
/**
 * Runs checks in parallel, each with its own timeout and retries, and never throws:
 * a probe that throws or hangs becomes a failed result with the reason.
 * Results come back in the order the checks were given.
 */
async function runChecks(checks, options = {}) {
    const results = new Array(checks.length);
    let next = 0;
    const worker = async () => {
        while (next < checks.length) {
            const index = next++;
            results[index] = await runOne(checks[index], options.deadline);
            options.onResult?.(results[index]);
        }
    };
    const concurrency = Math.max(1, Math.min(options.concurrency ?? 32, checks.length));
    await Promise.all(Array.from({ length: concurrency }, worker));
    return results;
}
async function runOne(check, deadline) {
    const started = Date.now();
    let outcome;
    let attempts = 0;
    let delay = check.retryDelayMs;
    for (;;) {
        attempts++;
        outcome = await attempt(check);
        if (outcome.ok || attempts > check.retries)
            break;
        if (deadline !== undefined && Date.now() + delay >= deadline)
            break;
        await sleep(delay);
        delay = Math.min(delay * 2, 30_000);
    }
    return {
        name: check.name,
        type: check.type,
        severity: check.severity,
        status: outcome.ok ? 'passed' : check.severity === 'warning' ? 'warning' : 'failed',
        message: outcome.message,
        attempts,
        durationMs: Date.now() - started,
        details: outcome.details
    };
}
/** One attempt, bounded by the check's timeout even when the probe ignores its abort signal. */
async function attempt(check) {
    const controller = new AbortController();
    let timer;
    const timeout = new Promise(resolve => {
        timer = setTimeout(() => {
            controller.abort(new Error(`timed out after ${check.timeoutMs}ms`));
            resolve({ ok: false, message: `timed out after ${check.timeoutMs}ms` });
        }, check.timeoutMs);
    });
    try {
        const probe = check
            .run({ signal: controller.signal, timeoutMs: check.timeoutMs })
            .catch((error) => ({
            ok: false,
            message: controller.signal.aborted
                ? `timed out after ${check.timeoutMs}ms`
                : describeError(error)
        }));
        return await Promise.race([probe, timeout]);
    }
    finally {
        clearTimeout(timer);
    }
}
/** Node's network errors hide the useful part in `cause` (fetch) or `code` (sockets). */
function describeError(error) {
    if (!(error instanceof Error))
        return String(error);
    const cause = error.cause;
    if (cause instanceof Error) {
        const code = cause.code;
        return code
            ? `${error.message}: ${code} (${cause.message})`
            : `${error.message}: ${cause.message}`;
    }
    return error.message;
}
function sleep(ms) {
    return new Promise(resolve => setTimeout(resolve, ms));
}
/** Counts for a summary line and the `passed` output: warnings never fail a run. */
function tally(results) {
    const passed = results.filter(r => r.status === 'passed').length;
    const failed = results.filter(r => r.status === 'failed').length;
    const warnings = results.filter(r => r.status === 'warning').length;
    return { passed, failed, warnings, ok: failed === 0 };
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./packages/probes/src/http.ts
var http = __webpack_require__(1385);
// EXTERNAL MODULE: ./packages/probes/src/tcp.ts
var tcp = __webpack_require__(7158);
// EXTERNAL MODULE: external "node:dns/promises"
var external_node_dns_promises_ = __webpack_require__(1553);
;// CONCATENATED MODULE: ./packages/probes/src/dns.ts

/**
 * Passes when the name resolves through the system resolver (getaddrinfo: /etc/hosts, then DNS),
 * which is what the deployment's own clients will use. Names under the reserved `.invalid`
 * top-level domain (RFC 6761) fail without a query: they can never resolve, and a resolver
 * that answers them anyway (a captive portal, a wildcard) must not make the check pass.
 */
const dnsProbe = async (spec, context) => {
    const name = spec.name.trim().replace(/\.$/, '');
    if (isReservedInvalid(name)) {
        return { ok: false, message: `${name}: names under .invalid never resolve (RFC 6761)` };
    }
    const started = performance.now();
    let answers;
    try {
        answers = await abortable((0,external_node_dns_promises_.lookup)(name, { all: true, family: spec.family ?? 0 }), context.signal);
    }
    catch (error) {
        const code = error.code;
        return { ok: false, message: `${name} did not resolve: ${code ?? error.message}` };
    }
    const latencyMs = Math.round(performance.now() - started);
    const addresses = [...new Set(answers.map(answer => answer.address))];
    const details = { addresses, latencyMs };
    if (addresses.length === 0)
        return { ok: false, message: `${name} resolved to no address`, details };
    if (spec.expect &&
        spec.expect.length > 0 &&
        !spec.expect.some(address => addresses.includes(address))) {
        return {
            ok: false,
            message: `${name} resolved to ${addresses.join(', ')}, expected one of ${spec.expect.join(', ')}`,
            details
        };
    }
    return { ok: true, message: `${name} → ${addresses.join(', ')}`, details };
};
function isReservedInvalid(name) {
    const lower = name.toLowerCase().replace(/\.$/, '');
    return lower === 'invalid' || lower.endsWith('.invalid');
}
/** getaddrinfo cannot be cancelled; stop waiting for it when the check's timeout fires. */
function abortable(promise, signal) {
    if (signal.aborted)
        return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        promise.then(value => {
            signal.removeEventListener('abort', onAbort);
            resolve(value);
        }, error => {
            signal.removeEventListener('abort', onAbort);
            reject(error);
        });
    });
}

// EXTERNAL MODULE: ./packages/kit/src/errors.ts
var errors = __webpack_require__(7817);
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

;// CONCATENATED MODULE: ./packages/probes/src/command.ts

const OUTPUT_LINES = 5;
/**
 * Passes when the script exits 0. Our values reach it only through `env`; its output is
 * captured (last lines in the message, the redacted tail in details) and never streamed.
 */
const commandProbe = async (spec, context) => {
    const result = await run('bash', scriptArgs(spec.run), {
        // The user's script: the job's variables, never INPUT_* or ACTIONS_* (hookEnvironment).
        baseEnv: hookEnvironment(),
        env: spec.env,
        cwd: spec.cwd,
        timeoutMs: context.timeoutMs,
        redactor: spec.redactor,
        maxOutputBytes: 64 * 1024
    });
    const output = [result.stdout.trimEnd(), result.stderr.trimEnd()]
        .filter(Boolean)
        .join('\n')
        .trim();
    const tail = output.split('\n').slice(-OUTPUT_LINES).join('\n');
    const details = { exitCode: result.exitCode, signal: result.signal, output: output.slice(-4000) };
    if (result.timedOut)
        return {
            ok: false,
            message: `timed out after ${context.timeoutMs}ms${tail ? `: ${tail}` : ''}`,
            details
        };
    if (result.exitCode === 0)
        return { ok: true, message: `exited 0${tail ? `: ${command_lastLine(tail)}` : ''}`, details };
    const how = result.exitCode === null
        ? `was stopped by ${result.signal ?? 'an error'}`
        : `exited ${result.exitCode}`;
    return { ok: false, message: `${how}${tail ? `: ${tail}` : ''}`, details };
};
function command_lastLine(text) {
    return text.split('\n').at(-1) ?? '';
}

;// CONCATENATED MODULE: ./packages/probes/src/env.ts
/**
 * Passes when every named variable is set to a non-blank value. Only names ever appear in
 * the message and details — values are secrets more often than not.
 */
const envProbe = async (spec) => {
    const env = spec.env ?? process.env;
    const missing = spec.names.filter(name => (env[name] ?? '').trim() === '');
    const present = spec.names.filter(name => !missing.includes(name));
    const details = { present, missing };
    if (missing.length > 0) {
        return {
            ok: false,
            message: `missing or empty: ${missing.join(', ')} (${present.length} of ${spec.names.length} set)`,
            details
        };
    }
    return { ok: true, message: `all ${spec.names.length} set: ${spec.names.join(', ')}`, details };
};

;// CONCATENATED MODULE: ./packages/probes/src/config-schema.ts

/**
 * ajv (three drafts and the formats) and yaml, loaded by the check that uses them rather than
 * by every action that bundles the probes: an input error or a dry run never parses them.
 */
async function loadValidators() {
    const [ajv, ajv2019, ajv2020, formats, { parse: parseYaml }] = await Promise.all([
        Promise.all(/* import() */[__webpack_require__.e(457), __webpack_require__.e(463)]).then(__webpack_require__.t.bind(__webpack_require__, 2463, 23)),
        Promise.all(/* import() */[__webpack_require__.e(457), __webpack_require__.e(878)]).then(__webpack_require__.t.bind(__webpack_require__, 878, 23)),
        Promise.all(/* import() */[__webpack_require__.e(457), __webpack_require__.e(210)]).then(__webpack_require__.t.bind(__webpack_require__, 2210, 23)),
        Promise.all(/* import() */[__webpack_require__.e(457), __webpack_require__.e(196)]).then(__webpack_require__.t.bind(__webpack_require__, 2815, 23)),
        __webpack_require__.e(/* import() */ 815).then(__webpack_require__.t.bind(__webpack_require__, 8815, 19))
    ]);
    // ajv's modules are CommonJS whose module.exports is the class: Node and jest give the named
    // export, but webpack's namespace for a function export (the ncc bundle) carries only
    // `default`, where the named one is undefined ("Ajv is not a constructor").
    const Ajv = (ajv.Ajv ?? ajv.default);
    const Ajv2019 = (ajv2019.Ajv2019 ?? ajv2019.default);
    const Ajv2020 = (ajv2020.Ajv2020 ?? ajv2020.default);
    // ajv-formats is CommonJS with `exports.default`; depending on the loader the default import
    // is the function itself or the module object.
    const addFormatsModule = formats.default;
    const addFormats = (addFormatsModule.default ?? addFormatsModule);
    return { Ajv, Ajv2019, Ajv2020, addFormats, parseYaml };
}
const MAX_ERRORS = 10;
/**
 * Passes when the file parses and is valid against the schema. Every violation is listed with
 * its instance path (`/server/port must be integer`), so the step says what to fix.
 */
const configSchemaProbe = async (spec) => {
    const validators = await loadValidators();
    const schema = await readDocument(validators, spec.schema, 'schema');
    if (!schema.ok)
        return schema.outcome;
    let validate;
    try {
        validate = compile(validators, schema.value);
    }
    catch (error) {
        return {
            ok: false,
            message: `${spec.schema} is not a usable JSON Schema: ${error.message}`
        };
    }
    const document = await readDocument(validators, spec.file, 'config');
    if (!document.ok)
        return document.outcome;
    if (validate(document.value))
        return { ok: true, message: `${spec.file} is valid against ${spec.schema}` };
    const errors = (validate.errors ?? []).map(formatError);
    const shown = errors.slice(0, MAX_ERRORS);
    const more = errors.length > shown.length ? `; and ${errors.length - shown.length} more` : '';
    return {
        ok: false,
        message: `${spec.file} is invalid (${errors.length} error${errors.length === 1 ? '' : 's'}): ${shown.join('; ')}${more}`,
        details: { errors }
    };
};
/** `/server/port must be integer`; the root is shown as `/`. */
function formatError(error) {
    const path = error.instancePath === '' ? '/' : error.instancePath;
    const extra = error.keyword === 'additionalProperties'
        ? ` (${String(error.params.additionalProperty)})`
        : error.keyword === 'enum'
            ? ` (${(error.params.allowedValues ?? []).map(v => JSON.stringify(v)).join(', ')})`
            : '';
    return `${path} ${error.message ?? error.keyword}${extra}`;
}
function compile({ Ajv, Ajv2019, Ajv2020, addFormats }, schema) {
    const draft = typeof schema === 'object' && schema !== null
        ? String(schema.$schema ?? '')
        : '';
    const options = { allErrors: true, strict: false };
    const ajv = draft.includes('2020-12')
        ? new Ajv2020(options)
        : draft.includes('2019-09')
            ? new Ajv2019(options)
            : new Ajv(options);
    addFormats(ajv);
    return ajv.compile(schema);
}
async function readDocument({ parseYaml }, path, what) {
    let text;
    try {
        text = await (0,promises_.readFile)(path, 'utf8');
    }
    catch (error) {
        const code = error.code;
        return {
            ok: false,
            outcome: {
                ok: false,
                message: `cannot read the ${what} file ${path}: ${code ?? error.message}`
            }
        };
    }
    try {
        return { ok: true, value: parseYaml(text, { prettyErrors: false }) };
    }
    catch (error) {
        const reason = error.message.split('\n')[0];
        return {
            ok: false,
            outcome: { ok: false, message: `the ${what} file ${path} is not valid YAML/JSON: ${reason}` }
        };
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
;// CONCATENATED MODULE: ./packages/probes/src/artifact.ts





/**
 * Passes when the artifact is a regular file and, when an expected checksum is known, its
 * SHA-256 (hashed as a stream, so any size works in constant memory) matches.
 */
const artifactProbe = async (spec, context) => {
    let size;
    try {
        const info = await (0,promises_.stat)(spec.path);
        if (!info.isFile())
            return { ok: false, message: `${spec.path} is not a regular file` };
        size = info.size;
    }
    catch (error) {
        return {
            ok: false,
            message: `${spec.path} does not exist (${error.code ?? 'unreadable'})`
        };
    }
    const expected = await expectedChecksum(spec);
    if ('error' in expected)
        return { ok: false, message: expected.error, details: { size } };
    const sha256 = await sha256File(spec.path, context.signal);
    const details = { size, sha256, expected: expected.value, checksumSource: expected.source };
    if (expected.value === undefined) {
        return {
            ok: true,
            message: `${spec.path} exists (${size} bytes, sha256 ${sha256}); no checksum to compare`,
            details
        };
    }
    if (sha256 !== expected.value) {
        return {
            ok: false,
            message: `${spec.path}: sha256 ${sha256} does not match ${expected.value} (from ${expected.source})`,
            details
        };
    }
    return {
        ok: true,
        message: `${spec.path}: sha256 matches ${expected.source} (${size} bytes)`,
        details
    };
};
/** The SHA-256 of a file in lower-case hex, read as a stream. */
async function sha256File(path, signal) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    await (0,external_node_stream_promises_.pipeline)((0,external_node_fs_.createReadStream)(path), hash, { signal });
    return hash.digest('hex');
}
async function expectedChecksum(spec) {
    if (spec.sha256)
        return { value: spec.sha256.toLowerCase(), source: 'the given value' };
    const file = spec.sha256File ?? `${spec.path}.sha256`;
    let text;
    try {
        text = await (0,promises_.readFile)(file, 'utf8');
    }
    catch (error) {
        if (spec.sha256File === undefined && error.code === 'ENOENT')
            return { value: undefined, source: 'none' };
        return {
            error: `cannot read the checksum file ${file}: ${error.code ?? error.message}`
        };
    }
    const value = checksumFor(text, (0,external_node_path_.basename)(spec.path));
    if (!value)
        return { error: `${file} holds no SHA-256 for ${(0,external_node_path_.basename)(spec.path)}` };
    return { value, source: file };
}
/**
 * Reads `sha256sum` output: `<hex>  name` lines (`*name` in binary mode), or a bare hex digest.
 * With several lines, the line naming the artifact wins.
 */
function checksumFor(text, name) {
    const entries = text
        .split('\n')
        .map(line => /^([0-9a-fA-F]{64})(?:\s+\*?(.+?))?\s*$/.exec(line.trim()))
        .filter((match) => match !== null)
        .map(match => ({ hash: match[1].toLowerCase(), name: match[2] }));
    if (entries.length === 1)
        return entries[0].hash;
    return entries.find(entry => entry.name !== undefined && (0,external_node_path_.basename)(entry.name) === name)?.hash;
}

// EXTERNAL MODULE: ./packages/probes/src/disk.ts
var disk = __webpack_require__(844);
// EXTERNAL MODULE: ./packages/probes/src/freeze.ts
var freeze = __webpack_require__(794);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
;// CONCATENATED MODULE: ./packages/probes/src/tls.ts



const DAY_MS = 86_400_000;
/**
 * Completes a TLS handshake and reads the peer certificate: it fails when the certificate
 * is not trusted (unless `insecure` or a matching `ca`), does not match the name, or expires
 * within `minDays`. Reports days left, subject, issuer and the SHA-256 fingerprint.
 */
const tlsProbe = (spec, context) => new Promise(resolve => {
    const target = (0,tcp/* formatHostPort */.zc)(spec.host, spec.port);
    const servername = spec.servername ?? ((0,external_node_net_.isIP)(spec.host) ? undefined : spec.host);
    const socket = (0,external_node_tls_.connect)({
        host: spec.host,
        port: spec.port,
        ca: spec.ca,
        rejectUnauthorized: !spec.insecure,
        // Without SNI Node checks the certificate against the IP; with it, against the name.
        ...(servername === undefined ? {} : { servername })
    });
    const finish = (ok, message, details) => {
        context.signal.removeEventListener('abort', onAbort);
        socket.destroy();
        resolve({ ok, message, details });
    };
    const onAbort = () => finish(false, `${target}: no TLS handshake within ${context.timeoutMs}ms`);
    context.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
        const certificate = socket.getPeerCertificate(true);
        if (!certificate || Object.keys(certificate).length === 0) {
            finish(false, `${target}: the server sent no certificate`);
            return;
        }
        const details = describeCertificate(certificate, (spec.now ?? Date.now)());
        const trust = socket.authorized
            ? 'trusted'
            : `untrusted, accepted by insecure (${socket.authorizationError})`;
        Object.assign(details, { protocol: socket.getProtocol(), authorized: socket.authorized });
        const { daysLeft } = details;
        if (details.expired) {
            finish(false, `${target}: certificate of ${details.subject} expired ${Math.abs(daysLeft)} day(s) ago (${details.validTo})`, details);
        }
        else if (daysLeft < spec.minDays) {
            finish(false, `${target}: certificate of ${details.subject} expires in ${daysLeft} day(s), fewer than ${spec.minDays} (${details.validTo})`, details);
        }
        else {
            finish(true, `${target}: ${daysLeft} days left (${details.validTo}), subject ${details.subject}, issuer ${details.issuer}, ${trust}`, details);
        }
    });
    socket.once('error', (error) => finish(false, `${target}: ${(0,tcp/* describeSocketError */.vF)(error)}`, error.code ? { code: error.code } : undefined));
});
function describeCertificate(certificate, now) {
    const validTo = new Date(certificate.valid_to);
    const validFrom = new Date(certificate.valid_from);
    return {
        daysLeft: Math.trunc((validTo.getTime() - now) / DAY_MS),
        expired: validTo.getTime() <= now,
        validFrom: validFrom.toISOString(),
        validTo: validTo.toISOString(),
        subject: distinguishedName(certificate.subject),
        issuer: distinguishedName(certificate.issuer),
        fingerprint256: certificate.fingerprint256,
        subjectAltName: certificate.subjectaltname,
        selfSigned: certificate.fingerprint256 === certificate.issuerCertificate?.fingerprint256
    };
}
function distinguishedName(name) {
    if (!name)
        return '(none)';
    if (name.CN)
        return `CN=${Array.isArray(name.CN) ? name.CN.join(',') : name.CN}`;
    return Object.entries(name)
        .map(([key, value]) => `${key}=${String(value)}`)
        .join(', ');
}

;// CONCATENATED MODULE: ./packages/preflight/src/checks.ts


/** Binds a definition to its probe. */
function toCheck(definition, runtime) {
    const { name, type, severity, timeoutMs, retries, retryDelayMs } = definition;
    return {
        name,
        type,
        severity,
        timeoutMs,
        retries,
        retryDelayMs,
        // async: a probe that throws before its first await fails its check, not the whole run.
        run: async (context) => probe(definition, runtime, context)
    };
}
function probe(definition, runtime, context) {
    switch (definition.type) {
        case 'http':
            return (0,http/* httpProbe */.HB)(definition.spec, context);
        case 'tcp':
            return (0,tcp/* tcpProbe */.MK)(definition.spec, context);
        case 'dns':
            return dnsProbe(definition.spec, context);
        case 'tls':
            return tlsCheck(definition.spec, context, runtime);
        case 'command':
            return commandProbe({ ...definition.spec, redactor: runtime.redactor }, context);
        case 'env':
            return envProbe({ ...definition.spec, env: runtime.env }, context);
        case 'config-schema':
            return configSchemaProbe(definition.spec, context);
        case 'artifact':
            return artifactProbe(definition.spec, context);
        case 'disk':
            return (0,disk/* diskProbe */.AC)(definition.spec, context);
        case 'memory':
            return (0,disk/* memoryProbe */.a)(definition.spec, context);
        case 'freeze':
            return (0,freeze/* freezeProbe */.eO)({ ...definition.spec, now: runtime.now }, context);
        case 'github-checks':
            return configured(runtime.commitChecks, 'commit checks').evaluate({ ...definition.spec, currentRunId: runtime.currentRunId }, context);
        case 'deployment-lock':
            return configured(runtime.deploymentActivity, 'deployment activity').lock({ ...definition.spec, currentRunId: runtime.currentRunId, now: runtime.now }, context);
    }
}
async function tlsCheck(spec, context, runtime) {
    let ca;
    if (spec.caFile) {
        try {
            ca = await (0,promises_.readFile)(spec.caFile, 'utf8');
        }
        catch (error) {
            return {
                ok: false,
                message: `cannot read the CA file ${spec.caFile}: ${error.code ?? String(error)}`
            };
        }
    }
    const { caFile: _caFile, ...rest } = spec;
    return tlsProbe({ ...rest, ca, now: runtime.now }, context);
}
/** A check whose port is missing fails (closed): a gate that did not run did not pass. */
function configured(port, what) {
    if (!port)
        throw new Error(`nothing to read the ${what} from was configured`);
    return port;
}

;// CONCATENATED MODULE: ./packages/preflight/src/preflight-report.ts
const STATUS_ICON = {
    passed: '✅',
    failed: '❌',
    warning: '⚠️',
    planned: '📋'
};

// EXTERNAL MODULE: ./packages/kit/src/duration.ts
var duration = __webpack_require__(5438);
;// CONCATENATED MODULE: ./packages/preflight/src/report.ts


/**
 * The step's outputs. `passed` is absent in a dry run: nothing was verified. Check names are
 * the user's text and may hold a URL with its password: runPreflight's report is redacted
 * with the step's secrets already, and every output is redacted once more (URL passwords by
 * default), the report before it is rendered as JSON (escaping would hide a secret from a
 * later pass).
 */
function preflightOutputs(report, redactor = new redact/* Redactor */.pO()) {
    const clean = redactor.redactValue(report);
    const failed = clean.checks.filter(check => check.status === 'failed').map(check => check.name);
    const warned = clean.checks.filter(check => check.status === 'warning').map(check => check.name);
    const outputs = {
        'failed-checks': failed.join(','),
        'failed-checks-json': JSON.stringify(failed),
        'warning-checks': warned.join(','),
        report: JSON.stringify(clean)
    };
    if (!report.dryRun)
        outputs.passed = String(report.passed);
    for (const [name, value] of Object.entries(outputs))
        outputs[name] = redactor.redact(value);
    return outputs;
}
/** Annotations for the log: warnings, and failures that do not fail the step (`fail-on: never`). */
function reportWarnings(report) {
    return report.checks
        .filter(check => check.status === 'warning' || (check.status === 'failed' && report.failOn === 'never'))
        .map(check => `${check.name}: ${check.message}`);
}
/** The reason the step fails, or undefined when it succeeds (`fail-on: never`, warnings only, dry run). */
function failureMessage(report) {
    if (report.passed || report.failOn === 'never')
        return undefined;
    const failed = report.checks.filter(check => check.status === 'failed');
    return `${failed.length} of ${report.counts.total} checks failed: ${failed.map(check => `${check.name} (${check.message})`).join('; ')}`;
}
/** The failed checks as the user's error, with what to do; nothing when the step passes. */
function preflightFailure(report) {
    const message = failureMessage(report);
    return message
        ? new errors/* UserError */.yo(message, 'fix what the failed checks report, or set fail-on: never to only report them')
        : undefined;
}
/** One line for the top of the summary and the log. */
function headline(report) {
    const { counts } = report;
    if (report.dryRun)
        return `Dry run: ${counts.total} check${counts.total === 1 ? '' : 's'} would run; nothing was checked.`;
    const parts = [`${STATUS_ICON.passed} ${counts.passed} passed`];
    if (counts.failed > 0)
        parts.push(`${STATUS_ICON.failed} ${counts.failed} failed`);
    if (counts.warnings > 0)
        parts.push(`${STATUS_ICON.warning} ${counts.warnings} warning${counts.warnings === 1 ? '' : 's'}`);
    const verdict = report.passed
        ? 'Preflight passed'
        : report.failOn === 'never'
            ? 'Preflight failed (fail-on: never, not blocking)'
            : 'Preflight failed';
    return `**${verdict}** — ${parts.join(' · ')} in ${(0,duration/* formatDuration */.a)(report.durationMs)}`;
}
/** The job summary: a headline and one table of every check. */
function renderPreflightSummary(report, summary) {
    summary.heading(report.dryRun ? 'Preflight checks (dry run)' : 'Preflight checks');
    summary.paragraph(headline(report));
    if (report.dryRun) {
        summary.table(['', 'check', 'type', 'target', 'severity', 'timeout', 'retries', 'declared in'], report.checks.map(check => [
            STATUS_ICON.planned,
            check.name,
            check.type,
            check.target,
            check.severity,
            (0,duration/* formatDuration */.a)(check.timeoutMs),
            check.retries,
            `\`${check.source}\``
        ]));
        return;
    }
    summary.table(['', 'check', 'type', 'result', 'duration', 'attempts'], report.checks.map(check => [
        STATUS_ICON[check.status],
        check.name,
        check.type,
        check.message,
        (0,duration/* formatDuration */.a)(check.durationMs),
        check.attempts
    ]));
    const failing = report.checks.filter(check => check.status !== 'passed' && check.details);
    if (failing.length > 0) {
        summary.details(`Details of ${failing.length} failed or warning check${failing.length === 1 ? '' : 's'}`, failing
            .map(check => `**${check.name}**\n\n\`\`\`json\n${JSON.stringify(check.details, null, 2)}\n\`\`\``)
            .join('\n\n'));
    }
}

;// CONCATENATED MODULE: ./packages/preflight/src/run-preflight.ts





/** Variables whose names look secret have their values masked, in case a command prints them. */
const SECRET_NAME = /SECRET|TOKEN|PASSWORD|PASSWD|PASS$|_KEY$|^KEY$|PRIVATE|CREDENTIAL|AUTH/i;
/**
 * Runs every check in parallel — or, in a dry run, only lists them — and returns the report,
 * redacted with the ports' redactor (check names and messages are the user's text and may hold
 * a secret). The settings were validated by parsePreflightSettings; nothing here is a user error.
 */
async function runPreflight(settings, ports) {
    const clock = ports.clock ?? src_ports/* systemClock */.m;
    const now = () => clock.now();
    const started = now();
    for (const warning of settings.warnings ?? [])
        ports.progress.warning(warning);
    const definitions = settings.checks.map(definition => withStepVariables(definition, ports));
    const runtime = {
        env: ports.variables,
        redactor: ports.redactor,
        currentRunId: settings.currentRunId,
        now,
        commitChecks: ports.commitChecks,
        deploymentActivity: ports.deploymentActivity
    };
    let entries;
    if (settings.dryRun) {
        entries = definitions.map(definition => plannedEntry(definition));
    }
    else {
        const checks = definitions.map(definition => toCheck(definition, runtime));
        const results = await runChecks(checks, {
            concurrency: settings.maxParallel,
            onResult: result => ports.progress.info(`${STATUS_ICON[result.status]} ${result.name}: ${result.message} (${result.attempts} attempt${result.attempts === 1 ? '' : 's'}, ${result.durationMs}ms)`)
        });
        entries = results.map((result, index) => resultEntry(definitions[index], result));
    }
    const report = (ports.redactor ?? new redact/* Redactor */.pO()).redactValue(reportOf(settings, started, now() - started, entries));
    for (const line of reportWarnings(report))
        ports.progress.warning(line);
    ports.progress.info(headline(report).replace(/\*\*/g, ''));
    return report;
}
/**
 * A command check is the user's script: it sees the job's variables (what the workflow set
 * with `env:`) and its own `env`, never our inputs or the runner's tokens. An env check's
 * variables with secret-looking names are masked, in case a command prints them.
 */
function withStepVariables(definition, ports) {
    if (definition.type === 'command') {
        return {
            ...definition,
            spec: { ...definition.spec, env: hookEnvironment(definition.spec.env, ports.variables) }
        };
    }
    if (definition.type === 'env') {
        for (const name of definition.spec.names)
            if (SECRET_NAME.test(name))
                ports.mask?.(ports.variables[name]);
    }
    return definition;
}
function plannedEntry(definition) {
    return {
        ...common(definition),
        status: 'planned',
        message: `would check ${definition.target}`,
        attempts: 0,
        durationMs: 0
    };
}
function resultEntry(definition, result) {
    return {
        ...common(definition),
        status: result.status,
        message: result.message,
        attempts: result.attempts,
        durationMs: result.durationMs,
        details: result.details
    };
}
function common(definition) {
    const { name, type, severity, source, target, timeoutMs, retries } = definition;
    return { name, type, severity, source, target, timeoutMs, retries };
}
function reportOf(settings, started, durationMs, checks) {
    const count = (status) => checks.filter(check => check.status === status).length;
    const failed = count('failed');
    return {
        passed: failed === 0,
        dryRun: settings.dryRun,
        failOn: settings.failOn,
        startedAt: new Date(started).toISOString(),
        durationMs,
        counts: {
            total: checks.length,
            passed: count('passed'),
            failed,
            warnings: count('warning')
        },
        checks
    };
}

// EXTERNAL MODULE: ./packages/github/src/client.ts
var src_client = __webpack_require__(2994);
;// CONCATENATED MODULE: ./packages/kit/src/github-refusal.ts

/**
 * GitHub's refusal of a request, which the user fixes with a token or a permission. It keeps the
 * HTTP status, so code that converges on a status (a 404 meaning "not there yet") reads it as
 * it read Octokit's error, and the Octokit error as its cause.
 */
class GitHubRefusal extends errors/* UserError */.yo {
    status;
    endpoint;
    permission;
    constructor(message, hint, details) {
        super(message, hint);
        this.name = 'GitHubRefusal';
        this.status = details.status;
        this.endpoint = details.endpoint;
        this.permission = details.permission;
        this.cause = details.cause;
    }
}
/**
 * The user-fixable form of an Octokit error: a 401 (the token is not accepted), a 403 that is
 * not a rate limit (the token lacks the permission), or a 404 where `call` says it means the
 * repository is out of the token's sight. Anything else is returned as it was.
 */
function refusalOf(error, call) {
    const status = statusOf(error);
    if (status === undefined)
        return error;
    const refused = status === 401 ||
        (status === 403 && !isRateLimit(error)) ||
        (status === 404 && call.notFoundIsRefusal === true);
    if (!refused)
        return error;
    const endpoint = endpointOf(error);
    const answer = `${status}${endpoint ? ` on ${endpoint}` : ''}: ${error.message}`;
    const details = { status, endpoint, permission: call.permission, cause: error };
    if (status === 401)
        return new GitHubRefusal(`GitHub did not accept the token when asked to ${call.what} (${answer})`, 'pass a valid token (`token: ${{ github.token }}`, or a personal access token that has not expired or been revoked)', details);
    if (status === 404)
        return new GitHubRefusal(`GitHub found no repository to ${call.what} in (${answer})`, `check the repository (the repository input or GITHUB_REPOSITORY) and that the token can see it, with \`permissions: ${call.permission}\` for this job`, details);
    // The permission is in the message too: a probe reports a failure by its message alone.
    return new GitHubRefusal(`GitHub refused to ${call.what}: the token lacks \`${call.permission}\` (${answer})`, `grant the job \`permissions: ${call.permission}\` (or use a token that has it)`, details);
}
/** Runs one GitHub request (or a paginated series), turning GitHub's refusal into a GitHubRefusal. */
async function requestAs(call, request) {
    try {
        return await request();
    }
    catch (error) {
        throw refusalOf(error, call);
    }
}
function statusOf(error) {
    const status = error?.status;
    return typeof status === 'number' ? status : undefined;
}
// A rate limit is a 403 (or 429) too; the throttling plugin has already waited and retried it,
// and no permission would have helped.
function isRateLimit(error) {
    const headers = error
        .response?.headers;
    if (headers?.['x-ratelimit-remaining'] === '0')
        return true;
    return /rate limit/i.test(error.message ?? '');
}
/** `POST /repos/o/r/deployments`: the method and path, without the API's host or the query. */
function endpointOf(error) {
    const request = error.request;
    if (!request?.url)
        return '';
    return `${request.method ?? 'GET'} ${pathOf(request.url)}`;
}
function pathOf(url) {
    try {
        return new URL(url).pathname;
    }
    catch {
        return url.split('?')[0];
    }
}

;// CONCATENATED MODULE: ./packages/probes/src/github-runs.ts

/** A workflow run's status and check suite; undefined when GitHub answers 404. Other errors throw. */
async function findWorkflowRun(client, owner, repo, runId, signal) {
    try {
        const { data } = await requestAs({ what: 'read a workflow run', permission: 'actions: read' }, () => client.rest.actions.getWorkflowRun({ owner, repo, run_id: runId, request: { signal } }));
        return { status: data.status ?? 'unknown', checkSuiteId: data.check_suite_id ?? undefined };
    }
    catch (error) {
        if (error.status === 404)
            return undefined;
        throw error;
    }
}

;// CONCATENATED MODULE: ./packages/probes/src/github-checks.ts


const SUCCESSFUL = new Set(['success', 'neutral', 'skipped']);
/**
 * Passes when every check run and commit status of the ref has completed successfully and
 * every required name is among them. Anything still queued or running fails with a message
 * that says so — a deployment must not start on a commit whose CI has not finished.
 */
const githubChecksProbe = async (spec, context) => {
    const { client, owner, repo, ref } = spec;
    const ownSuite = spec.currentRunId === undefined
        ? undefined
        : await checkSuiteOf(client, owner, repo, spec.currentRunId, context.signal);
    const [runs, combined] = await Promise.all([
        requestAs({ what: 'list check runs', permission: 'checks: read' }, () => client.paginate(client.rest.checks.listForRef, {
            owner,
            repo,
            ref,
            per_page: 100,
            filter: 'latest',
            request: { signal: context.signal }
        })),
        requestAs({ what: 'read commit statuses', permission: 'statuses: read' }, () => client.rest.repos.getCombinedStatusForRef({
            owner,
            repo,
            ref,
            per_page: 100,
            request: { signal: context.signal }
        }))
    ]);
    const ignored = new Set(spec.ignore ?? []);
    const entries = [];
    for (const run of runs) {
        if (ignored.has(run.name))
            continue;
        if (ownSuite !== undefined && run.check_suite?.id === ownSuite)
            continue;
        const state = run.status === 'completed' ? (run.conclusion ?? 'unknown') : `pending:${run.status}`;
        entries.push({ name: run.name, kind: 'check run', state });
    }
    for (const status of combined.data.statuses) {
        if (ignored.has(status.context))
            continue;
        entries.push({
            name: status.context,
            kind: 'status',
            state: status.state === 'pending' ? 'pending:pending' : status.state
        });
    }
    const pending = entries.filter(entry => entry.state.startsWith('pending:'));
    const failed = entries.filter(entry => !entry.state.startsWith('pending:') && !SUCCESSFUL.has(entry.state));
    const names = new Set(entries.map(entry => entry.name));
    const missing = (spec.required ?? []).filter(name => !names.has(name));
    const details = {
        ref,
        checks: entries.map(entry => ({
            name: entry.name,
            kind: entry.kind,
            state: entry.state.replace(/^pending:/, '')
        })),
        pending: pending.map(entry => entry.name),
        failed: failed.map(entry => entry.name),
        missing
    };
    const problems = [];
    if (failed.length > 0)
        problems.push(`failed: ${failed.map(entry => `${entry.name} (${entry.state})`).join(', ')}`);
    if (pending.length > 0) {
        problems.push(`not finished yet: ${pending.map(entry => `${entry.name} (${entry.state.slice('pending:'.length)})`).join(', ')}`);
    }
    if (missing.length > 0)
        problems.push(`required but not reported: ${missing.join(', ')}`);
    const shortRef = /^[0-9a-f]{40}$/.test(ref) ? ref.slice(0, 7) : ref;
    if (problems.length > 0)
        return { ok: false, message: `${shortRef}: ${problems.join('; ')}`, details };
    if (entries.length === 0)
        return { ok: true, message: `${shortRef}: no check runs or statuses reported`, details };
    return {
        ok: true,
        message: `${shortRef}: all ${entries.length} check runs and statuses succeeded`,
        details
    };
};
/** The check suite of a workflow run; undefined when it cannot be read (local runs, other tokens). */
async function checkSuiteOf(client, owner, repo, runId, signal) {
    try {
        return (await findWorkflowRun(client, owner, repo, runId, signal))?.checkSuiteId;
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./packages/github/src/graphql.ts
/**
 * GitHub.com serves GraphQL at api.github.com/graphql, GitHub Enterprise Server at
 * <host>/api/graphql while its REST API is <host>/api/v3; octokit.graphql appends /graphql.
 */
function graphqlBaseUrl(restBaseUrl) {
    const base = restBaseUrl.replace(/\/+$/, '');
    return base.endsWith('/api/v3') ? base.slice(0, -'/v3'.length) : base;
}
/**
 * GraphQL is not there (404, 501: an old GitHub Enterprise Server, a REST-only proxy) or does
 * not let this token read what the query asks (403, or 200 with FORBIDDEN errors), while REST
 * can still answer the same questions, at more calls. A rate limit is shared with REST: it is
 * not a reason to fall back, and fails the call instead.
 */
function graphqlUnavailable(error) {
    const failure = error;
    const errors = Array.isArray(failure.errors) ? failure.errors : [];
    if (errors.some(e => e?.type === 'RATE_LIMITED'))
        return false;
    if (/\brate limit\b/i.test(failure.message ?? ''))
        return false;
    if (errors.some(e => e?.type === 'FORBIDDEN' || e?.type === 'NOT_FOUND'))
        return true;
    const headers = failure.response?.headers ?? {};
    if (failure.status === 403)
        return headers['x-ratelimit-remaining'] !== '0' && headers['retry-after'] === undefined;
    return failure.status === 404 || failure.status === 501;
}

;// CONCATENATED MODULE: ./packages/probes/src/deployment-lock.ts


// `waiting` (for an environment's approval) is GraphQL's; REST has no such state.
const UNFINISHED = new Set(['in_progress', 'queued', 'pending', 'waiting']);
const LIST_DEPLOYMENTS = {
    what: 'list deployments',
    permission: 'deployments: read',
    notFoundIsRefusal: true
};
const READ_STATUSES = { what: 'read deployment statuses', permission: 'deployments: read' };
/**
 * Passes when no other deployment of the environment is in progress. A deployment counts when
 * its latest status is in_progress, queued or pending (or it has none yet) and the workflow
 * run that created it — read from the status `log_url` or the deployment's `payload.run_id` — is
 * still running. Deployments of finished runs are stale leftovers (a cancelled job never posts
 * its final status) and are reported but do not block.
 */
const deploymentLockProbe = async (spec, context) => {
    const { client, owner, repo, environment } = spec;
    const { data: deployments } = await requestAs(LIST_DEPLOYMENTS, () => client.rest.repos.listDeployments({
        owner,
        repo,
        environment,
        per_page: Math.min(spec.limit ?? 30, 100),
        request: { signal: context.signal }
    }));
    const entries = await Promise.all(deployments.map(async (deployment) => {
        const { data: statuses } = await requestAs(READ_STATUSES, () => client.rest.repos.listDeploymentStatuses({
            owner,
            repo,
            deployment_id: deployment.id,
            per_page: 1,
            request: { signal: context.signal }
        }));
        const latest = statuses[0];
        return {
            deploymentId: deployment.id,
            ref: deployment.ref,
            state: latest?.state,
            runId: runIdFrom(latest?.log_url, latest?.target_url) ?? runIdFromPayload(deployment.payload),
            updatedAt: latest?.updated_at ?? deployment.updated_at
        };
    }));
    return judgeDeploymentLock(spec, entries, runId => findWorkflowRun(client, owner, repo, runId, context.signal).then(run => run?.status));
};
/**
 * The lock's rule, whichever API read the deployments: a deployment holds the environment when
 * its latest status is unfinished (or it has none yet) and the workflow run that created it is
 * still running; one whose run finished or cannot be found is a stale leftover, reported but
 * not blocking; one with no run recorded holds it until `staleAfterMs` without an update.
 */
async function judgeDeploymentLock(spec, entries, runStatusOf) {
    const { environment } = spec;
    const now = (spec.now ?? Date.now)();
    const staleAfterMs = spec.staleAfterMs ?? 3_600_000;
    const holders = [];
    const stale = [];
    const runStatus = new Map();
    await Promise.all(entries.map(async (entry) => {
        // No status yet: the deployment was just created, and counts as pending.
        const state = entry.state?.toLowerCase() ?? 'pending';
        if (!UNFINISHED.has(state))
            return;
        const { runId } = entry;
        if (runId !== undefined && runId === spec.currentRunId)
            return;
        const base = { deploymentId: entry.deploymentId, ref: entry.ref, state, runId };
        if (runId === undefined) {
            const updated = Date.parse(entry.updatedAt);
            const ageMinutes = Math.round((now - updated) / 60_000);
            if (now - updated < staleAfterMs)
                holders.push({
                    ...base,
                    reason: `no workflow run recorded, updated ${ageMinutes} min ago`
                });
            else
                stale.push({
                    ...base,
                    reason: `no workflow run recorded, untouched for ${ageMinutes} min`
                });
            return;
        }
        if (!runStatus.has(runId))
            runStatus.set(runId, runStatusOf(runId));
        const status = await runStatus.get(runId);
        if (status === undefined)
            stale.push({ ...base, reason: `run ${runId} not found` });
        else if (status === 'completed')
            stale.push({ ...base, reason: `run ${runId} has finished` });
        else
            holders.push({ ...base, reason: `run ${runId} is ${status}` });
    }));
    const describe = (holder) => `deployment ${holder.deploymentId} of ${holder.ref} is ${holder.state} (${holder.reason})`;
    const details = {
        environment,
        checked: entries.length,
        holders: holders.map(holder => ({ ...holder })),
        stale: stale.map(holder => ({ ...holder }))
    };
    if (holders.length > 0) {
        return {
            ok: false,
            message: `${environment} is locked: ${holders.map(describe).join('; ')}`,
            details
        };
    }
    const leftovers = stale.length > 0 ? `; ignored ${stale.length} stale: ${stale.map(describe).join('; ')}` : '';
    return {
        ok: true,
        message: `no deployment of ${environment} in progress (${entries.length} checked)${leftovers}`,
        details
    };
}
/** `https://github.com/o/r/actions/runs/123/job/456` → 123. */
function runIdFrom(...urls) {
    for (const url of urls) {
        const match = url ? /\/actions\/runs\/(\d+)/.exec(url) : null;
        if (match)
            return Number(match[1]);
    }
    return undefined;
}
/** The `run_id` our deploy action stores in the deployment payload (object, or JSON text). */
function runIdFromPayload(payload) {
    let value = payload;
    if (typeof value === 'string') {
        try {
            value = JSON.parse(value);
        }
        catch {
            return undefined;
        }
    }
    if (typeof value !== 'object' || value === null)
        return undefined;
    const runId = value.run_id;
    const number = typeof runId === 'string' && /^\d+$/.test(runId) ? Number(runId) : runId;
    return typeof number === 'number' && Number.isSafeInteger(number) && number > 0
        ? number
        : undefined;
}

;// CONCATENATED MODULE: ./packages/preflight/src/deployment-lock.ts



/**
 * The environment's newest deployments with their latest status, in one GraphQL request:
 * REST needs one more request per deployment for its status, so the lock's cost grew with the
 * history. Field names are GitHub's GraphQL schema's (the emulator checks them).
 */
const LOCK_QUERY = `query($owner: String!, $name: String!, $env: String!, $first: Int!) {
  repository(owner: $owner, name: $name) {
    deployments(environments: [$env], first: $first, orderBy: {field: CREATED_AT, direction: DESC}) {
      nodes {
        databaseId
        ref { name }
        commitOid
        payload
        updatedAt
        latestStatus { state logUrl updatedAt }
      }
    }
  }
}`;
const READ_DEPLOYMENTS = {
    what: 'read the deployments (GraphQL)',
    permission: 'deployments: read',
    notFoundIsRefusal: false
};
const READ_RUN = { what: 'read a workflow run', permission: 'actions: read' };
/**
 * Passes when no other deployment of the environment is in progress: the rule of the REST
 * probe (`deploymentLockProbe`), at a cost that does not grow with the history — one GraphQL
 * request, plus one workflow-run read per distinct run of an unfinished deployment. Where
 * GraphQL is missing or refuses the token, the REST probe decides instead; a rate limit fails.
 */
async function deploymentLock(spec, context) {
    let nodes;
    try {
        nodes = await latestDeployments(spec, context.signal);
    }
    catch (error) {
        if (!graphqlUnavailable(error))
            throw error;
        return deploymentLockProbe(spec, context);
    }
    return judgeDeploymentLock(spec, nodes.map(node => ({
        deploymentId: node.databaseId ?? 0,
        ref: node.ref?.name ?? node.commitOid,
        state: node.latestStatus?.state,
        runId: runIdFrom(node.latestStatus?.logUrl) ?? runIdFromPayload(node.payload),
        updatedAt: node.latestStatus?.updatedAt ?? node.updatedAt
    })), runId => workflowRunStatus(spec, runId, context.signal));
}
async function latestDeployments(spec, signal) {
    const { client, owner, repo, environment } = spec;
    const data = await requestAs(READ_DEPLOYMENTS, () => client.graphql(LOCK_QUERY, {
        owner,
        name: repo,
        env: environment,
        first: Math.min(Math.max(spec.limit ?? 30, 1), 100),
        baseUrl: graphqlBaseUrl(String(client.request.endpoint.DEFAULTS.baseUrl)),
        request: { signal }
    }));
    if (!data.repository)
        throw new Error(`repository ${owner}/${repo} not found (GraphQL)`);
    return data.repository.deployments.nodes.filter((node) => node !== null);
}
/** A workflow run's status; undefined when GitHub answers 404. */
async function workflowRunStatus(spec, runId, signal) {
    const { client, owner, repo } = spec;
    try {
        const { data } = await requestAs(READ_RUN, () => client.rest.actions.getWorkflowRun({ owner, repo, run_id: runId, request: { signal } }));
        return data.status ?? 'unknown';
    }
    catch (error) {
        if (error.status === 404)
            return undefined;
        throw error;
    }
}

;// CONCATENATED MODULE: ./packages/preflight/src/github-ports.ts



/**
 * The GitHub implementations of the preflight ports, over one client. Without access (no check
 * needs GitHub) there are none, and no client is built.
 */
function githubPreflightPorts(access) {
    if (!access)
        return {};
    const client = (0,src_client/* createGitHubClient */.L)({ token: access.token, baseUrl: access.apiUrl });
    const where = { client, owner: access.repository.owner, repo: access.repository.repo };
    return {
        deploymentActivity: {
            lock: (query, context) => deploymentLock({ ...where, ...query }, context)
        },
        commitChecks: {
            evaluate: (query, context) => githubChecksProbe({ ...where, ...query }, context)
        }
    };
}

;// CONCATENATED MODULE: ./actions/preflight-check/src/run.ts


async function run_run({ redactor, secret, setOutput, summary, info, warning }, settings) {
    const result = await runPreflight(settings, {
        progress: { info, warning },
        variables: process.env,
        mask: secret,
        redactor,
        ...githubPreflightPorts(settings.github)
    });
    reportStage({ setOutput, summary, redactor }, result, {
        outputs: preflightOutputs,
        render: renderPreflightSummary,
        failure: preflightFailure
    });
}


/***/ })

};
