import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 3336:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _slipway_kit__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(1072);
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(4157);


await (0,_slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .runAction */ .C)('report', _main_js__WEBPACK_IMPORTED_MODULE_1__/* .main */ .i);

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 4157:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  i: () => (/* binding */ main)
});

// EXTERNAL MODULE: ./packages/kit/src/ports.ts
var ports = __nccwpck_require__(3508);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
// EXTERNAL MODULE: ./packages/github/src/client.ts
var client = __nccwpck_require__(2994);
// EXTERNAL MODULE: ./packages/kit/src/errors.ts
var errors = __nccwpck_require__(7817);
// EXTERNAL MODULE: ./packages/kit/src/duration.ts
var duration = __nccwpck_require__(5438);
// EXTERNAL MODULE: ./packages/report/src/run.ts
var run = __nccwpck_require__(8857);
;// CONCATENATED MODULE: ./packages/report/src/settings.ts




/**
 * Reads and validates the report inputs. Every problem is an InputError naming the input,
 * thrown before any API call; nothing is changed.
 */
function parseReportSettings(inputs, runnerEnv, fallbacks = {}) {
    const environment = inputs.string('environment', { default: 'production' });
    const windowText = inputs.string('window', { default: '30d' });
    const windowMs = windowOf(windowText);
    const maxDeployments = inputs.int('max-deployments', { default: 5000, min: 1, max: 100_000 });
    const withQuality = inputs.bool('quality', true);
    const targets = readTargets(inputs);
    const run = readRun(inputs);
    const failOnTarget = inputs.bool('fail-on-target');
    const dryRun = inputs.bool('dry-run');
    const reportFile = (0,external_node_path_.resolve)(runnerEnv.workspace, inputs.string('report-file') ?? (0,external_node_path_.join)(runnerEnv.runnerTemp, 'slipway-report.json'));
    const token = inputs.string('token') ?? fallbacks.token;
    const repositoryText = inputs.string('repository') ?? runnerEnv.repository;
    const repository = (0,client/* parseRepository */.S)(repositoryText);
    const readsHistory = withQuality && !dryRun;
    if (readsHistory) {
        if (!repository)
            throw new errors/* InputError */.dz('repository', 'owner/name', repositoryText);
        if (!token)
            throw new errors/* InputError */.dz('token', 'a token with deployments: read (or quality: false)', token);
    }
    // The runner always sets GITHUB_SERVER_URL; without it (the CLI's local ledger) there is no
    // server to link to, and github.com/<ledger name> would be a broken link.
    const server = runnerEnv.serverUrl?.replace(/\/+$/, '');
    if (repository && server) {
        const base = `${server}/${repository.owner}/${repository.repo}`;
        if (runnerEnv.runId)
            run.links.push({ name: 'Workflow run', url: `${base}/actions/runs/${runnerEnv.runId}` });
        run.links.push({
            name: run.deploymentId ? `Deployment #${run.deploymentId}` : `${environment} deployments`,
            url: `${base}/deployments/${encodeURIComponent(environment)}`
        });
    }
    return {
        environment,
        windowMs,
        windowText,
        maxDeployments,
        targets,
        run,
        failOnTarget,
        dryRun,
        reportFile,
        readsHistory,
        repository: repository ? `${repository.owner}/${repository.repo}` : undefined,
        github: readsHistory && repository && token
            ? { token, repository, apiUrl: runnerEnv.apiUrl }
            : undefined,
        secrets: token ? [token] : []
    };
}
/** `30d`, `12h`, … in ms, or undefined for `all`. */
function windowOf(text) {
    if (text === 'all')
        return undefined;
    const ms = (0,duration/* parseDuration */.E)(text);
    if (ms === undefined || ms <= 0)
        throw new errors/* InputError */.dz('window', 'a duration such as 30d or 12h, or all', text);
    return ms;
}
function percent(name, text, fallback) {
    if (text === undefined)
        return fallback;
    const value = Number(text.replace(/%$/, ''));
    if (!/^\d+(\.\d+)?%?$/.test(text) || value > 100)
        throw new errors/* InputError */.dz(name, 'a percentage from 0 to 100', text);
    return value;
}
function readTargets(inputs) {
    return {
        successRate: percent('target-success-rate', inputs.string('target-success-rate'), 99),
        rollbackSuccessRate: percent('target-rollback-success-rate', inputs.string('target-rollback-success-rate'), 100),
        deployTimeMs: inputs.duration('target-deploy-time', { default: '30m', min: 1 }),
        mttrMs: inputs.duration('target-mttr', { default: '1h', min: 1 })
    };
}
function readRun(inputs) {
    const links = inputs.list('links').map(entry => {
        const at = entry.indexOf('=');
        const name = at > 0 ? entry.slice(0, at).trim() : '';
        const url = at > 0 ? entry.slice(at + 1).trim() : '';
        if (!name || !/^https?:\/\//.test(url))
            throw new errors/* InputError */.dz('links', 'entries like Name=https://…', entry);
        return { name, url };
    });
    return {
        version: inputs.string('version'),
        previousVersion: inputs.string('previous-version'),
        strategy: inputs.string('strategy'),
        status: inputs.string('status'),
        deploymentId: inputs.int('deployment-id', { min: 1 }),
        environmentUrl: inputs.url('environment-url')?.toString(),
        stages: (0,run/* parseStages */.lj)(inputs.yaml('stages'), 'stages'),
        timeline: (0,run/* parseTimeline */.pv)(inputs.json('timeline'), 'timeline'),
        links
    };
}

;// CONCATENATED MODULE: ./actions/report/src/main.ts


// Only the settings are parsed here. The run, with the modules only a run needs, is a chunk of
// its own that loads once the inputs are good: an input error costs what reading them costs.
async function main(ctx) {
    const settings = parseReportSettings(ctx.inputs, (0,ports/* runnerEnvOf */.Z)(), {
        token: process.env.GITHUB_TOKEN
    });
    settings.secrets.forEach(ctx.secret);
    const { run } = await __nccwpck_require__.e(/* import() */ 980).then(__nccwpck_require__.bind(__nccwpck_require__, 980));
    await run(ctx, settings);
}


/***/ }),

/***/ 2994:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ createGitHubClient),
/* harmony export */   S: () => (/* binding */ parseRepository)
/* harmony export */ });
/* harmony import */ var _slipway_kit__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7817);

// A 409 (e.g. create-deployment's failed status checks), a 429 and a 501 are answers, not
// outages: retrying a 409 only delays the error, a 429 belongs to the throttling plugin, which
// honours its retry-after header, and a 501 (no such endpoint here, e.g. GraphQL behind a
// REST-only proxy) stays one, so the report reads with REST at once.
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451, 501];
// Connection refused and a name that does not resolve say the address is wrong (a mistyped
// GITHUB_API_URL, a GitHub Enterprise Server that is not there): retrying them at 1, 4 and 9 s
// only delays the error by 14 s. Resets, timeouts and 5xx stay retried.
const WRONG_ADDRESS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME']);
/**
 * The Octokit client every action uses: @actions/github's REST client plus retry (5xx,
 * timeouts, resets) and throttling (403/429 with retry-after), pointed at GITHUB_API_URL.
 *
 * Octokit, its plugins and undici are loaded by the first request, not here: an action that
 * stops at an input error or a dry run never parses them. Until then the client stands in for
 * the members Slipway calls (`rest.<scope>.<method>`, `request`, `paginate`,
 * `paginate.iterator`, `graphql`, `request.endpoint.DEFAULTS.baseUrl`).
 */
function createGitHubClient(options) {
    const baseUrl = (options.baseUrl ??
        process.env.GITHUB_API_URL ??
        'https://api.github.com').replace(/\/+$/, '');
    let loading;
    const load = () => (loading ??= loadOctokit(options, baseUrl));
    return lazyClient(load, baseUrl);
}
async function loadOctokit(options, baseUrl) {
    const [{ GitHub, getOctokitOptions }, { retry }, { throttling }, { default: Bottleneck }] = await Promise.all([
        __nccwpck_require__.e(/* import() */ 250).then(__nccwpck_require__.bind(__nccwpck_require__, 5250)),
        Promise.all(/* import() */[__nccwpck_require__.e(251), __nccwpck_require__.e(735)]).then(__nccwpck_require__.bind(__nccwpck_require__, 9735)),
        Promise.all(/* import() */[__nccwpck_require__.e(251), __nccwpck_require__.e(856)]).then(__nccwpck_require__.bind(__nccwpck_require__, 6856)),
        __nccwpck_require__.e(/* import() */ 203).then(__nccwpck_require__.t.bind(__nccwpck_require__, 2203, 23))
    ]);
    const SlipwayOctokit = GitHub.plugin(failFastOnWrongAddress, retry, throttling);
    const rateLimitRetries = options.rateLimitRetries ?? 3;
    const log = options.log ?? (() => undefined);
    const writeIntervalMs = options.writeIntervalMs ?? writeIntervalFromEnvironment() ?? 1000;
    const octokit = new SlipwayOctokit(getOctokitOptions(options.token, {
        baseUrl,
        userAgent: 'slipway',
        retry: { retries: options.retries ?? 3, doNotRetry: DO_NOT_RETRY },
        throttle: {
            write: new Bottleneck.Group({
                id: 'slipway-write',
                maxConcurrent: 1,
                minTime: writeIntervalMs
            }),
            onRateLimit: (retryAfter, request, _octokit, retryCount) => {
                log(`Rate limited on ${request.method} ${request.url}; retrying after ${retryAfter}s (${retryCount + 1}/${rateLimitRetries})`);
                return retryCount < rateLimitRetries;
            },
            onSecondaryRateLimit: (retryAfter, request, _octokit, retryCount) => {
                log(`Secondary rate limit on ${request.method} ${request.url}; retrying after ${retryAfter}s (${retryCount + 1}/${rateLimitRetries})`);
                return retryCount < rateLimitRetries;
            }
        }
    }));
    // Registered after the plugins, so it sees the error the retries ended with.
    octokit.hook.error('request', error => {
        const code = wrongAddressCode(error);
        if (code === undefined)
            throw error;
        throw new _slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`GitHub's API at ${baseUrl} could not be reached: ${code === 'ECONNREFUSED' ? 'the connection was refused' : 'its host name does not resolve'} (${code}).`, 'Check GITHUB_API_URL: it must be the REST API of github.com or of your GitHub Enterprise Server, such as https://ghes.example.com/api/v3.');
    });
    return octokit;
}
/**
 * Runs before plugin-retry's error hook (plugins register their hooks in order, the first
 * innermost): a request that could not connect at all is given no retries.
 */
function failFastOnWrongAddress(octokit) {
    octokit.hook.error('request', (error, options) => {
        if (wrongAddressCode(error) !== undefined) {
            options.request = { ...options.request, retries: 0 };
        }
        throw error;
    });
}
/** The system error code of a request that never connected, anywhere in the error's causes. */
function wrongAddressCode(error) {
    const seen = new Set();
    const queue = [error];
    while (queue.length > 0 && seen.size < 20) {
        const next = queue.shift();
        if (typeof next !== 'object' || next === null || seen.has(next))
            continue;
        seen.add(next);
        const { code, cause, errors } = next;
        if (typeof code === 'string' && WRONG_ADDRESS.has(code))
            return code;
        queue.push(cause);
        if (Array.isArray(errors))
            queue.push(...errors);
    }
    return undefined;
}
const ROUTE = Symbol('slipway.github.route');
/** The stand-in that loads Octokit with its first call and then forwards to it. */
function lazyClient(load, baseUrl) {
    const loaded = () => load();
    // paginate(client.rest.x.y, …) is given one of our stand-ins: it needs the real method.
    const real = (octokit, route) => {
        const path = typeof route === 'function' ? route[ROUTE] : undefined;
        return path ? octokit.rest[path[0]][path[1]] : route;
    };
    const scopes = new Map();
    const scope = (name) => {
        const methods = new Map();
        return new Proxy({}, {
            get(_target, method) {
                if (typeof method !== 'string')
                    return undefined;
                let call = methods.get(method);
                if (!call) {
                    call = Object.assign(async (...args) => (await loaded()).rest[name][method](...args), { [ROUTE]: [name, method] });
                    methods.set(method, call);
                }
                return call;
            }
        });
    };
    const rest = new Proxy({}, {
        get(_target, name) {
            if (typeof name !== 'string')
                return undefined;
            let methods = scopes.get(name);
            if (!methods)
                scopes.set(name, (methods = scope(name)));
            return methods;
        }
    });
    const paginate = Object.assign(async (route, ...args) => {
        const octokit = await loaded();
        return octokit.paginate(real(octokit, route), ...args);
    }, {
        iterator: (route, ...args) => (async function* () {
            const octokit = await loaded();
            yield* octokit.paginate.iterator(real(octokit, route), ...args);
        })()
    });
    const request = Object.assign(async (...args) => (await loaded()).request(...args), {
        endpoint: { DEFAULTS: { baseUrl } }
    });
    const graphql = async (...args) => (await loaded()).graphql(...args);
    return { rest, paginate, request, graphql };
}
function writeIntervalFromEnvironment() {
    const text = process.env.SLIPWAY_GITHUB_WRITE_INTERVAL_MS;
    if (text === undefined || !/^\d+$/.test(text))
        return undefined;
    return Number(text);
}
/** Parses `owner/name` (the `repository` input or GITHUB_REPOSITORY); undefined when malformed. */
function parseRepository(text) {
    const match = /^([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9._-]+)$/.exec(text?.trim() ?? '');
    return match ? { owner: match[1], repo: match[2] } : undefined;
}


/***/ }),

/***/ 5438:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   E: () => (/* binding */ parseDuration),
/* harmony export */   a: () => (/* binding */ formatDuration)
/* harmony export */ });
const UNIT_MS = {
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000
};
const DURATION = /^(?:(\d+(?:\.\d+)?)(ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
/**
 * Parses durations such as `30s`, `5m`, `1h30m` or `250ms` into milliseconds.
 * A bare number is read as seconds, as GitHub's `timeout-minutes` users expect a unit-less
 * value to be a plain count. Returns undefined when the text is not a duration.
 */
function parseDuration(text) {
    const value = text.trim();
    if (/^\d+(?:\.\d+)?$/.test(value))
        return Math.round(Number(value) * 1000);
    if (!DURATION.test(value))
        return undefined;
    let total = 0;
    for (const [, amount, unit] of value.matchAll(PART))
        total += Number(amount) * UNIT_MS[unit];
    return Math.round(total);
}
/** Formats milliseconds for people: `850ms`, `12.3s`, `4m 05s`, `1h 02m`. */
function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.round(ms)}ms`;
    if (ms < 60_000)
        return `${(ms / 1000).toFixed(1)}s`;
    const totalSeconds = Math.round(ms / 1000);
    const hours = Math.floor(totalSeconds / 3600);
    const minutes = Math.floor((totalSeconds % 3600) / 60);
    const seconds = totalSeconds % 60;
    if (hours > 0)
        return `${hours}h ${String(minutes).padStart(2, '0')}m`;
    return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}


/***/ }),

/***/ 7817:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Wp: () => (/* binding */ BUG_REPORT_REQUEST),
/* harmony export */   dz: () => (/* binding */ InputError),
/* harmony export */   gJ: () => (/* binding */ errorMessage),
/* harmony export */   yo: () => (/* binding */ UserError)
/* harmony export */ });
/**
 * Something the user can fix: a setting, a missing token or permission, a shallow checkout, a
 * gate their deployment did not pass. Reported plainly, with what to do (`hint`); anything
 * thrown that is not a UserError is a bug in Slipway and is reported with its stack.
 */
class UserError extends Error {
    /** What to do about it, in one sentence ("grant `deployments: write` to the job"). */
    hint;
    constructor(message, hint) {
        super(message);
        this.name = 'UserError';
        this.hint = hint;
    }
}
/**
 * An error the user can fix by changing an input. The message always names the
 * input, the form we expected and what we received, so a failed step explains itself;
 * `hint` adds what to do when that is more than "give the expected form".
 */
class InputError extends UserError {
    input;
    expected;
    received;
    constructor(input, expected, received, hint) {
        const shown = describeReceived(received);
        super(`Input '${input}': expected ${expected}, got ${shown}`, hint);
        this.name = 'InputError';
        this.input = input;
        this.expected = expected;
        this.received = shown;
    }
}
function describeReceived(value) {
    if (value === undefined || value === null || value === '')
        return 'nothing';
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    const clipped = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    return JSON.stringify(clipped);
}
/**
 * What the log says after a bug's stack, in the actions and the CLI alike: the user did nothing
 * wrong, and the lines above are what a report needs.
 */
const BUG_REPORT_REQUEST = 'This is a bug in Slipway, not in your setup: please report it at https://github.com/slipway-dev/slipway/issues with the lines above (secrets are redacted).';
/** The message of anything thrown, without assuming it is an Error. */
function errorMessage(error) {
    if (error instanceof Error)
        return error.message;
    return String(error);
}


/***/ }),

/***/ 3508:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Z: () => (/* binding */ runnerEnvOf),
/* harmony export */   m: () => (/* binding */ systemClock)
/* harmony export */ });
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_os__WEBPACK_IMPORTED_MODULE_0__);

const systemClock = {
    now: () => Date.now(),
    sleep: ms => new Promise(resolve => setTimeout(resolve, ms))
};
/** The runner's environment as GitHub sets it. */
function runnerEnvOf(env = process.env) {
    return {
        workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
        runnerTemp: env.RUNNER_TEMP ?? (0,node_os__WEBPACK_IMPORTED_MODULE_0__.tmpdir)(),
        repository: env.GITHUB_REPOSITORY || undefined,
        sha: env.GITHUB_SHA || undefined,
        serverUrl: env.GITHUB_SERVER_URL || undefined,
        apiUrl: env.GITHUB_API_URL || undefined,
        runId: env.GITHUB_RUN_ID || undefined,
        runAttempt: env.GITHUB_RUN_ATTEMPT || undefined
    };
}


/***/ }),

/***/ 1072:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  C: () => (/* binding */ runAction)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(8161);
;// CONCATENATED MODULE: ./packages/kit/src/runner-commands.ts


// The Actions runner's command protocol (workflow commands on stdout, file commands in
// GITHUB_OUTPUT), written here as @actions/core 3 writes it. Loading @actions/core costs
// more than the rest of an action's start-up (it pulls @actions/http-client and undici for
// OIDC tokens, which no Slipway action asks for), and an input error should not pay for it.
/** Command data as the runner unescapes it: `%`, CR and LF escaped. */
function escapeData(text) {
    return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function issueCommand(command, message, properties = '') {
    process.stdout.write(`::${command}${properties}::${escapeData(message)}${external_node_os_.EOL}`);
}
/** Masks `secret` in the rest of the job's log. */
function setSecret(secret) {
    issueCommand('add-mask', secret);
}
/**
 * Sets a step output: a heredoc in GITHUB_OUTPUT under a random delimiter, or the older
 * `::set-output` command where the runner gives no file (a very old self-hosted runner).
 */
function setOutput(name, value, env = process.env) {
    const file = env.GITHUB_OUTPUT || '';
    if (file) {
        // node:crypto costs milliseconds to load: taken here, where an output is written, so a
        // start that stops at an input error does not pay for it.
        const delimiter = `ghadelimiter_${process.getBuiltinModule('node:crypto').randomUUID()}`;
        if (name.includes(delimiter) || value.includes(delimiter)) {
            throw new Error(`Unexpected output: it contains the delimiter "${delimiter}"`);
        }
        if (!(0,external_node_fs_.existsSync)(file))
            throw new Error(`Missing file at path: ${file}`);
        (0,external_node_fs_.appendFileSync)(file, `${name}<<${delimiter}${external_node_os_.EOL}${value}${external_node_os_.EOL}${delimiter}${external_node_os_.EOL}`, 'utf8');
        return;
    }
    process.stdout.write(external_node_os_.EOL);
    const property = name
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A')
        .replace(/:/g, '%3A')
        .replace(/,/g, '%2C');
    issueCommand('set-output', value, ` name=${property}`);
}
function info(message) {
    process.stdout.write(message + external_node_os_.EOL);
}
/** A warning annotation on the run's page. */
function warning(message) {
    issueCommand('warning', message);
}
/** An error annotation, and the step fails when the process exits. */
function setFailed(message) {
    process.exitCode = 1;
    issueCommand('error', message);
}
function startGroup(name) {
    issueCommand('group', name);
}
function endGroup() {
    issueCommand('endgroup', '');
}

// EXTERNAL MODULE: ./packages/kit/src/errors.ts
var errors = __nccwpck_require__(7817);
// EXTERNAL MODULE: ./packages/kit/src/duration.ts
var duration = __nccwpck_require__(5438);
;// CONCATENATED MODULE: ./packages/kit/src/parsers.ts
const PARSER_NAMES = ['cron-parser', 'jsonpath-plus', 'ajv', 'yaml'];
const loaded = {};
// Each import names its module literally, so the bundler makes it a chunk of its own.
const loaders = {
    'cron-parser': () => __nccwpck_require__.e(/* import() */ 628).then(__nccwpck_require__.t.bind(__nccwpck_require__, 8628, 23)),
    'jsonpath-plus': () => __nccwpck_require__.e(/* import() */ 229).then(__nccwpck_require__.bind(__nccwpck_require__, 6229)),
    ajv: () => __nccwpck_require__.e(/* import() */ 463).then(__nccwpck_require__.t.bind(__nccwpck_require__, 2463, 23)).then(ajvClass),
    yaml: () => __nccwpck_require__.e(/* import() */ 815).then(__nccwpck_require__.t.bind(__nccwpck_require__, 8815, 19))
};
// ajv is CommonJS whose module.exports is the class: Node and jest give the named export, but
// webpack's namespace for a function export (the ncc bundle) carries only `default`.
function ajvClass(module) {
    return { Ajv: (module.Ajv ?? module.default) };
}
async function preloadParsers(names) {
    const slots = loaded;
    await Promise.all([...new Set(names)].map(async (name) => {
        slots[name] ??= await loaders[name]();
    }));
}
/**
 * Which parsers a parse of these input values may need, from cheap checks on the text alone:
 * a cron expression can only be in a value that says `cron` (a freeze window), a JSONPath only
 * in one with a `$` (or a YAML/JSON escape of it), and a config file's content is not read here.
 * yaml is needed by any value that is not a simple plain scalar (`parseYaml` reads those
 * itself), so any newline, space, quote, bracket, indicator or number with a sign or a point,
 * and by a provider that reads YAML files (a value that says kube, compose or helm).
 * Preloading one that goes unused costs a little time; missing one fails the step as a bug.
 */
function neededParsers(values, configFile) {
    if (configFile)
        return [...PARSER_NAMES];
    const needed = new Set();
    for (const value of values) {
        if (/cron/i.test(value))
            needed.add('cron-parser');
        // The HTTP assertions fetch jsonpath-plus for any `expect-json` map, before they check
        // its keys start with `$`: a map in any value may be one.
        if (!isSimpleScalar(value))
            needed.add('yaml').add('jsonpath-plus');
        // The kubernetes and compose providers read YAML files (kubeconfig, manifests, compose
        // file) when they are built, which the parse does to validate the inputs.
        if (/kube|compose|helm/i.test(value))
            needed.add('yaml');
        if (DOLLAR.test(value))
            needed.add('jsonpath-plus');
    }
    return [...needed];
}
/**
 * A one-line value YAML reads as a plain scalar with no indicator in it: letters, digits and
 * `_./@+=%~^,:-`, starting with none of the characters YAML gives a meaning at the start
 * (`-` a list item or `---`, `.` `...`, `:` a key, `%` a directive, `@` reserved, `,` flow, `~`
 * null) and not ending in `:` (a key). Anything else is left to the yaml library.
 */
const SIMPLE_SCALAR = /^(?![-.:%@,~])[A-Za-z0-9_./@+=%~^,:-]+$/;
function isSimpleScalar(value) {
    return value === '' || (SIMPLE_SCALAR.test(value) && !value.endsWith(':'));
}
/** The YAML 1.2 core schema's resolution of a simple plain scalar, as the yaml library does it. */
function coreScalar(text) {
    if (/^(?:null|Null|NULL)$/.test(text))
        return null;
    if (/^(?:true|True|TRUE)$/.test(text))
        return true;
    if (/^(?:false|False|FALSE)$/.test(text))
        return false;
    if (/^0o[0-7]+$/.test(text))
        return parseInt(text.slice(2), 8);
    if (/^0x[0-9a-fA-F]+$/.test(text))
        return parseInt(text.slice(2), 16);
    if (/^[-+]?\.(?:inf|Inf|INF)$/.test(text))
        return text.startsWith('-') ? -Infinity : Infinity;
    if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(text))
        return Number(text);
    return text;
}
/**
 * A YAML value of an input (`yaml.parse`). A simple plain scalar, which `neededParsers` does
 * not preload yaml for, is read here without it; anything else needs the preload.
 */
function parseYaml(text, options) {
    if (!loaded.yaml && isSimpleScalar(text))
        return text === '' ? null : coreScalar(text);
    return parsers.yaml().parse(text, options);
}
/** `$`, or an escape that YAML or JSON turns into one. */
const DOLLAR = /\$|\\(?:x24|u0024|U00000024)/i;
/** The values of a runner step's inputs (`INPUT_*`), for `neededParsers`. */
function stepInputValues(env = process.env) {
    return Object.entries(env)
        .filter(([name, value]) => name.startsWith('INPUT_') && value !== undefined)
        .map(([, value]) => value);
}
let bundled = typeof __nccwpck_require__ === 'function';
/**
 * For tests: `strict` makes the sources behave as a bundle (an accessor without a preload
 * throws), and forgets what was loaded, so a test sees exactly what a preload gave.
 */
function parsersForTest(strict) {
    bundled = strict;
    for (const name of PARSER_NAMES)
        delete loaded[name];
}
/** A bug in Slipway, never a bad input: a catch that turns parse errors into InputErrors rethrows it. */
class ParserNotLoadedError extends Error {
    name = 'ParserNotLoadedError';
}
function parser(name) {
    const module = loaded[name];
    if (module)
        return module;
    if (bundled)
        throw new ParserNotLoadedError(`${name} was used before it was loaded: the front end must await preloadParsers(neededParsers(…)) before parsing`);
    const { createRequire } = process.getBuiltinModule('node:module');
    const required = createRequire(import.meta.url)(name);
    const value = (name === 'ajv' ? ajvClass(required) : required);
    loaded[name] = value;
    return value;
}
/** The loaded parsers, for the synchronous settings parse. */
const parsers = {
    cron: () => parser('cron-parser'),
    jsonpath: () => parser('jsonpath-plus'),
    ajv: () => parser('ajv').Ajv,
    yaml: () => parser('yaml')
};
/**
 * yaml's functions for code that reads YAML files as it builds a provider (compose files,
 * kubeconfigs, manifests, Helm's output): a `provider` of kubernetes or compose makes the front
 * end preload yaml (`neededParsers`), and the run keeps it.
 */
const yamlParse = ((...args) => parsers.yaml().parse(...args));
const yamlStringify = ((...args) => parsers.yaml().stringify(...args));
const yamlParseAllDocuments = ((...args) => parsers.yaml().parseAllDocuments(...args));

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
;// CONCATENATED MODULE: ./packages/kit/src/redact.ts


/**
 * Keeps secrets out of logs, summaries and error messages. The runner masks values
 * registered with `core.setSecret`, but our own text (summaries, JSON reports, errors
 * thrown before registration) must be clean on its own, and the CLI has no runner.
 */
class Redactor {
    secrets = new Set();
    /** Registers a secret. Values shorter than 4 characters would redact ordinary text, so they are skipped. */
    add(secret) {
        if (!secret || secret.length < 4)
            return;
        this.secrets.add(secret);
        // Percent-encoded forms appear inside URLs.
        const encoded = encodeURIComponent(secret);
        if (encoded !== secret)
            this.secrets.add(encoded);
        // Escaped forms appear inside JSON outputs and reports (a quote or backslash in a token).
        const json = JSON.stringify(secret).slice(1, -1);
        if (json !== secret)
            this.secrets.add(json);
    }
    /** Registers the password (and token-like user) found inside a URL. */
    addUrlCredentials(url) {
        for (const secret of urlCredentials(url))
            this.add(secret);
    }
    get values() {
        return [...this.secrets];
    }
    redact(text) {
        let result = redactUrlPasswords(text);
        // Longest first, so a secret containing another is replaced whole.
        for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
            result = result.split(secret).join('***');
        }
        return result;
    }
    /**
     * A copy of a value with every string in it redacted (objects and arrays walked). Redacting
     * before a value is rendered (JSON, XML) catches a secret that the rendering would escape.
     */
    redactValue(value) {
        if (typeof value === 'string')
            return this.redact(value);
        if (Array.isArray(value))
            return value.map(item => this.redactValue(item));
        if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
            const copy = {};
            for (const [key, item] of Object.entries(value))
                copy[key] = this.redactValue(item);
            return copy;
        }
        return value;
    }
}
/**
 * `scheme://user:password@host`, written by people rather than encoders: the password may hold
 * `/` or a raw `@` (so the URL parser rejects it, and an error message then quotes it whole). It
 * ends at the first `@` that is followed by a host: a run without `@` up to a `/ ? #`, white
 * space or the end, so an `@` in a later path or query is not mistaken for it.
 */
const URL_WITH_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):(\S+?)@(?=[^\s@/?#]*(?:[/?#\s]|$))/gi;
/** Replaces the password part of every `scheme://user:password@host` in the text. */
function redactUrlPasswords(text) {
    return text.replace(URL_WITH_PASSWORD, '$1:***@');
}
/** The password of a URL (decoded and as written), if it has one — even when the URL does not parse. */
function urlCredentials(url) {
    let password;
    try {
        password = new URL(url).password;
    }
    catch {
        password = new RegExp(URL_WITH_PASSWORD.source, 'i').exec(url)?.[2] ?? '';
    }
    if (!password)
        return [];
    let decoded = password;
    try {
        decoded = decodeURIComponent(password);
    }
    catch {
        // A stray % in a hand-written password: it is its own literal form.
    }
    return decoded === password ? [password] : [decoded, password];
}
/**
 * Writes a report file (JUnit, JSON) other tools will read and upload: the text is redacted
 * first, the directory created, and the file kept private to the runner's user.
 */
function writeRedactedFile(path, content, redactor) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, redactor.redact(content), { mode: 0o600 });
    return path;
}

;// CONCATENATED MODULE: ./packages/kit/src/suggest.ts
/**
 * The allowed value a mistyped one was most likely meant to be (`bluegreen` → `blue-green`),
 * or undefined when none is close: a suggestion that is far off misleads more than none.
 * Case and the separators `-`, `_`, ` ` are ignored first, then the Damerau–Levenshtein
 * distance (optimal string alignment: a swapped pair of letters is one edit) must be at most
 * a third of the candidate's length, and at least 1.
 */
function closestValue(given, allowed) {
    const wanted = normalized(given);
    if (wanted === '')
        return undefined;
    let best;
    for (const value of allowed) {
        const candidate = normalized(value);
        const distance = editDistance(wanted, candidate);
        if (distance > Math.max(1, Math.floor(candidate.length / 3)))
            continue;
        if (best === undefined || distance < best.distance)
            best = { value, distance };
    }
    return best?.value;
}
/** The sentence error messages add: "did you mean `blue-green`?", or nothing. */
function didYouMean(given, allowed) {
    const value = closestValue(given, allowed);
    return value === undefined || value === given ? undefined : `did you mean \`${value}\`?`;
}
function normalized(text) {
    return text.trim().toLowerCase().replace(/[-_ ]/g, '');
}
/** Optimal string alignment distance; inputs are short (enum values), so O(n·m) is fine. */
function editDistance(a, b) {
    const rows = a.length + 1;
    const cols = b.length + 1;
    const d = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i < rows; i++)
        for (let j = 1; j < cols; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
                d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.length][b.length];
}

;// CONCATENATED MODULE: ./packages/kit/src/inputs.ts





/** Reads inputs the way @actions/core does: `INPUT_<NAME>` with spaces as underscores, upper-cased. */
function environmentInputs(env = process.env) {
    return name => env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`];
}
/** The YAML 1.2 core schema booleans, as @actions/core's getBooleanInput accepts them. */
const TRUE_TEXTS = ['true', 'True', 'TRUE'];
const FALSE_TEXTS = ['false', 'False', 'FALSE'];
/**
 * Typed input readers. Every reader trims, treats an empty value as absent, and throws an
 * InputError naming the input, the expected form and what it received.
 */
class Inputs {
    source;
    /** Names of every input read, so the contract test can compare them with action.yml. */
    read = new Set();
    constructor(source = environmentInputs()) {
        this.source = source;
    }
    raw(name) {
        this.read.add(name);
        const value = this.source(name)?.trim();
        return value === undefined || value === '' ? undefined : value;
    }
    string(name, options = {}) {
        const value = this.raw(name);
        if (value === undefined)
            return this.missing(name, 'a value', options.required, options.default);
        return value;
    }
    requiredString(name) {
        return this.string(name, { required: true });
    }
    int(name, options = {}) {
        const value = this.raw(name);
        const expected = rangeText('a whole number', options.min, options.max);
        if (value === undefined)
            return this.missing(name, expected, options.required, options.default);
        if (!/^-?\d+$/.test(value))
            throw new errors/* InputError */.dz(name, expected, value);
        const number = Number(value);
        if (options.min !== undefined && number < options.min)
            throw new errors/* InputError */.dz(name, expected, value);
        if (options.max !== undefined && number > options.max)
            throw new errors/* InputError */.dz(name, expected, value);
        return number;
    }
    bool(name, defaultValue = false) {
        const value = this.raw(name);
        if (value === undefined)
            return defaultValue;
        if (TRUE_TEXTS.includes(value))
            return true;
        if (FALSE_TEXTS.includes(value))
            return false;
        throw new errors/* InputError */.dz(name, 'true or false', value);
    }
    duration(name, options = {}) {
        const value = this.raw(name) ?? options.default;
        const expected = 'a duration such as 30s, 5m or 1h30m';
        if (value === undefined)
            return this.missing(name, expected, options.required, undefined);
        const ms = (0,duration/* parseDuration */.E)(value);
        if (ms === undefined)
            throw new errors/* InputError */.dz(name, expected, value);
        if (options.min !== undefined && ms < options.min)
            throw new errors/* InputError */.dz(name, `${expected}, at least ${options.min}ms`, value);
        return ms;
    }
    /** A list separated by commas or new lines; blank entries are dropped. */
    list(name, options = {}) {
        const value = this.raw(name);
        if (value === undefined) {
            if (options.required)
                throw new errors/* InputError */.dz(name, 'a comma- or newline-separated list', value);
            return [];
        }
        return value
            .split(/[\n,]/)
            .map(item => item.trim())
            .filter(item => item !== '');
    }
    enumOf(name, allowed, options = {}) {
        const value = this.raw(name);
        const expected = `one of ${allowed.join(', ')}`;
        if (value === undefined)
            return this.missing(name, expected, options.required, options.default);
        if (!allowed.includes(value))
            throw new errors/* InputError */.dz(name, expected, value, didYouMean(value, allowed));
        return value;
    }
    url(name, options = {}) {
        const protocols = options.protocols ?? ['http:', 'https:'];
        const expected = `a URL starting with ${protocols.map(p => `${p}//`).join(' or ')}`;
        const value = this.raw(name);
        if (value === undefined)
            return this.missing(name, expected, options.required, undefined);
        let parsed;
        try {
            parsed = new URL(value);
        }
        catch {
            throw new errors/* InputError */.dz(name, expected, redactUrlPasswords(value));
        }
        if (!protocols.includes(parsed.protocol))
            throw new errors/* InputError */.dz(name, expected, redactUrlPasswords(value));
        return parsed;
    }
    /** A YAML (or JSON, which is YAML) document. The caller validates its shape. */
    yaml(name, options = {}) {
        const value = this.raw(name);
        if (value === undefined)
            return this.missing(name, 'a YAML document', options.required, undefined);
        try {
            return parseYaml(value, { prettyErrors: false });
        }
        catch (error) {
            if (error instanceof ParserNotLoadedError)
                throw error;
            const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
            throw new errors/* InputError */.dz(name, `valid YAML (${reason})`, value);
        }
    }
    json(name, options = {}) {
        const value = this.raw(name);
        if (value === undefined)
            return this.missing(name, 'a JSON document', options.required, undefined);
        try {
            return JSON.parse(value);
        }
        catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            throw new errors/* InputError */.dz(name, `valid JSON (${reason})`, value);
        }
    }
    missing(name, expected, required, fallback) {
        if (required)
            throw new errors/* InputError */.dz(name, expected, undefined);
        return fallback;
    }
}
function rangeText(base, min, max) {
    if (min !== undefined && max !== undefined)
        return `${base} from ${min} to ${max}`;
    if (min !== undefined)
        return `${base} of at least ${min}`;
    if (max !== undefined)
        return `${base} of at most ${max}`;
    return base;
}

// EXTERNAL MODULE: ./packages/kit/src/summary.ts
var src_summary = __nccwpck_require__(5300);
;// CONCATENATED MODULE: ./packages/kit/src/run-action.ts






/**
 * Runs an action's main function. It never throws: any failure fails the step with
 * "<action> failed: <reason>" (secrets redacted), and the summary written so far is kept.
 * A UserError adds what to do to the log; anything else is a bug in Slipway, and the log gets
 * its stack and a request to report it.
 * `name` may be read from the inputs (an action with operations names the one that failed).
 */
async function runAction(name, main) {
    const redactor = new Redactor();
    const summary = new src_summary/* SummaryBuilder */.CF();
    const context = {
        inputs: new Inputs(),
        redactor,
        secret(value) {
            if (!value)
                return;
            setSecret(value);
            redactor.add(value);
        },
        // The one door outputs leave by: every value is redacted with the registered secrets, so a
        // response body or a check name that echoes a token cannot carry it into the next step.
        setOutput(key, value) {
            if (value === undefined)
                return;
            const text = typeof value === 'object' ? JSON.stringify(redactor.redactValue(value)) : String(value);
            setOutput(key, redactor.redact(text));
        },
        summary,
        info: message => info(redactor.redact(message)),
        warning: message => warning(redactor.redact(message)),
        group: (name, fn) => logGroup(redactor.redact(name), fn)
    };
    try {
        // Before the parse, which is synchronous: the parsers its inputs may need (a config file
        // named by an input is read by the parse, so it counts as one).
        const configFile = environmentInputs()('config-file')?.trim();
        await preloadParsers(neededParsers(stepInputValues(), Boolean(configFile)));
        await main(context);
    }
    catch (error) {
        const label = typeof name === 'string' ? name : name(context.inputs);
        setFailed(`${label} failed: ${redactor.redact((0,errors/* errorMessage */.gJ)(error))}`);
        for (const line of explanation(error))
            info(redactor.redact(line));
    }
    finally {
        const markdown = summary.toString();
        if (markdown.trim() !== '') {
            try {
                (0,src_summary/* writeStepSummary */.oG)(redactor.redact(markdown));
            }
            catch (error) {
                warning(`Could not write the job summary: ${(0,errors/* errorMessage */.gJ)(error)}`);
            }
        }
    }
}
let groupOpen = false;
/**
 * GitHub's log has no nested groups (a second `::group::` closes the first), so a group asked
 * for inside another is a header line within it.
 */
async function logGroup(name, fn) {
    if (groupOpen) {
        info(`── ${name} ──`);
        return fn();
    }
    groupOpen = true;
    startGroup(name);
    try {
        return await fn();
    }
    finally {
        endGroup();
        groupOpen = false;
    }
}
/**
 * The log lines after the failure annotation. One annotation per failure: a hint or a stack as
 * a second annotation would read as a second failure on the run's page.
 */
function explanation(error) {
    if (error instanceof errors/* UserError */.yo)
        return error.hint ? [`To fix: ${error.hint}`] : [];
    const stack = error instanceof Error && error.stack ? error.stack : `thrown: ${String(error)}`;
    return [stack, errors/* BUG_REPORT_REQUEST */.Wp];
}


/***/ }),

/***/ 5300:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   CF: () => (/* binding */ SummaryBuilder),
/* harmony export */   nf: () => (/* binding */ link),
/* harmony export */   oG: () => (/* binding */ writeStepSummary)
/* harmony export */ });
/* unused harmony exports escapeCell, escapeHtml */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);

/**
 * Builds a job summary in GitHub-flavoured Markdown. Kept free of @actions/core so the
 * same summaries render in the CLI and in tests; `writeStepSummary` appends it for the runner.
 */
class SummaryBuilder {
    parts = [];
    heading(text, level = 2) {
        this.parts.push(`${'#'.repeat(level)} ${text}`);
        return this;
    }
    paragraph(text) {
        this.parts.push(text);
        return this;
    }
    /**
     * A table; cells are escaped so a `|` or a new line in a value cannot break the layout.
     * GitHub renders a table's first line as its header, so a table without header texts (a
     * key/value table) would open with an empty row: it becomes `keyValues` instead.
     */
    table(headers, rows) {
        if (rows.length === 0)
            return this;
        if (headers.every(header => header.trim() === ''))
            return this.keyValues(rows.map(([key, ...values]) => [key, values.map(value => value ?? '').join(' · ')]));
        const line = (cells) => `| ${cells.map(escapeCell).join(' | ')} |`;
        this.parts.push([line(headers), `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n'));
        return this;
    }
    /** Facts as `**Key:** value` lines: a definition list, with no header row to leave empty. */
    keyValues(rows) {
        const lines = rows.map(([key, value]) => `**${escapeCell(key)}:** ${escapeCell(value)}`);
        // Two trailing spaces end a line without starting a paragraph, so the facts stay one block.
        if (lines.length > 0)
            this.parts.push(lines.join('  \n'));
        return this;
    }
    list(items) {
        if (items.length > 0)
            this.parts.push(items.map(item => `- ${item}`).join('\n'));
        return this;
    }
    details(summary, body) {
        this.parts.push(`<details><summary>${escapeHtml(summary)}</summary>\n\n${body}\n\n</details>`);
        return this;
    }
    code(text, language = '') {
        const fence = text.includes('```') ? '````' : '```';
        this.parts.push(`${fence}${language}\n${text}\n${fence}`);
        return this;
    }
    mermaid(diagram) {
        return this.code(diagram, 'mermaid');
    }
    toString() {
        return `${this.parts.join('\n\n')}\n`;
    }
}
function escapeCell(cell) {
    if (cell === undefined || cell === null)
        return '';
    return String(cell).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}
function escapeHtml(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
function link(text, url) {
    return url ? `[${text.replace(/[[\]]/g, '')}](${url})` : text;
}
/** Appends to the runner's step summary file, when there is one. */
function writeStepSummary(markdown, env = process.env) {
    const file = env.GITHUB_STEP_SUMMARY;
    if (!file)
        return false;
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.appendFileSync)(file, markdown);
    return true;
}


/***/ }),

/***/ 8857:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   I$: () => (/* binding */ ganttOf),
/* harmony export */   lj: () => (/* binding */ parseStages),
/* harmony export */   pv: () => (/* binding */ parseTimeline)
/* harmony export */ });
/* harmony import */ var _slipway_kit__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7817);
/* harmony import */ var _slipway_kit__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(5438);

/**
 * Reads the `stages` input: a list (`- name: deploy, status: success, duration: 2m`) or a
 * map (`deploy: { status: success, started: 2026-…, duration: 95s }`), or the pipeline's `timeline`
 * output (`[{stage, status, startedAt, durationMs, detail}]`); `duration` is a
 * duration text or milliseconds; `started`/`finished` are ISO times or epoch ms.
 */
function parseStages(input, name = 'stages') {
    if (input === undefined || input === null)
        return [];
    const entries = Array.isArray(input)
        ? input.map(item => [undefined, item])
        : typeof input === 'object'
            ? Object.entries(input)
            : [];
    if (entries.length === 0 && !(Array.isArray(input) || typeof input === 'object'))
        throw new _slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(name, 'a list or map of stages with name, status and duration', String(input));
    return entries.map(([key, raw]) => {
        const item = (typeof raw === 'string' ? { status: raw } : raw);
        if (!item || typeof item !== 'object')
            throw new _slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(name, 'each stage an object with status and duration', JSON.stringify(raw));
        const stageName = String(item.name ?? item.stage ?? key ?? '');
        if (!stageName)
            throw new _slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(name, 'each stage to have a name', JSON.stringify(raw));
        const startedAtMs = time(item.started ?? item.startedAt ?? item.start, `${name}.${stageName}.started`);
        const finishedAtMs = time(item.finished ?? item.end, `${name}.${stageName}.finished`);
        let durationMs = durationOf(item.duration ?? item.durationMs, `${name}.${stageName}.duration`);
        if (durationMs === undefined && startedAtMs !== undefined && finishedAtMs !== undefined)
            durationMs = finishedAtMs - startedAtMs;
        return {
            name: stageName,
            status: String(item.status ?? item.outcome ?? 'unknown'),
            startedAtMs,
            durationMs,
            detail: item.detail === undefined ? undefined : String(item.detail)
        };
    });
}
/** Reads the `timeline` input: deploy-strategy's events `[{atMs, step, detail, ok}]`. */
function parseTimeline(input, name = 'timeline') {
    if (input === undefined || input === null)
        return [];
    if (!Array.isArray(input))
        throw new _slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(name, 'a JSON list of {atMs, step, detail, ok}', JSON.stringify(input));
    return input.map(raw => {
        const item = raw;
        if (!item || typeof item.step !== 'string' || typeof item.atMs !== 'number')
            throw new _slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(name, 'each event with a numeric atMs and a step', JSON.stringify(raw));
        return {
            atMs: item.atMs,
            step: item.step,
            detail: item.detail === undefined ? undefined : String(item.detail),
            ok: item.ok === undefined ? undefined : Boolean(item.ok),
            durationMs: typeof item.durationMs === 'number' ? item.durationMs : undefined
        };
    });
}
function time(value, name) {
    if (value === undefined || value === null || value === '')
        return undefined;
    if (typeof value === 'number')
        return value;
    if (value instanceof Date)
        return value.getTime();
    const text = String(value);
    const parsed = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
    if (Number.isNaN(parsed))
        throw new _slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(name, 'an ISO time or epoch milliseconds', text);
    return parsed;
}
function durationOf(value, name) {
    if (value === undefined || value === null || value === '')
        return undefined;
    if (typeof value === 'number')
        return value;
    const parsed = (0,_slipway_kit__WEBPACK_IMPORTED_MODULE_1__/* .parseDuration */ .E)(String(value));
    if (parsed === undefined)
        throw new _slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(name, 'a duration such as 95s or 2m', String(value));
    return parsed;
}
/** Mermaid needs task names without its separators. */
function label(text) {
    return (text
        .replace(/[:;#\n\r]/g, ' ')
        .replace(/\s+/g, ' ')
        .trim() || 'step');
}
/**
 * The run as a mermaid gantt: stages laid end to end (or at their start times), then the
 * strategy's steps, each lasting until the next one. Times are epoch ms (`dateFormat x`).
 */
function ganttOf(stages, timeline, options = {}) {
    const lines = [];
    let cursor = stages.find(s => s.startedAtMs !== undefined)?.startedAtMs ?? 0;
    const stageLines = [];
    let deployStart = options.deployStartedAtMs;
    for (const [index, stage] of stages.entries()) {
        if (stage.durationMs === undefined)
            continue;
        const start = stage.startedAtMs ?? cursor;
        const end = start + Math.max(stage.durationMs, 1);
        const tag = /^(success|passed|ok|skipped)$/i.test(stage.status)
            ? 'done'
            : /fail|error/i.test(stage.status)
                ? 'crit'
                : 'active';
        stageLines.push(`    ${label(stage.name)} :${tag}, s${index}, ${start}, ${end}`);
        if (deployStart === undefined && /deploy/i.test(stage.name))
            deployStart = start;
        cursor = end;
    }
    const stepLines = [];
    const base = deployStart ?? 0;
    for (const [index, step] of timeline.entries()) {
        const next = timeline[index + 1];
        const start = base + step.atMs;
        const duration = step.durationMs ?? (next ? next.atMs - step.atMs : 1);
        const end = start + Math.max(duration, 1);
        const tag = step.ok === false ? 'crit' : 'done';
        const text = step.detail ? `${step.step} ${step.detail}` : step.step;
        stepLines.push(`    ${label(text).slice(0, 60)} :${tag}, t${index}, ${start}, ${end}`);
    }
    if (stageLines.length === 0 && stepLines.length === 0)
        return undefined;
    const span = Math.max(...[...stageLines, ...stepLines].map(line => Number(line.split(', ').pop())), 0) -
        Math.min(...[...stageLines, ...stepLines].map(line => Number(line.split(', ')[2])));
    lines.push('gantt');
    if (options.title)
        lines.push(`    title ${label(options.title)}`);
    lines.push('    dateFormat x');
    lines.push(`    axisFormat ${span >= 3_600_000 ? '%H:%M' : '%M:%S'}`);
    if (stageLines.length > 0)
        lines.push('    section Stages', ...stageLines);
    if (stepLines.length > 0)
        lines.push('    section Strategy', ...stepLines);
    return lines.join('\n');
}


/***/ }),

/***/ 2613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 4434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 9896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 1943:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs/promises");

/***/ }),

/***/ 8611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 5692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 9278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 4589:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:assert");

/***/ }),

/***/ 6698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");

/***/ }),

/***/ 7540:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:console");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 3053:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:diagnostics_channel");

/***/ }),

/***/ 610:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns");

/***/ }),

/***/ 8474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 3024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 2467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

/***/ }),

/***/ 7030:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");

/***/ }),

/***/ 8161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 6760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 643:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:perf_hooks");

/***/ }),

/***/ 1792:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:querystring");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 1692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 3136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 3429:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util/types");

/***/ }),

/***/ 5919:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 857:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");

/***/ }),

/***/ 932:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("process");

/***/ }),

/***/ 3193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");

/***/ }),

/***/ 4756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ }),

/***/ 9154:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("vm");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(3336);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
