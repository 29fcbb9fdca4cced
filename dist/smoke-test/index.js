import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 73030:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _slipway_kit__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(35394);
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(43253);


await (0,_slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .runAction */ .C)('smoke-test', _main_js__WEBPACK_IMPORTED_MODULE_1__/* .main */ .i);

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 43253:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  i: () => (/* binding */ main)
});

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(48161);
;// CONCATENATED MODULE: ./packages/kit/src/ports.ts

const systemClock = {
    now: () => Date.now(),
    sleep: ms => new Promise(resolve => setTimeout(resolve, ms))
};
/** The runner's environment as GitHub sets it. */
function runnerEnvOf(env = process.env) {
    return {
        workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
        runnerTemp: env.RUNNER_TEMP ?? (0,external_node_os_.tmpdir)(),
        repository: env.GITHUB_REPOSITORY || undefined,
        sha: env.GITHUB_SHA || undefined,
        serverUrl: env.GITHUB_SERVER_URL || undefined,
        apiUrl: env.GITHUB_API_URL || undefined,
        runId: env.GITHUB_RUN_ID || undefined,
        runAttempt: env.GITHUB_RUN_ATTEMPT || undefined
    };
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(76760);
// EXTERNAL MODULE: ./packages/kit/src/redact.ts
var redact = __nccwpck_require__(20727);
// EXTERNAL MODULE: ./packages/kit/src/errors.ts
var errors = __nccwpck_require__(77817);
;// CONCATENATED MODULE: ./packages/monitoring/src/url.ts

/** An http(s) URL with a host, or an InputError naming the input (a bare host:port included). */
function httpUrl(text, input, example) {
    if (text === undefined || text.trim() === '')
        return undefined;
    let url;
    try {
        url = new URL(text.trim());
    }
    catch {
        url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname)
        throw new errors/* InputError */.dz(input, `an http(s) URL with its scheme, such as ${example}`, text);
    return text.trim();
}

// EXTERNAL MODULE: ./packages/monitoring/src/matchers.ts
var matchers = __nccwpck_require__(27233);
;// CONCATENATED MODULE: ./packages/monitoring/src/settings.ts



/**
 * Reads the monitoring inputs shared by deploy-strategy, smoke-test and the pipeline; sends
 * nothing. Matchers without an Alertmanager, or an Alertmanager without matchers, is a mistake
 * the step should name before it changes anything.
 */
function parseMonitoringSettings(inputs, runnerEnv) {
    const url = httpUrl(inputs.string('alertmanager-url'), 'alertmanager-url', 'http://alertmanager:9093');
    const matcherText = inputs.string('alert-matchers');
    const silenceText = inputs.string('silence-matchers');
    const onUnavailable = inputs.string('on-monitoring-unavailable', { default: 'fail' });
    const firingBefore = inputs.string('alerts-firing-before', { default: 'report' });
    if (onUnavailable !== 'fail' && onUnavailable !== 'warn')
        throw new errors/* InputError */.dz('on-monitoring-unavailable', 'fail or warn', onUnavailable);
    if (firingBefore !== 'report' && firingBefore !== 'count')
        throw new errors/* InputError */.dz('alerts-firing-before', 'report or count', firingBefore);
    let alerts;
    if (url || matcherText || silenceText) {
        if (!url)
            throw new errors/* InputError */.dz('alertmanager-url', 'the Alertmanager the alert and silence matchers apply to, such as http://alertmanager:9093', url);
        if (!matcherText)
            throw new errors/* InputError */.dz('alert-matchers', 'the alerts that fail the deploy, such as service="shop", severity=~"critical|page"', matcherText);
        alerts = {
            url,
            matchers: (0,matchers/* parseMatchers */.J$)(matcherText, 'alert-matchers'),
            silenceMatchers: silenceText ? (0,matchers/* parseMatchers */.J$)(silenceText, 'silence-matchers') : undefined,
            onUnavailable,
            firingBefore,
            runUrl: runnerEnv.serverUrl && runnerEnv.repository && runnerEnv.runId
                ? `${runnerEnv.serverUrl}/${runnerEnv.repository}/actions/runs/${runnerEnv.runId}`
                : undefined
        };
    }
    return {
        alerts,
        secrets: (0,redact/* urlCredentials */.O4)(url ?? '')
    };
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(73024);
// EXTERNAL MODULE: ./packages/probes/src/prometheus.ts
var prometheus = __nccwpck_require__(98833);
// EXTERNAL MODULE: ./packages/probes/src/http-assertions.ts
var http_assertions = __nccwpck_require__(69807);
// EXTERNAL MODULE: ./packages/kit/src/duration.ts
var src_duration = __nccwpck_require__(55438);
// EXTERNAL MODULE: ./packages/probes/src/http.ts
var http = __nccwpck_require__(1385);
;// CONCATENATED MODULE: ./packages/smoke/src/checks.ts


/**
 * Keys a check in the `checks` YAML may use. Kebab-case like the action's inputs; the
 * camelCase names of HttpSpec are accepted too, so a spec copied from preflight works.
 */
const ALIASES = {
    name: 'name',
    url: 'url',
    path: 'url',
    method: 'method',
    headers: 'headers',
    body: 'body',
    'expect-status': 'expect-status',
    expectStatus: 'expect-status',
    'expect-body': 'expect-body',
    bodyContains: 'expect-body',
    'body-contains': 'expect-body',
    'expect-body-regex': 'expect-body-regex',
    bodyRegex: 'expect-body-regex',
    'body-regex': 'expect-body-regex',
    'expect-json': 'expect-json',
    json: 'expect-json',
    'expect-headers': 'expect-headers',
    expectHeaders: 'expect-headers',
    'max-latency': 'max-latency',
    maxLatency: 'max-latency',
    maxLatencyMs: 'max-latency-ms',
    'max-latency-ms': 'max-latency-ms',
    'follow-redirects': 'follow-redirects',
    followRedirects: 'follow-redirects',
    insecure: 'insecure',
    'ca-file': 'ca-file',
    caFile: 'ca-file',
    ca: 'ca-file',
    retries: 'retries',
    timeout: 'timeout',
    'request-timeout': 'request-timeout',
    requestTimeout: 'request-timeout'
};
/** HttpSpec fields → the YAML key users wrote, for error messages. */
const SPEC_FIELD_KEYS = {
    url: 'url',
    method: 'method',
    headers: 'headers',
    expectStatus: 'expect-status',
    bodyContains: 'expect-body',
    bodyRegex: 'expect-body-regex',
    maxLatencyMs: 'max-latency',
    caFile: 'ca-file'
};
/**
 * Builds the checks from the plain inputs and the `checks` YAML, validating everything
 * before anything is sent. Errors are InputErrors naming the input (`checks`, `url`,
 * `expect-status` …) and, for YAML entries, the entry and key (`checks[1].expect-status`).
 */
function parseChecks(plain, yamlChecks, defaults) {
    const checks = [];
    if (plain.url !== undefined)
        checks.push(plainCheck(plain, defaults));
    else {
        for (const [input, value] of [
            ['expect-status', plain.expectStatus],
            ['expect-body', plain.expectBody],
            ['expect-body-regex', plain.expectBodyRegex],
            ['expect-json', plain.expectJson],
            ['method', plain.method],
            ['body', plain.body]
        ]) {
            if (value !== undefined)
                throw new errors/* InputError */.dz('url', `the URL that ${input} applies to`, undefined);
        }
    }
    if (yamlChecks !== undefined && yamlChecks !== null) {
        if (!Array.isArray(yamlChecks))
            throw new errors/* InputError */.dz('checks', 'a YAML list of checks (- name: …, url: …)', JSON.stringify(yamlChecks));
        yamlChecks.forEach((entry, index) => checks.push(yamlCheck(entry, index, defaults)));
    }
    const seen = new Set();
    for (const check of checks) {
        if (seen.has(check.name))
            throw new errors/* InputError */.dz('checks', `unique check names (${JSON.stringify(check.name)} is used twice)`, check.name);
        seen.add(check.name);
    }
    return checks;
}
function plainCheck(plain, defaults) {
    const url = resolveUrl(plain.url, defaults.baseUrl, 'url');
    const spec = {
        ...specDefaults(defaults),
        url,
        method: plain.method,
        body: plain.body,
        expectStatus: plain.expectStatus,
        bodyContains: plain.expectBody,
        bodyRegex: plain.expectBodyRegex,
        json: plain.expectJson === undefined ? undefined : jsonMap(plain.expectJson, 'expect-json')
    };
    validate(spec, field => {
        const map = {
            url: 'url',
            method: 'method',
            expectStatus: 'expect-status',
            bodyContains: 'expect-body',
            bodyRegex: 'expect-body-regex',
            maxLatencyMs: 'max-latency',
            caFile: 'ca-file',
            headers: 'headers'
        };
        return {
            input: map[field.replace(/\[.*$/, '')] ?? (field.startsWith('json') ? 'expect-json' : field)
        };
    });
    return { name: nameFor(url, plain.method), spec, requestTimeoutMs: defaults.requestTimeoutMs };
}
function yamlCheck(entry, index, defaults) {
    const where = `checks[${index}]`;
    if (typeof entry === 'string')
        entry = { url: entry };
    if (!entry || typeof entry !== 'object' || Array.isArray(entry))
        throw new errors/* InputError */.dz('checks', `${where}: a map with url and assertions`, JSON.stringify(entry));
    const raw = {};
    for (const [key, value] of Object.entries(entry)) {
        const canonical = ALIASES[key];
        if (!canonical)
            throw new errors/* InputError */.dz('checks', `${where}: known keys (${[...new Set(Object.values(ALIASES))].join(', ')})`, key);
        raw[canonical] = value;
    }
    const fail = (key, expected) => {
        throw new errors/* InputError */.dz('checks', `${where}.${key}: ${expected}`, raw[key] === undefined ? undefined : stringify(raw[key]));
    };
    const text = (key) => {
        const value = raw[key];
        if (value === undefined || value === null)
            return undefined;
        if (typeof value === 'string' || typeof value === 'number')
            return String(value);
        return fail(key, 'text');
    };
    const bool = (key) => {
        const value = raw[key];
        if (value === undefined || value === null)
            return undefined;
        if (typeof value === 'boolean')
            return value;
        return fail(key, 'true or false');
    };
    const duration = (key) => {
        const value = raw[key];
        if (value === undefined || value === null)
            return undefined;
        const ms = typeof value === 'number' ? value * 1000 : (0,src_duration/* parseDuration */.E)(String(value));
        if (ms === undefined || !(ms > 0))
            return fail(key, 'a duration such as 500ms, 10s or 2m');
        return ms;
    };
    const urlText = text('url');
    if (urlText === undefined)
        fail('url', 'an http(s) URL, or a path when base-url is set');
    let url;
    try {
        url = resolveUrl(urlText, defaults.baseUrl, 'checks');
    }
    catch {
        return fail('url', defaults.baseUrl
            ? 'an http(s) URL or a path'
            : 'an absolute http(s) URL (or set base-url for paths)');
    }
    let retries;
    if (raw.retries !== undefined) {
        if (typeof raw.retries !== 'number' ||
            !Number.isInteger(raw.retries) ||
            raw.retries < 0 ||
            raw.retries > 1000)
            fail('retries', 'a whole number from 0 to 1000');
        retries = raw.retries;
    }
    let headers = defaults.headers;
    if (raw.headers !== undefined)
        headers = {
            ...(defaults.headers ?? {}),
            ...stringMap(raw.headers, () => fail('headers', 'a map of header names to values'))
        };
    let maxLatencyMs = defaults.maxLatencyMs;
    if (raw['max-latency'] !== undefined)
        maxLatencyMs = duration('max-latency');
    if (raw['max-latency-ms'] !== undefined) {
        const value = raw['max-latency-ms'];
        if (typeof value !== 'number' || !(value > 0))
            fail('max-latency-ms', 'a positive number of milliseconds');
        maxLatencyMs = value;
    }
    let bodyContains;
    const expectBody = raw['expect-body'];
    if (expectBody !== undefined && expectBody !== null) {
        if (typeof expectBody === 'string')
            bodyContains = expectBody;
        else if (Array.isArray(expectBody) && expectBody.every(item => typeof item === 'string'))
            bodyContains = expectBody;
        else
            fail('expect-body', 'text or a list of texts the body must contain');
    }
    const expectStatus = raw['expect-status'];
    if (expectStatus !== undefined &&
        !['string', 'number'].includes(typeof expectStatus) &&
        !Array.isArray(expectStatus))
        fail('expect-status', 'status codes or ranges such as 200, 200-299 or 2xx');
    const body = raw.body;
    const spec = {
        ...specDefaults(defaults),
        url,
        method: text('method'),
        headers,
        body: body === undefined || body === null
            ? undefined
            : typeof body === 'string'
                ? body
                : body,
        expectStatus: expectStatus,
        bodyContains,
        bodyRegex: text('expect-body-regex'),
        json: raw['expect-json'] === undefined
            ? undefined
            : jsonAssertions(raw['expect-json'], `${where}.expect-json`),
        expectHeaders: raw['expect-headers'] === undefined
            ? undefined
            : headerAssertions(raw['expect-headers'], `${where}.expect-headers`),
        maxLatencyMs,
        followRedirects: bool('follow-redirects') ?? defaults.followRedirects,
        insecure: bool('insecure') ?? defaults.insecure,
        caFile: text('ca-file') ?? defaults.caFile
    };
    validate(spec, field => {
        const base = field.replace(/\[.*$/, '');
        const key = SPEC_FIELD_KEYS[base] ??
            (base === 'json' ? 'expect-json' : base === 'expectHeaders' ? 'expect-headers' : base);
        return { input: 'checks', prefix: `${where}.${key}` };
    });
    const method = text('method');
    return {
        name: text('name') ?? nameFor(url, method),
        spec,
        maxAttempts: retries === undefined ? undefined : retries + 1,
        timeoutMs: duration('timeout'),
        requestTimeoutMs: duration('request-timeout') ?? defaults.requestTimeoutMs
    };
}
function specDefaults(defaults) {
    return {
        headers: defaults.headers,
        followRedirects: defaults.followRedirects,
        insecure: defaults.insecure,
        caFile: defaults.caFile,
        maxLatencyMs: defaults.maxLatencyMs
    };
}
/**
 * Runs the probe's own validation and re-throws as an InputError. `inputFor` maps the
 * spec field to the input name, and for YAML entries a prefix such as `checks[2].expect-status`.
 */
function validate(spec, inputFor) {
    try {
        (0,http/* validateHttpSpec */.WE)(spec);
    }
    catch (error) {
        if (!(error instanceof http_assertions/* HttpSpecError */.m6))
            throw error;
        const { input, prefix } = inputFor(error.field);
        throw new errors/* InputError */.dz(input, prefix ? `${prefix}: ${error.expected}` : error.expected, fieldValue(spec, error.field));
    }
}
function fieldValue(spec, field) {
    const value = spec[field.replace(/\[.*$/, '')];
    if (field === 'url' && typeof value === 'string')
        return (0,http/* displayUrl */.Qy)(value);
    return value === undefined ? undefined : stringify(value);
}
/** An absolute URL as is, or a path joined to base-url. */
function resolveUrl(value, baseUrl, input) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
        if (!/^https?:\/\//i.test(value))
            throw new errors/* InputError */.dz(input, 'an http:// or https:// URL', (0,http/* displayUrl */.Qy)(value));
        try {
            return new URL(value).toString();
        }
        catch {
            throw new errors/* InputError */.dz(input, 'a valid URL', (0,http/* displayUrl */.Qy)(value));
        }
    }
    if (!baseUrl)
        throw new errors/* InputError */.dz(input, 'an absolute http(s) URL, or a path with base-url set', value);
    // `base-url: https://host/app` + `/health` → https://host/app/health (not https://host/health).
    const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
    return new URL(value.replace(/^\/+/, ''), base).toString();
}
function nameFor(url, method) {
    const parsed = new URL(url);
    const path = `${parsed.pathname}${parsed.search}`;
    return `${(method ?? 'GET').toUpperCase()} ${path === '' ? '/' : path}`;
}
/** `expect-json` as a map (`$.status: ok`) or a list ({path, equals}). */
function jsonAssertions(value, where) {
    if (Array.isArray(value)) {
        return value.map((item, index) => {
            if (!item || typeof item !== 'object' || typeof item.path !== 'string')
                throw new errors/* InputError */.dz('checks', `${where}[${index}]: {path: "$.…", equals: …}`, stringify(item));
            return item;
        });
    }
    return jsonMap(value, where.startsWith('checks') ? 'checks' : where, where);
}
function jsonMap(value, input, where = input) {
    if (!value || typeof value !== 'object' || Array.isArray(value))
        throw new errors/* InputError */.dz(input, `${where === input ? '' : `${where}: `}a map of JSONPath to expected value, such as {"$.status": "ok"}`, stringify(value));
    return Object.entries(value).map(([path, equals]) => ({
        path,
        equals
    }));
}
/** `expect-headers` as a map (`content-type: ^application/json`) or a list ({name, matches}). */
function headerAssertions(value, where) {
    if (Array.isArray(value)) {
        return value.map((item, index) => {
            if (!item || typeof item !== 'object' || typeof item.name !== 'string')
                throw new errors/* InputError */.dz('checks', `${where}[${index}]: {name, matches}`, stringify(item));
            const header = item;
            return {
                name: header.name,
                matches: header.matches === undefined ? undefined : String(header.matches)
            };
        });
    }
    if (!value || typeof value !== 'object')
        throw new errors/* InputError */.dz('checks', `${where}: a map of header name to regex`, stringify(value));
    return Object.entries(value).map(([name, matches]) => ({
        name,
        matches: matches === null || matches === undefined || matches === '' ? undefined : String(matches)
    }));
}
function stringMap(value, onError) {
    if (!value || typeof value !== 'object' || Array.isArray(value))
        onError();
    const result = {};
    for (const [key, item] of Object.entries(value)) {
        if (item === null || typeof item === 'object')
            onError();
        result[key] = String(item);
    }
    return result;
}
/** Parses the `headers` input: a YAML map. */
function parseHeaders(value, input = 'headers') {
    if (value === undefined || value === null)
        return undefined;
    return stringMap(value, () => {
        throw new errors/* InputError */.dz(input, 'a YAML map of header names to values', stringify(value));
    });
}
function stringify(value) {
    return typeof value === 'string' ? value : JSON.stringify(value);
}

// EXTERNAL MODULE: ./packages/smoke/src/load.ts
var load = __nccwpck_require__(55365);
;// CONCATENATED MODULE: ./packages/smoke/src/plan.ts





/** Load checks are bounded: at most 10 minutes, 1,000 connections and 5 million requests. */
const LOAD_LIMITS = {
    maxDurationMs: 10 * 60_000,
    maxConnections: 1000,
    maxRequests: 5_000_000
};
/** A watch window longer than 6 hours would outlive a job's default time limit. */
const MAX_WATCH_MS = 6 * 3_600_000;
/**
 * Validates every input and builds the plan; nothing is sent. Every problem is an
 * InputError naming the input, so a typo fails the step before any request.
 */
function planSmoke(inputs) {
    if (inputs.baseUrl !== undefined) {
        try {
            const base = new URL(inputs.baseUrl);
            if (base.protocol !== 'http:' && base.protocol !== 'https:')
                throw new Error('protocol');
        }
        catch {
            throw new errors/* InputError */.dz('base-url', 'an absolute http(s) URL', inputs.baseUrl);
        }
    }
    const headers = parseHeaders(inputs.headers);
    const checks = parseChecks({
        url: inputs.url,
        method: inputs.method,
        body: inputs.body,
        expectStatus: inputs.expectStatus,
        expectBody: inputs.expectBody,
        expectBodyRegex: inputs.expectBodyRegex,
        expectJson: inputs.expectJson
    }, inputs.checks, {
        baseUrl: inputs.baseUrl,
        headers,
        requestTimeoutMs: inputs.requestTimeoutMs,
        followRedirects: inputs.followRedirects,
        insecure: inputs.insecure,
        caFile: inputs.caFile,
        maxLatencyMs: inputs.maxLatencyMs
    });
    const queries = parseQueries(inputs);
    if (checks.length === 0 && queries.length === 0 && !inputs.alerts)
        throw new errors/* InputError */.dz('url', 'a URL to check (or a list in `checks`, Prometheus `queries`, or `alert-matchers`)', undefined);
    // A request timeout longer than the overall timeout is harmless: each attempt is cut at
    // the deadline (never below 1 s), so a short `timeout` with the default request timeout works.
    const load = planLoad(inputs, checks, headers);
    let watch;
    if (inputs.watchMs !== undefined || queries.length > 0 || inputs.alerts) {
        const windowMs = inputs.watchMs ?? 0;
        if (windowMs > MAX_WATCH_MS)
            throw new errors/* InputError */.dz('watch', 'a duration of at most 6h', `${windowMs}ms`);
        if (windowMs > 0 && inputs.watchIntervalMs > windowMs)
            throw new errors/* InputError */.dz('watch-interval', `at most the watch window (${windowMs}ms)`, `${inputs.watchIntervalMs}ms`);
        watch = {
            windowMs,
            intervalMs: inputs.watchIntervalMs,
            failureLimit: inputs.failureLimit,
            checks,
            queries,
            alerts: inputs.alerts,
            requestTimeoutMs: inputs.requestTimeoutMs,
            concurrency: inputs.concurrency
        };
    }
    return {
        checks,
        timeoutMs: inputs.timeoutMs,
        retryIntervalMs: inputs.retryIntervalMs,
        // The backoff stops growing at 5 s (or the first interval, when that is longer): a
        // deployment that becomes ready is noticed within seconds, not half a minute later.
        maxRetryIntervalMs: Math.max(inputs.retryIntervalMs, 5000),
        concurrency: inputs.concurrency,
        load,
        watch,
        junitPath: inputs.junitPath,
        dryRun: inputs.dryRun
    };
}
function parseQueries(inputs) {
    if (inputs.queries === undefined || inputs.queries === null)
        return [];
    if (!inputs.prometheusUrl)
        throw new errors/* InputError */.dz('prometheus-url', 'the Prometheus server the queries run against', undefined);
    if (!Array.isArray(inputs.queries))
        throw new errors/* InputError */.dz('queries', 'a YAML list of {name, query, max?, min?}', JSON.stringify(inputs.queries));
    const names = new Set();
    return inputs.queries.map((entry, index) => {
        const where = `queries[${index}]`;
        if (!entry || typeof entry !== 'object' || Array.isArray(entry))
            throw new errors/* InputError */.dz('queries', `${where}: a map {name, query, max?, min?}`, JSON.stringify(entry));
        const raw = entry;
        for (const key of Object.keys(raw)) {
            if (!['name', 'query', 'max', 'min', 'on-empty', 'onEmpty'].includes(key))
                throw new errors/* InputError */.dz('queries', `${where}: known keys (name, query, max, min, on-empty)`, key);
        }
        const spec = {
            url: inputs.prometheusUrl,
            query: typeof raw.query === 'string' ? raw.query : undefined,
            name: typeof raw.name === 'string' && raw.name.trim() !== ''
                ? raw.name
                : String(raw.query ?? where),
            min: raw.min === undefined || raw.min === null ? undefined : raw.min,
            max: raw.max === undefined || raw.max === null ? undefined : raw.max,
            // The app's `headers` (its tokens) are not sent to Prometheus: credentials for a
            // protected Prometheus go in prometheus-url (https://user:password@host), sent as Basic auth.
            onEmpty: (raw['on-empty'] ?? raw.onEmpty)
        };
        if (spec.min === undefined && spec.max === undefined)
            throw new errors/* InputError */.dz('queries', `${where}: a threshold (max or min) for ${spec.name}`, JSON.stringify(entry));
        try {
            (0,prometheus/* validatePrometheusSpec */.cN)(spec);
        }
        catch (error) {
            if (!(error instanceof prometheus/* PrometheusSpecError */.gn))
                throw error;
            const input = error.field === 'url' ? 'prometheus-url' : 'queries';
            const expected = error.message.replace(/^expected /, '').replace(/, got [\s\S]*$/, '');
            if (input === 'prometheus-url')
                throw new errors/* InputError */.dz(input, expected, inputs.prometheusUrl);
            throw new errors/* InputError */.dz(input, `${where}.${error.field}: ${expected}`, JSON.stringify(entry));
        }
        if (names.has(spec.name))
            throw new errors/* InputError */.dz('queries', `unique query names (${JSON.stringify(spec.name)} is used twice)`, spec.name);
        names.add(spec.name);
        return spec;
    });
}
function planLoad(inputs, checks, headers) {
    const loadInputs = [
        ['load-url', inputs.loadUrl],
        ['load-rate', inputs.loadRate],
        ['load-max-error-rate', inputs.loadMaxErrorRate],
        ['load-max-p95', inputs.loadMaxP95Ms],
        ['load-max-p99', inputs.loadMaxP99Ms],
        ['load-min-rps', inputs.loadMinRps],
        ['baseline', inputs.baseline]
    ];
    if (inputs.loadDurationMs === undefined) {
        const stray = loadInputs.find(([, value]) => value !== undefined);
        if (stray)
            throw new errors/* InputError */.dz('load-duration', `a duration for the load check that ${stray[0]} configures`, undefined);
        return undefined;
    }
    if (inputs.loadDurationMs > LOAD_LIMITS.maxDurationMs)
        throw new errors/* InputError */.dz('load-duration', 'a duration of at most 10m', `${inputs.loadDurationMs}ms`);
    if (inputs.loadConnections > LOAD_LIMITS.maxConnections)
        throw new errors/* InputError */.dz('load-connections', `at most ${LOAD_LIMITS.maxConnections}`, String(inputs.loadConnections));
    if (inputs.loadMaxRequests > LOAD_LIMITS.maxRequests)
        throw new errors/* InputError */.dz('load-max-requests', `at most ${LOAD_LIMITS.maxRequests}`, String(inputs.loadMaxRequests));
    // The load goes to load-url, else to the single plain `url` (or the first check).
    const target = inputs.loadUrl ?? checks[0]?.spec.url;
    if (!target)
        throw new errors/* InputError */.dz('load-url', 'the URL to put load on (or a `url`)', undefined);
    const url = resolveUrl(target, inputs.baseUrl, 'load-url');
    let expectStatus = [{ min: 200, max: 399 }];
    const statusSource = inputs.loadUrl === undefined ? checks[0]?.spec.expectStatus : undefined;
    if (statusSource !== undefined) {
        try {
            expectStatus = (0,http_assertions/* parseStatusList */.AQ)(statusSource);
        }
        catch (error) {
            if (!(error instanceof http_assertions/* HttpSpecError */.m6))
                throw error;
            throw new errors/* InputError */.dz('expect-status', error.expected, String(statusSource));
        }
    }
    let baseline;
    if (inputs.baseline !== undefined)
        baseline = readBaseline(inputs.baseline);
    return {
        url,
        method: inputs.loadUrl === undefined ? checks[0]?.spec.method : undefined,
        headers,
        body: inputs.loadUrl === undefined && typeof checks[0]?.spec.body === 'string'
            ? checks[0].spec.body
            : undefined,
        durationMs: inputs.loadDurationMs,
        connections: inputs.loadConnections,
        rate: inputs.loadRate,
        maxRequests: inputs.loadMaxRequests,
        requestTimeoutMs: inputs.requestTimeoutMs,
        expectStatus,
        thresholds: {
            maxErrorRate: fraction('load-max-error-rate', inputs.loadMaxErrorRate ?? '1%'),
            maxP95Ms: inputs.loadMaxP95Ms,
            maxP99Ms: inputs.loadMaxP99Ms,
            minRps: inputs.loadMinRps === undefined
                ? undefined
                : positiveNumber('load-min-rps', inputs.loadMinRps)
        },
        baseline,
        tolerance: fraction('baseline-tolerance', inputs.baselineTolerance ?? '20%')
    };
}
/** `1%` → 0.01; `0.05` → 0.05. A bare number must be a fraction from 0 to 1. */
function fraction(input, text) {
    const value = text.trim();
    const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(value);
    const number = percent
        ? Number(percent[1]) / 100
        : /^\d+(?:\.\d+)?$/.test(value)
            ? Number(value)
            : NaN;
    if (!Number.isFinite(number) || number < 0 || number > 1)
        throw new errors/* InputError */.dz(input, 'a percentage such as 1% or a fraction from 0 to 1 such as 0.01', text);
    return number;
}
function positiveNumber(input, text) {
    const value = Number(text.trim());
    if (!/^\d+(?:\.\d+)?$/.test(text.trim()) || !(value > 0))
        throw new errors/* InputError */.dz(input, 'a positive number', text);
    return value;
}
/** JSON text of a previous report (or its figures), or the path of a file holding it. */
function readBaseline(text) {
    let json = text.trim();
    if (!json.startsWith('{')) {
        try {
            json = (0,external_node_fs_.readFileSync)(json, 'utf8');
        }
        catch {
            throw new errors/* InputError */.dz('baseline', 'a previous smoke-test report as JSON, or the path of a file holding it', text);
        }
    }
    let document;
    try {
        document = JSON.parse(json);
    }
    catch (error) {
        throw new errors/* InputError */.dz('baseline', `valid JSON (${error instanceof Error ? error.message : String(error)})`, text);
    }
    const baseline = (0,load/* baselineFrom */.cq)(document);
    if (!baseline)
        throw new errors/* InputError */.dz('baseline', 'a report with load figures (load.figures.p95Ms, p99Ms or rps)', text);
    return baseline;
}

;// CONCATENATED MODULE: ./packages/smoke/src/settings.ts




/**
 * Reads and validates the smoke-test inputs; sends nothing. Every problem is an InputError
 * naming the input, so a typo fails the step before any request.
 */
function parseSmokeSettings(inputs, runnerEnv) {
    const monitoring = parseMonitoringSettings(inputs, runnerEnv);
    const plan = planSmoke({ ...readSmokeInputs(inputs), alerts: monitoring.alerts });
    return {
        ...plan,
        junitPath: plan.junitPath ?? (0,external_node_path_.join)(runnerEnv.runnerTemp, 'slipway-smoke-junit.xml'),
        secrets: [...new Set([...secretsOf(plan), ...monitoring.secrets])]
    };
}
/** Reads every input with its typed reader; validation of their combination is planSmoke's job. */
function readSmokeInputs(inputs) {
    return {
        url: inputs.string('url'),
        baseUrl: inputs.string('base-url'),
        method: inputs.string('method'),
        body: inputs.string('body'),
        headers: inputs.yaml('headers'),
        expectStatus: inputs.string('expect-status'),
        expectBody: inputs.string('expect-body'),
        expectBodyRegex: inputs.string('expect-body-regex'),
        expectJson: inputs.yaml('expect-json'),
        maxLatencyMs: inputs.duration('max-latency', { min: 1 }),
        followRedirects: inputs.bool('follow-redirects', true),
        insecure: inputs.bool('insecure', false),
        caFile: inputs.string('ca-file'),
        checks: inputs.yaml('checks'),
        timeoutMs: inputs.duration('timeout', { default: '2m', min: 1 }),
        requestTimeoutMs: inputs.duration('request-timeout', { default: '10s', min: 1 }),
        retryIntervalMs: inputs.duration('retry-interval', { default: '1s', min: 1 }),
        concurrency: inputs.int('concurrency', { default: 10, min: 1, max: 256 }),
        loadDurationMs: inputs.duration('load-duration', { min: 100 }),
        loadUrl: inputs.string('load-url'),
        loadConnections: inputs.int('load-connections', { default: 10, min: 1, max: 1000 }),
        loadRate: inputs.int('load-rate', { min: 1 }),
        loadMaxRequests: inputs.int('load-max-requests', {
            default: 1_000_000,
            min: 1,
            max: 5_000_000
        }),
        loadMaxErrorRate: inputs.string('load-max-error-rate'),
        loadMaxP95Ms: inputs.duration('load-max-p95', { min: 1 }),
        loadMaxP99Ms: inputs.duration('load-max-p99', { min: 1 }),
        loadMinRps: inputs.string('load-min-rps'),
        baseline: inputs.string('baseline'),
        baselineTolerance: inputs.string('baseline-tolerance'),
        watchMs: inputs.duration('watch', { min: 1 }),
        watchIntervalMs: inputs.duration('watch-interval', { default: '30s', min: 100 }),
        prometheusUrl: inputs.string('prometheus-url'),
        queries: inputs.yaml('queries'),
        failureLimit: inputs.int('failure-limit', { default: 1, min: 1, max: 1000 }),
        junitPath: inputs.string('junit-path'),
        dryRun: inputs.bool('dry-run')
    };
}
/** Credentials in URLs and in request headers stay out of the log, the summary and the report. */
function secretsOf(plan) {
    const secrets = [];
    for (const url of [
        ...plan.checks.map(c => c.spec.url),
        plan.load?.url,
        plan.watch?.queries[0]?.url
    ])
        secrets.push(...(0,redact/* urlCredentials */.O4)(url ?? ''));
    for (const check of plan.checks)
        for (const [name, value] of Object.entries(check.spec.headers ?? {}))
            if (/authorization|token|key|secret|cookie|password/i.test(name)) {
                secrets.push(value);
                // `Bearer <token>`: a server may echo the credential without its scheme.
                secrets.push(/^[A-Za-z]+\s+(\S+)$/.exec(value)?.[1]);
            }
    return [...new Set(secrets.filter((s) => !!s))];
}

;// CONCATENATED MODULE: ./actions/smoke-test/src/main.ts


// Only the settings are parsed here. The run, with the modules only a run needs, is a chunk of
// its own that loads once the inputs are good: an input error costs what reading them costs.
async function main(ctx) {
    const settings = parseSmokeSettings(ctx.inputs, runnerEnvOf());
    settings.secrets.forEach(ctx.secret);
    const { run } = await __nccwpck_require__.e(/* import() */ 225).then(__nccwpck_require__.bind(__nccwpck_require__, 99225));
    await run(ctx, settings);
}


/***/ }),

/***/ 55438:
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

/***/ 77817:
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

/***/ 69460:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   H8: () => (/* binding */ stepInputValues),
/* harmony export */   T_: () => (/* binding */ parsers),
/* harmony export */   Ut: () => (/* binding */ neededParsers),
/* harmony export */   ew: () => (/* binding */ ParserNotLoadedError),
/* harmony export */   gk: () => (/* binding */ preloadParsers),
/* harmony export */   hN: () => (/* binding */ parseYaml)
/* harmony export */ });
/* unused harmony exports PARSER_NAMES, parsersForTest, yamlParse, yamlStringify, yamlParseAllDocuments */
const PARSER_NAMES = ['cron-parser', 'jsonpath-plus', 'ajv', 'yaml'];
const loaded = {};
// Each import names its module literally, so the bundler makes it a chunk of its own.
const loaders = {
    'cron-parser': () => __nccwpck_require__.e(/* import() */ 628).then(__nccwpck_require__.t.bind(__nccwpck_require__, 28628, 23)),
    'jsonpath-plus': () => __nccwpck_require__.e(/* import() */ 229).then(__nccwpck_require__.bind(__nccwpck_require__, 96229)),
    ajv: () => __nccwpck_require__.e(/* import() */ 463).then(__nccwpck_require__.t.bind(__nccwpck_require__, 42463, 23)).then(ajvClass),
    yaml: () => __nccwpck_require__.e(/* import() */ 815).then(__nccwpck_require__.t.bind(__nccwpck_require__, 38815, 19))
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


/***/ }),

/***/ 20727:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   BM: () => (/* binding */ redactUrlPasswords),
/* harmony export */   O4: () => (/* binding */ urlCredentials),
/* harmony export */   cW: () => (/* binding */ writeRedactedFile),
/* harmony export */   pO: () => (/* binding */ Redactor)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);


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
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdirSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)(path), { recursive: true });
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.writeFileSync)(path, redactor.redact(content), { mode: 0o600 });
    return path;
}


/***/ }),

/***/ 35394:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  C: () => (/* binding */ runAction)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(73024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(48161);
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
var errors = __nccwpck_require__(77817);
// EXTERNAL MODULE: ./packages/kit/src/duration.ts
var duration = __nccwpck_require__(55438);
// EXTERNAL MODULE: ./packages/kit/src/parsers.ts
var parsers = __nccwpck_require__(69460);
// EXTERNAL MODULE: ./packages/kit/src/redact.ts
var redact = __nccwpck_require__(20727);
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
            throw new errors/* InputError */.dz(name, expected, (0,redact/* redactUrlPasswords */.BM)(value));
        }
        if (!protocols.includes(parsed.protocol))
            throw new errors/* InputError */.dz(name, expected, (0,redact/* redactUrlPasswords */.BM)(value));
        return parsed;
    }
    /** A YAML (or JSON, which is YAML) document. The caller validates its shape. */
    yaml(name, options = {}) {
        const value = this.raw(name);
        if (value === undefined)
            return this.missing(name, 'a YAML document', options.required, undefined);
        try {
            return (0,parsers/* parseYaml */.hN)(value, { prettyErrors: false });
        }
        catch (error) {
            if (error instanceof parsers/* ParserNotLoadedError */.ew)
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
var src_summary = __nccwpck_require__(55300);
;// CONCATENATED MODULE: ./packages/kit/src/run-action.ts






/**
 * Runs an action's main function. It never throws: any failure fails the step with
 * "<action> failed: <reason>" (secrets redacted), and the summary written so far is kept.
 * A UserError adds what to do to the log; anything else is a bug in Slipway, and the log gets
 * its stack and a request to report it.
 * `name` may be read from the inputs (an action with operations names the one that failed).
 */
async function runAction(name, main) {
    const redactor = new redact/* Redactor */.pO();
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
        await (0,parsers/* preloadParsers */.gk)((0,parsers/* neededParsers */.Ut)((0,parsers/* stepInputValues */.H8)(), Boolean(configFile)));
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

/***/ 55300:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   CF: () => (/* binding */ SummaryBuilder),
/* harmony export */   nf: () => (/* binding */ link),
/* harmony export */   oG: () => (/* binding */ writeStepSummary)
/* harmony export */ });
/* unused harmony exports escapeCell, escapeHtml */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(73024);
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

/***/ 27233:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   J$: () => (/* binding */ parseMatchers),
/* harmony export */   cT: () => (/* binding */ formatMatcher)
/* harmony export */ });
/* unused harmony export matchesAll */
/* harmony import */ var _slipway_kit__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(77817);

const EXPECTED = 'Alertmanager matchers separated by commas, such as service="shop", severity=~"critical|page" (operators =, !=, =~, !~)';
/**
 * Parses the matcher syntax Alertmanager documents (amtool, routes, silences): comma separated,
 * optionally inside one pair of braces, values quoted (with \" and \\ escapes) or bare. A
 * malformed list is an InputError naming `input`, so a typo fails before any request.
 */
function parseMatchers(text, input) {
    let rest = text.trim();
    if (rest.startsWith('{')) {
        if (!rest.endsWith('}'))
            throw new _slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(input, EXPECTED, text);
        rest = rest.slice(1, -1).trim();
    }
    const matchers = [];
    // Bounded: every pass consumes at least one matcher's text or throws.
    while (rest.length > 0) {
        const head = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*/.exec(rest);
        if (!head)
            throw new _slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(input, EXPECTED, text);
        rest = rest.slice(head[0].length);
        let value;
        if (rest.startsWith('"')) {
            const quoted = /^"((?:[^"\\]|\\.)*)"/.exec(rest);
            if (!quoted)
                throw new _slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(input, EXPECTED, text);
            value = quoted[1].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
            rest = rest.slice(quoted[0].length);
        }
        else {
            // Bare values stop at an operator character: `service==shop` is a typo, not "=shop".
            const bare = /^[^,"{}\s=!~]*/.exec(rest)[0];
            value = bare;
            rest = rest.slice(bare.length);
        }
        const operator = head[2];
        if (operator === '=~' || operator === '!~') {
            try {
                new RegExp(`^(?:${value})$`);
            }
            catch {
                throw new _slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(input, `${EXPECTED}; a valid regular expression after ${operator}`, text);
            }
        }
        matchers.push({ name: head[1], operator, value });
        rest = rest.trimStart();
        if (rest.startsWith(',')) {
            rest = rest.slice(1).trimStart();
            if (rest.length === 0)
                throw new _slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(input, EXPECTED, text);
        }
        else if (rest.length > 0)
            throw new _slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(input, EXPECTED, text);
    }
    if (matchers.length === 0)
        throw new _slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(input, EXPECTED, text);
    return matchers;
}
/** A matcher as Alertmanager's `filter` query parameter takes it. */
function formatMatcher(matcher) {
    return `${matcher.name}${matcher.operator}${JSON.stringify(matcher.value)}`;
}
/** Whether a label set satisfies every matcher (regexes are anchored, as in Alertmanager). */
function matchesAll(labels, matchers) {
    return matchers.every(m => {
        const value = labels[m.name] ?? '';
        switch (m.operator) {
            case '=':
                return value === m.value;
            case '!=':
                return value !== m.value;
            case '=~':
                return new RegExp(`^(?:${m.value})$`).test(value);
            case '!~':
                return !new RegExp(`^(?:${m.value})$`).test(value);
        }
    });
}


/***/ }),

/***/ 69807:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $Q: () => (/* binding */ clip),
/* harmony export */   AQ: () => (/* binding */ parseStatusList),
/* harmony export */   Dq: () => (/* binding */ evaluateAssertions),
/* harmony export */   W_: () => (/* binding */ statusMatches),
/* harmony export */   Wc: () => (/* binding */ formatStatusList),
/* harmony export */   _d: () => (/* binding */ validateAssertions),
/* harmony export */   m6: () => (/* binding */ HttpSpecError)
/* harmony export */ });
/* unused harmony exports DEFAULT_EXPECT_STATUS, compileRegex */
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(57975);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_util__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _slipway_kit__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(77817);
/* harmony import */ var _slipway_kit__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(69460);


const DEFAULT_EXPECT_STATUS = [{ min: 200, max: 399 }];
/**
 * Thrown for a malformed spec; `field` names the part of the spec at fault. Messages read
 * "expected <form>, got <value>"; `expected` holds the form alone, for callers that wrap
 * the error in their own (smoke-test's InputError).
 */
class HttpSpecError extends _slipway_kit__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo {
    field;
    expected;
    constructor(field, message) {
        super(message, `fix the \`${field}\` of this HTTP check in your settings.`);
        this.field = field;
        this.name = 'HttpSpecError';
        this.expected = message.replace(/^expected /, '').replace(/, got [\s\S]*$/, '');
    }
}
/**
 * Parses `200,201,300-399`, `2xx`, `[200, '300-399']` into ranges. Throws an HttpSpecError
 * (field `expectStatus`) on anything that is not a status code from 100 to 599.
 */
function parseStatusList(spec) {
    const items = Array.isArray(spec) ? spec : [spec];
    const ranges = [];
    for (const item of items) {
        const parts = typeof item === 'number'
            ? [String(item)]
            : String(item)
                .replace(/\s*-\s*/g, '-')
                .split(/[\s,]+/);
        for (const raw of parts) {
            const part = raw.trim();
            if (part === '')
                continue;
            ranges.push(parseStatusPart(part));
        }
    }
    if (ranges.length === 0)
        throw new HttpSpecError('expectStatus', 'expected at least one status code or range, got nothing');
    return ranges;
}
function parseStatusPart(part) {
    const bad = () => new HttpSpecError('expectStatus', `expected status codes or ranges such as 200, 200-299 or 2xx (100–599), got ${JSON.stringify(part)}`);
    const wildcard = /^([1-5])xx$/i.exec(part);
    if (wildcard)
        return { min: Number(wildcard[1]) * 100, max: Number(wildcard[1]) * 100 + 99 };
    const range = /^(\d{3})(?:\s*-\s*(\d{3}))?$/.exec(part);
    if (!range)
        throw bad();
    const min = Number(range[1]);
    const max = range[2] === undefined ? min : Number(range[2]);
    if (min < 100 || max > 599 || min > max)
        throw bad();
    return { min, max };
}
function statusMatches(status, ranges) {
    return ranges.some(range => status >= range.min && status <= range.max);
}
/** `200-299, 404` — for messages. */
function formatStatusList(ranges) {
    return ranges.map(r => (r.min === r.max ? String(r.min) : `${r.min}-${r.max}`)).join(', ');
}
/** Compiles a user's regular expression; `/pattern/flags` form is accepted as well as a bare pattern. */
function compileRegex(field, pattern) {
    const literal = /^\/(.*)\/([dgimsuy]*)$/s.exec(pattern);
    try {
        return literal ? new RegExp(literal[1], literal[2]) : new RegExp(pattern);
    }
    catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new HttpSpecError(field, `expected a valid regular expression (${reason}), got ${JSON.stringify(pattern)}`);
    }
}
/**
 * Checks the spec's assertion fields without a response: status list, regexes, JSONPath
 * shape. Throws an HttpSpecError naming the field, so callers can turn it into an InputError.
 */
function validateAssertions(spec) {
    if (spec.expectStatus !== undefined)
        parseStatusList(spec.expectStatus);
    if (spec.bodyRegex !== undefined)
        compileRegex('bodyRegex', spec.bodyRegex);
    if (spec.bodyContains !== undefined) {
        const list = Array.isArray(spec.bodyContains) ? spec.bodyContains : [spec.bodyContains];
        if (list.some(item => typeof item !== 'string' || item === ''))
            throw new HttpSpecError('bodyContains', 'expected non-empty text or a list of texts');
    }
    for (const [index, assertion] of (spec.json ?? []).entries()) {
        const field = `json[${index}]`;
        if (!assertion ||
            typeof assertion !== 'object' ||
            typeof assertion.path !== 'string' ||
            !assertion.path.startsWith('$'))
            throw new HttpSpecError(field, `expected {path: "$.…", equals: …}, got ${JSON.stringify(assertion)}`);
        if (!('equals' in assertion) && assertion.exists === undefined)
            throw new HttpSpecError(field, `expected "equals" or "exists" for the path, got ${JSON.stringify(assertion)}`);
        // Taken outside the try, and only for a path of the right shape (a front end preloads the
        // library for values holding `$`): a parser that was not loaded is a bug, not a bad path.
        const { JSONPath } = _slipway_kit__WEBPACK_IMPORTED_MODULE_2__/* .parsers */ .T_.jsonpath();
        try {
            JSONPath({ path: assertion.path, json: {}, wrap: true });
        }
        catch (error) {
            throw new HttpSpecError(field, `expected a valid JSONPath (${String(error)}), got ${JSON.stringify(assertion.path)}`);
        }
    }
    for (const [index, header] of (spec.expectHeaders ?? []).entries()) {
        const field = `expectHeaders[${index}]`;
        if (!header ||
            typeof header !== 'object' ||
            typeof header.name !== 'string' ||
            header.name.trim() === '')
            throw new HttpSpecError(field, `expected {name, matches}, got ${JSON.stringify(header)}`);
        if (header.matches !== undefined)
            compileRegex(`${field}.matches`, String(header.matches));
    }
    if (spec.maxLatencyMs !== undefined &&
        !(Number.isFinite(spec.maxLatencyMs) && spec.maxLatencyMs > 0))
        throw new HttpSpecError('maxLatencyMs', `expected a positive number of milliseconds, got ${JSON.stringify(spec.maxLatencyMs)}`);
}
/**
 * Evaluates every assertion in a fixed order (status, latency, headers, body, JSON) and
 * returns the failures. The status comes first because a wrong status usually explains
 * every later failure.
 */
function evaluateAssertions(spec, response, latencyMs) {
    const failures = [];
    const expected = spec.expectStatus === undefined ? DEFAULT_EXPECT_STATUS : parseStatusList(spec.expectStatus);
    if (!statusMatches(response.status, expected))
        failures.push({
            assertion: 'status',
            message: `status ${response.status}, expected ${formatStatusList(expected)}`
        });
    if (spec.maxLatencyMs !== undefined && latencyMs > spec.maxLatencyMs)
        failures.push({
            assertion: 'latency',
            message: `latency ${Math.round(latencyMs)}ms over the budget of ${spec.maxLatencyMs}ms`
        });
    for (const header of spec.expectHeaders ?? []) {
        const value = response.headers.get(header.name);
        if (value === null)
            failures.push({ assertion: 'header', message: `header ${header.name} missing` });
        else if (header.matches !== undefined &&
            !compileRegex('expectHeaders.matches', header.matches).test(value))
            failures.push({
                assertion: 'header',
                message: `header ${header.name}: ${JSON.stringify(clip(value, 100))} does not match /${header.matches}/`
            });
    }
    const contains = spec.bodyContains === undefined
        ? []
        : Array.isArray(spec.bodyContains)
            ? spec.bodyContains
            : [spec.bodyContains];
    for (const text of contains) {
        if (!response.body.includes(text))
            failures.push({
                assertion: 'body',
                message: `body does not contain ${JSON.stringify(clip(text, 100))}`
            });
    }
    if (spec.bodyRegex !== undefined &&
        !compileRegex('bodyRegex', spec.bodyRegex).test(response.body))
        failures.push({ assertion: 'body', message: `body does not match /${spec.bodyRegex}/` });
    if (spec.json && spec.json.length > 0)
        failures.push(...evaluateJson(spec.json, response));
    return failures;
}
function evaluateJson(assertions, response) {
    let document;
    try {
        document = JSON.parse(response.body);
    }
    catch {
        const why = response.truncated ? 'body too large to parse as JSON' : 'body is not JSON';
        return [
            {
                assertion: 'json',
                message: `${why} (needed for ${assertions.map(a => a.path).join(', ')})`
            }
        ];
    }
    const { JSONPath } = _slipway_kit__WEBPACK_IMPORTED_MODULE_2__/* .parsers */ .T_.jsonpath();
    const failures = [];
    for (const assertion of assertions) {
        const matches = JSONPath({
            path: assertion.path,
            json: document,
            wrap: true
        });
        if (assertion.exists === false) {
            if (matches.length > 0)
                failures.push({
                    assertion: 'json',
                    message: `${assertion.path} should not exist, found ${preview(matches[0])}`
                });
            continue;
        }
        if (matches.length === 0) {
            failures.push({ assertion: 'json', message: `${assertion.path} not found` });
            continue;
        }
        if (!('equals' in assertion))
            continue;
        const actual = matches.length === 1 ? matches[0] : matches;
        if (!(0,node_util__WEBPACK_IMPORTED_MODULE_0__.isDeepStrictEqual)(actual, assertion.equals))
            failures.push({
                assertion: 'json',
                message: `${assertion.path} is ${preview(actual)}, expected ${preview(assertion.equals)}`
            });
    }
    return failures;
}
function preview(value) {
    return clip(JSON.stringify(value) ?? String(value), 120);
}
/** Shortens text for one-line messages: whitespace collapsed, an ellipsis when cut. */
function clip(text, max) {
    const flat = text.replace(/\s+/g, ' ').trim();
    return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}


/***/ }),

/***/ 1385:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   HB: () => (/* binding */ httpProbe),
/* harmony export */   Op: () => (/* binding */ describeFetchError),
/* harmony export */   Qy: () => (/* binding */ displayUrl),
/* harmony export */   WE: () => (/* binding */ validateHttpSpec)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _slipway_kit__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(69460);
/* harmony import */ var _http_assertions_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(69807);



const DEFAULT_MAX_BODY = 1024 * 1024;
const EXCERPT_CHARS = 300;
/**
 * Requests `spec.url` once and checks status (default 200–399), latency, headers, body text,
 * body regex and JSONPath values. The outcome message names the first failed assertion;
 * `details` carries status, latency (ms, headers + body), all failures and, on failure,
 * a clipped body excerpt. Network errors become a failed outcome, not a throw, except
 * when the context's signal aborted (the runner reports the timeout itself).
 */
const httpProbe = async (spec, context) => {
    const method = (spec.method ?? 'GET').toUpperCase();
    const shown = displayUrl(spec.url);
    const label = `${method} ${shown}`;
    const undici = await __nccwpck_require__.e(/* import() */ 752).then(__nccwpck_require__.t.bind(__nccwpck_require__, 46752, 19));
    if (spec.json?.length)
        await (0,_slipway_kit__WEBPACK_IMPORTED_MODULE_1__/* .preloadParsers */ .gk)(['jsonpath-plus']);
    let init;
    try {
        init = buildRequest(spec, method, context.signal, undici.Agent);
    }
    catch (error) {
        return {
            ok: false,
            message: `${label}: ${describeFetchError(error)}`,
            details: { url: shown, method }
        };
    }
    const started = performance.now();
    let response;
    let finalUrl;
    let redirects;
    try {
        ;
        ({ response, finalUrl, redirects } = await fetchFollowing(undici.fetch, requestUrl(spec.url), init, spec.followRedirects !== false));
    }
    catch (error) {
        if (context.signal.aborted)
            throw error;
        return {
            ok: false,
            message: `${label}: ${describeFetchError(error)}`,
            details: {
                url: shown,
                method,
                latencyMs: round(performance.now() - started),
                error: describeFetchError(error)
            }
        };
    }
    const ttfbMs = performance.now() - started;
    let read;
    try {
        read = await readBody(response, spec.maxBodyBytes ?? DEFAULT_MAX_BODY);
    }
    catch (error) {
        if (context.signal.aborted)
            throw error;
        return {
            ok: false,
            message: `${label}: status ${response.status}, reading the body failed: ${describeFetchError(error)}`,
            details: {
                url: shown,
                method,
                status: response.status,
                latencyMs: round(performance.now() - started)
            }
        };
    }
    const latencyMs = performance.now() - started;
    const view = {
        status: response.status,
        headers: response.headers,
        body: read.body,
        truncated: read.truncated
    };
    let failures;
    try {
        failures = (0,_http_assertions_js__WEBPACK_IMPORTED_MODULE_2__/* .evaluateAssertions */ .Dq)(spec, view, latencyMs);
    }
    catch (error) {
        // A malformed spec that was not validated up front: report it, never throw out of a probe.
        failures = [{ assertion: 'spec', message: describeFetchError(error) }];
    }
    const details = {
        url: shown,
        method,
        status: response.status,
        latencyMs: round(latencyMs),
        ttfbMs: round(ttfbMs),
        bytes: read.bytes
    };
    if (redirects > 0)
        details.finalUrl = displayUrl(finalUrl);
    const summary = `${label} → ${response.status} in ${Math.round(latencyMs)}ms`;
    if (failures.length === 0)
        return { ok: true, message: summary, details };
    details.failures = failures.map(f => f.message);
    details.bodyExcerpt = (0,_http_assertions_js__WEBPACK_IMPORTED_MODULE_2__/* .clip */ .$Q)(read.body, EXCERPT_CHARS);
    const more = failures.length > 1 ? ` (+${failures.length - 1} more)` : '';
    return {
        ok: false,
        message: `${label} → ${failures[0].message}${more}`,
        details
    };
};
/**
 * Checks a spec without sending anything: URL, method, assertions, CA file. Throws an
 * HttpSpecError naming the field; smoke-test turns it into an InputError.
 */
function validateHttpSpec(spec) {
    let url;
    try {
        url = new URL(spec.url);
    }
    catch {
        throw new _http_assertions_js__WEBPACK_IMPORTED_MODULE_2__/* .HttpSpecError */ .m6('url', `expected an absolute http(s) URL, got ${JSON.stringify(displayUrl(String(spec.url ?? '')))}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
        throw new _http_assertions_js__WEBPACK_IMPORTED_MODULE_2__/* .HttpSpecError */ .m6('url', `expected an http:// or https:// URL, got ${JSON.stringify(displayUrl(spec.url))}`);
    if (spec.method !== undefined && !/^[A-Za-z]+$/.test(spec.method))
        throw new _http_assertions_js__WEBPACK_IMPORTED_MODULE_2__/* .HttpSpecError */ .m6('method', `expected an HTTP method such as GET or POST, got ${JSON.stringify(spec.method)}`);
    if (spec.headers !== undefined) {
        if (typeof spec.headers !== 'object' || spec.headers === null || Array.isArray(spec.headers))
            throw new _http_assertions_js__WEBPACK_IMPORTED_MODULE_2__/* .HttpSpecError */ .m6('headers', `expected a map of header names to values, got ${JSON.stringify(spec.headers)}`);
    }
    (0,_http_assertions_js__WEBPACK_IMPORTED_MODULE_2__/* .validateAssertions */ ._d)(spec);
    if (spec.caFile !== undefined) {
        try {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(spec.caFile);
        }
        catch (error) {
            throw new _http_assertions_js__WEBPACK_IMPORTED_MODULE_2__/* .HttpSpecError */ .m6('caFile', `expected a readable CA file (${describeFetchError(error)}), got ${JSON.stringify(spec.caFile)}`);
        }
    }
}
function buildRequest(spec, method, signal, Agent) {
    const headers = new Headers(spec.headers ?? {});
    let body;
    if (spec.body !== undefined && spec.body !== null) {
        if (typeof spec.body === 'string')
            body = spec.body;
        else {
            body = JSON.stringify(spec.body);
            if (!headers.has('content-type'))
                headers.set('content-type', 'application/json');
        }
    }
    // fetch refuses URLs with credentials: send them as Basic authentication instead.
    const url = new URL(spec.url);
    if ((url.username || url.password) && !headers.has('authorization')) {
        const user = decodeURIComponent(url.username);
        const password = decodeURIComponent(url.password);
        headers.set('authorization', `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`);
    }
    // Redirects are followed by fetchFollowing, which decides what the next hop may carry.
    const init = {
        method,
        headers: Object.fromEntries(headers.entries()),
        body,
        signal,
        redirect: 'manual'
    };
    const dispatcher = tlsDispatcher(spec, Agent);
    if (dispatcher)
        init.dispatcher = dispatcher;
    return init;
}
/** As fetch: at most 20 redirects, then a network error. */
const MAX_REDIRECTS = 20;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/**
 * Headers that carry credentials, dropped when a redirect leaves the origin they were meant
 * for: the standard ones (fetch drops only these) and any whose name says it holds a secret
 * (`X-Api-Key`, `X-Auth-Token`, `Private-Token` …) — the names whose values we also mask.
 */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie)$|auth|token|key|secret|password|session|credential|cookie/i;
/**
 * Sends the request and follows redirects by hand (fetch's own following forwards every header
 * but Authorization to any origin): on a hop to another origin, credential headers are dropped;
 * 303, and 301/302 after a POST, turn into a GET without a body, as browsers do.
 */
async function fetchFollowing(fetch, url, init, follow) {
    let current = url;
    let request = init;
    for (let redirects = 0;; redirects++) {
        const response = await fetch(current, request);
        const location = response.headers.get('location');
        if (!follow || !REDIRECT_STATUSES.has(response.status) || location === null)
            return { response, finalUrl: current, redirects };
        await response.body?.cancel().catch(() => undefined);
        if (redirects >= MAX_REDIRECTS)
            throw new Error(`more than ${MAX_REDIRECTS} redirects`);
        const next = new URL(location, current);
        if (next.protocol !== 'http:' && next.protocol !== 'https:')
            throw new Error(`redirected to a non-HTTP URL ${displayUrl(next.href)}`);
        request = redirectedRequest(request, response.status, new URL(current), next);
        current = next.href;
    }
}
function redirectedRequest(init, status, from, to) {
    const headers = new Headers(init.headers);
    let method = init.method ?? 'GET';
    let body = init.body;
    if ((status === 303 && method !== 'HEAD') ||
        ((status === 301 || status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language'])
            headers.delete(name);
    }
    if (from.origin !== to.origin)
        for (const name of [...headers.keys()])
            if (CREDENTIAL_HEADER.test(name))
                headers.delete(name);
    return { ...init, method, body, headers: Object.fromEntries(headers.entries()) };
}
// One agent per TLS configuration, so repeated checks reuse connections instead of
// opening a pool per request.
const dispatchers = new Map();
function tlsDispatcher(spec, Agent) {
    if (!spec.insecure && !spec.caFile)
        return undefined;
    const key = `${spec.insecure ? 1 : 0}|${spec.caFile ?? ''}`;
    let agent = dispatchers.get(key);
    if (!agent) {
        const ca = spec.caFile ? (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(spec.caFile, 'utf8') : undefined;
        agent = new Agent({
            connect: {
                rejectUnauthorized: !spec.insecure,
                // Node replaces the default trust store when `ca` is given; keep the system roots too.
                // node:tls is taken here, not at the top: it costs milliseconds to load, and only a
                // probe with its own CA needs it.
                ...(ca ? { ca: [...process.getBuiltinModule('node:tls').rootCertificates, ca] } : {})
            }
        });
        dispatchers.set(key, agent);
    }
    return agent;
}
/** Reads up to `limit` bytes and cancels the rest: a smoke test must not download a 2 GB file. */
async function readBody(response, limit) {
    if (!response.body)
        return { body: '', bytes: 0, truncated: false };
    const reader = response.body.getReader();
    const chunks = [];
    let bytes = 0;
    let truncated = false;
    for (;;) {
        const { done, value } = await reader.read();
        if (done)
            break;
        chunks.push(value);
        bytes += value.byteLength;
        if (bytes >= limit) {
            truncated = true;
            await reader.cancel().catch(() => undefined);
            break;
        }
    }
    const buffer = Buffer.concat(chunks.map(chunk => Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    return {
        body: buffer.subarray(0, limit).toString('utf8'),
        bytes: Math.min(bytes, limit),
        truncated
    };
}
/** The URL as shown in messages and reports: any password replaced by `***`. */
function displayUrl(url) {
    try {
        const parsed = new URL(url);
        if (parsed.password)
            parsed.password = '***';
        return parsed.toString();
    }
    catch {
        return url.replace(/\/\/([^:/@\s]+):[^@/\s]+@/, '//$1:***@');
    }
}
function requestUrl(url) {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
}
/**
 * fetch hides the reason in `cause` ("fetch failed" → ECONNREFUSED, a certificate error).
 * Duck-typed rather than `instanceof Error`: undici's errors may come from another realm
 * (Jest's VM modules), where instanceof is false. Passwords in URLs are masked.
 */
function describeFetchError(error) {
    const text = (value) => {
        if (value && typeof value === 'object' && 'message' in value)
            return String(value.message);
        return String(value);
    };
    let message = text(error);
    const cause = error && typeof error === 'object' ? error.cause : undefined;
    if (cause && typeof cause === 'object') {
        const code = cause.code;
        const causeMessage = text(cause);
        message =
            code && !causeMessage.includes(String(code))
                ? `${message}: ${String(code)} (${causeMessage})`
                : `${message}: ${causeMessage}`;
    }
    return message.replace(/\/\/([^:/@\s]+):[^@/\s]+@/g, '//$1:***@');
}
function round(ms) {
    return Math.round(ms * 10) / 10;
}


/***/ }),

/***/ 98833:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   UN: () => (/* binding */ prometheusQueryUrl),
/* harmony export */   cN: () => (/* binding */ validatePrometheusSpec),
/* harmony export */   gn: () => (/* binding */ PrometheusSpecError),
/* harmony export */   t_: () => (/* binding */ prometheusProbe)
/* harmony export */ });
/* unused harmony exports evaluateSamples, queryPrometheus */
/* harmony import */ var _slipway_kit__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(77817);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(1385);


/** Thrown for a malformed spec (the user's settings); `field` names the part at fault. */
class PrometheusSpecError extends _slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo {
    field;
    constructor(field, message) {
        super(message, `fix the \`${field}\` of this Prometheus query in your settings.`);
        this.field = field;
        this.name = 'PrometheusSpecError';
    }
}
// Prometheus names a query it cannot parse or run this way; anything else is the server's state.
const QUERY_REJECTED = new Set(['bad_data', 'execution']);
function validatePrometheusSpec(spec) {
    let url;
    try {
        url = new URL(spec.url);
    }
    catch {
        url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
        throw new PrometheusSpecError('url', `expected the http(s) URL of a Prometheus server, got ${JSON.stringify(spec.url)}`);
    if (typeof spec.query !== 'string' || spec.query.trim() === '')
        throw new PrometheusSpecError('query', `expected a PromQL expression, got ${JSON.stringify(spec.query)}`);
    for (const field of ['min', 'max']) {
        const value = spec[field];
        if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value)))
            throw new PrometheusSpecError(field, `expected a number, got ${JSON.stringify(value)}`);
    }
    if (spec.min !== undefined && spec.max !== undefined && spec.min > spec.max)
        throw new PrometheusSpecError('min', `expected min at most max (${spec.max}), got ${spec.min}`);
    if (spec.onEmpty !== undefined && spec.onEmpty !== 'fail' && spec.onEmpty !== 'pass')
        throw new PrometheusSpecError('onEmpty', `expected fail or pass, got ${JSON.stringify(spec.onEmpty)}`);
}
/** The URL of the instant query (exported for dry-run listings). */
function prometheusQueryUrl(spec) {
    const base = spec.url.replace(/\/+$/, '');
    return `${base}/api/v1/query?${new URLSearchParams({ query: spec.query }).toString()}`;
}
/**
 * Runs the query once (GET /api/v1/query) and checks every returned value against
 * min/max. A vector with several series fails when any series breaches, and the message
 * names the worst one with its labels. NaN never passes a threshold.
 */
const prometheusProbe = async (spec, context) => {
    const label = spec.name ?? spec.query;
    let samples;
    try {
        samples = await queryPrometheus(spec, context.signal);
    }
    catch (error) {
        if (context.signal.aborted)
            throw error;
        return {
            ok: false,
            message: `${label}: ${(0,_http_js__WEBPACK_IMPORTED_MODULE_1__/* .describeFetchError */ .Op)(error)}`,
            details: { query: spec.query, server: (0,_http_js__WEBPACK_IMPORTED_MODULE_1__/* .displayUrl */ .Qy)(spec.url) }
        };
    }
    return evaluateSamples(spec, samples);
};
/** Checks samples against the spec's thresholds (pure; exported for canary analysis and tests). */
function evaluateSamples(spec, samples) {
    const label = spec.name ?? spec.query;
    const bounds = describeBounds(spec);
    const details = {
        query: spec.query,
        min: spec.min,
        max: spec.max,
        samples: samples.slice(0, 20).map(s => ({ labels: s.labels, value: s.value })),
        value: samples.length === 1 ? samples[0].value : undefined
    };
    if (samples.length === 0) {
        const ok = spec.onEmpty === 'pass';
        return { ok, message: `${label}: no data${ok ? ' (allowed)' : ''}`, details };
    }
    const breaches = samples.filter(s => !withinBounds(s.value, spec));
    if (breaches.length === 0) {
        const shown = samples.length === 1 ? formatValue(samples[0].value) : `${samples.length} series`;
        return { ok: true, message: `${label} = ${shown}${bounds ? ` (${bounds})` : ''}`, details };
    }
    const worst = worstBreach(breaches, spec);
    const labels = formatLabels(worst.labels);
    const more = breaches.length > 1 ? ` (+${breaches.length - 1} more series)` : '';
    details.breaches = breaches.length;
    return {
        ok: false,
        message: `${label} = ${formatValue(worst.value)}${labels}, expected ${bounds}${more}`,
        details
    };
}
function withinBounds(value, spec) {
    if (Number.isNaN(value))
        return spec.min === undefined && spec.max === undefined;
    if (spec.min !== undefined && value < spec.min)
        return false;
    if (spec.max !== undefined && value > spec.max)
        return false;
    return true;
}
/** The series furthest outside its bound (NaN first: it means the metric is broken). */
function worstBreach(breaches, spec) {
    const distance = (s) => {
        if (Number.isNaN(s.value))
            return Infinity;
        if (spec.max !== undefined && s.value > spec.max)
            return s.value - spec.max;
        if (spec.min !== undefined && s.value < spec.min)
            return spec.min - s.value;
        return 0;
    };
    return breaches.reduce((a, b) => (distance(b) > distance(a) ? b : a));
}
function describeBounds(spec) {
    if (spec.min !== undefined && spec.max !== undefined)
        return `between ${spec.min} and ${spec.max}`;
    if (spec.max !== undefined)
        return `≤ ${spec.max}`;
    if (spec.min !== undefined)
        return `≥ ${spec.min}`;
    return '';
}
function formatLabels(labels) {
    const entries = Object.entries(labels);
    if (entries.length === 0)
        return '';
    return `{${entries.map(([k, v]) => `${k}="${v}"`).join(', ')}}`;
}
function formatValue(value) {
    if (!Number.isFinite(value))
        return String(value);
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}
/**
 * GET /api/v1/query and flattens the answer to samples. Vector and scalar results are
 * supported; a matrix (a range selector without a function) is refused with a hint, as
 * thresholds on raw ranges are almost always a mistake.
 */
async function queryPrometheus(spec, signal) {
    const url = new URL(prometheusQueryUrl(spec));
    const headers = { accept: 'application/json', ...(spec.headers ?? {}) };
    if (url.username || url.password) {
        headers.authorization ??= `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
        url.username = '';
        url.password = '';
    }
    // undici loads with the first request: an input error or a dry run never parses it.
    const { fetch } = await __nccwpck_require__.e(/* import() */ 752).then(__nccwpck_require__.t.bind(__nccwpck_require__, 46752, 19));
    const response = await fetch(url, { headers, signal });
    const text = await response.text();
    let body;
    try {
        body = JSON.parse(text);
    }
    catch {
        throw new _slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`Prometheus answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`, "check the Prometheus URL: the server's base URL, to which /api/v1/query is added (no path of a web page or dashboard).");
    }
    if (body.status !== 'success' || !body.data) {
        throw new _slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`Prometheus answered ${response.status}: ${body.errorType ?? 'error'}: ${body.error ?? text.slice(0, 200)}`, QUERY_REJECTED.has(body.errorType ?? '')
            ? "fix the PromQL query as the server's message says (Prometheus' expression browser shows the same error)."
            : 'check the Prometheus server and its credentials: it did not run the query.');
    }
    const { resultType, result } = body.data;
    if (resultType === 'scalar')
        return [{ labels: {}, value: Number(result[1]) }];
    if (resultType === 'vector')
        return result.map(sample => ({
            labels: sample.metric ?? {},
            value: Number(sample.value[1])
        }));
    if (resultType === 'matrix')
        throw new _slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`query returned a range vector (matrix); wrap it in a function such as rate() or avg_over_time()`, 'make the query return one value per series: rate(metric[5m]) or avg_over_time(metric[5m]), not metric[5m].');
    throw new _slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`query returned an unsupported result type ${String(resultType)}`, 'make the query return a number or an instant vector (a string result has no value to compare).');
}


/***/ }),

/***/ 55365:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   CE: () => (/* binding */ formatRate),
/* harmony export */   XZ: () => (/* binding */ describeVerdict),
/* harmony export */   cq: () => (/* binding */ baselineFrom),
/* harmony export */   eR: () => (/* binding */ runLoad),
/* harmony export */   gI: () => (/* binding */ formatMetric)
/* harmony export */ });
/* unused harmony exports percentile, judge */
/* harmony import */ var _slipway_probes__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(1385);
/* harmony import */ var _slipway_probes__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(69807);

/** Runs the load, bounded by `durationMs` (plus one request timeout) and `maxRequests`. */
async function runLoad(spec) {
    const figures = await measure(spec);
    const verdicts = judge(figures, spec);
    const failed = verdicts.filter(v => !v.ok);
    const passed = figures.requests > 0 && failed.length === 0;
    const message = figures.requests === 0
        ? `no request completed${figures.firstError ? `: ${figures.firstError}` : ''}`
        : failed.length === 0
            ? `${figures.requests} requests, ${formatRate(figures.errorRate)} errors, p95 ${ms(figures.p95Ms)}, ${figures.rps.toFixed(0)} req/s`
            : failed.map(describeVerdict).join('; ') +
                (figures.errors > 0 && figures.firstError ? ` (first error: ${figures.firstError})` : '');
    return {
        url: (0,_slipway_probes__WEBPACK_IMPORTED_MODULE_0__/* .displayUrl */ .Qy)(spec.url),
        figures,
        verdicts,
        passed,
        message,
        settings: {
            durationMs: spec.durationMs,
            connections: spec.connections,
            rate: spec.rate,
            maxRequests: spec.maxRequests,
            tolerance: spec.tolerance
        }
    };
}
async function measure(spec) {
    const target = new URL(spec.url);
    const headers = { ...(spec.headers ?? {}) };
    if (target.username || target.password) {
        const credentials = `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`;
        headers.authorization ??= `Basic ${Buffer.from(credentials).toString('base64')}`;
        target.username = '';
        target.password = '';
    }
    // autocannon (with its histogram and HTTP parser) is loaded by the load check that runs, not
    // by every smoke test: an input error or a dry run never parses it.
    const { default: autocannon } = await __nccwpck_require__.e(/* import() */ 174).then(__nccwpck_require__.t.bind(__nccwpck_require__, 88174, 23));
    // Response times are kept in a growable typed array: exact percentiles (autocannon's own
    // result has p90/p97.5/p99 but no p95), bounded by maxRequests.
    let latencies = new Float64Array(Math.min(spec.maxRequests, 65_536));
    let count = 0;
    let transportErrors = 0;
    let badStatus = 0;
    let firstError;
    const statuses = {};
    const started = Date.now();
    const instance = autocannon({
        url: target.toString(),
        method: (spec.method ?? 'GET').toUpperCase(),
        headers,
        body: spec.body,
        // Never more connections than requests: autocannon shares the request cap among them.
        connections: Math.min(spec.connections, spec.maxRequests),
        duration: spec.durationMs / 1000,
        // The cap on the whole run, enforced by autocannon per connection (exact, unlike stop()).
        maxOverallRequests: spec.maxRequests,
        // autocannon notices its stop flag on each sample tick: 100 ms keeps the end close to the duration.
        sampleInt: 100,
        overallRate: spec.rate,
        timeout: Math.max(1, Math.ceil(spec.requestTimeoutMs / 1000)),
        // We do not print; autocannon's own table and progress bar are for its CLI.
        renderProgressBar: false,
        renderResultsTable: false,
        renderLatencyTable: false
    });
    // Without a callback the instance is also a promise of the result (rejected on bad options).
    const done = instance;
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        if (count === latencies.length) {
            const grown = new Float64Array(Math.min(latencies.length * 2, spec.maxRequests));
            grown.set(latencies);
            latencies = grown;
        }
        if (count < latencies.length)
            latencies[count] = responseTime;
        count++;
        statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
        if (!(0,_slipway_probes__WEBPACK_IMPORTED_MODULE_1__/* .statusMatches */ .W_)(statusCode, spec.expectStatus))
            badStatus++;
    });
    instance.on('reqError', (error) => {
        transportErrors++;
        firstError ??= error instanceof Error ? error.message : String(error);
    });
    // A hard stop in case the duration timer never fires (a server that never answers).
    const guard = setTimeout(() => instance.stop(), spec.durationMs + spec.requestTimeoutMs + 5000);
    try {
        await done;
    }
    finally {
        clearTimeout(guard);
    }
    const durationMs = Date.now() - started;
    const sorted = latencies.subarray(0, Math.min(count, latencies.length)).sort();
    const requests = count + transportErrors;
    const errors = badStatus + transportErrors;
    if (badStatus > 0 && firstError === undefined) {
        const unexpected = Object.keys(statuses).filter(code => !(0,_slipway_probes__WEBPACK_IMPORTED_MODULE_1__/* .statusMatches */ .W_)(Number(code), spec.expectStatus));
        firstError = `status ${unexpected.join(', ')} (expected ${(0,_slipway_probes__WEBPACK_IMPORTED_MODULE_1__/* .formatStatusList */ .Wc)(spec.expectStatus)})`;
    }
    return {
        requests,
        errors,
        errorRate: requests === 0 ? 1 : errors / requests,
        rps: round(count / (durationMs / 1000)),
        p50Ms: percentile(sorted, 50),
        p95Ms: percentile(sorted, 95),
        p99Ms: percentile(sorted, 99),
        maxMs: sorted.length === 0 ? 0 : round(sorted[sorted.length - 1]),
        durationMs,
        statuses,
        firstError
    };
}
/** Nearest-rank percentile of an ascending array. */
function percentile(sorted, p) {
    if (sorted.length === 0)
        return 0;
    const rank = Math.ceil((p / 100) * sorted.length);
    return round(sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]);
}
/**
 * Holds the figures to the thresholds, then to the baseline: latency may grow and
 * throughput may shrink by at most `tolerance`. The error rate is held to its threshold
 * only: a baseline of 0 errors would make any single error a "regression".
 */
function judge(figures, spec) {
    const verdicts = [];
    const { thresholds, baseline, tolerance } = spec;
    if (thresholds.maxErrorRate !== undefined)
        verdicts.push(upper('error rate', figures.errorRate, thresholds.maxErrorRate, 'threshold'));
    if (thresholds.maxP95Ms !== undefined)
        verdicts.push(upper('p95', figures.p95Ms, thresholds.maxP95Ms, 'threshold'));
    if (thresholds.maxP99Ms !== undefined)
        verdicts.push(upper('p99', figures.p99Ms, thresholds.maxP99Ms, 'threshold'));
    if (thresholds.minRps !== undefined)
        verdicts.push(lower('requests/s', figures.rps, thresholds.minRps, 'threshold'));
    if (baseline) {
        if (baseline.p95Ms !== undefined)
            verdicts.push({
                ...upper('p95', figures.p95Ms, baseline.p95Ms * (1 + tolerance), 'baseline'),
                baseline: baseline.p95Ms
            });
        if (baseline.p99Ms !== undefined)
            verdicts.push({
                ...upper('p99', figures.p99Ms, baseline.p99Ms * (1 + tolerance), 'baseline'),
                baseline: baseline.p99Ms
            });
        if (baseline.rps !== undefined)
            verdicts.push({
                ...lower('requests/s', figures.rps, baseline.rps * (1 - tolerance), 'baseline'),
                baseline: baseline.rps
            });
    }
    return verdicts;
}
function upper(metric, value, limit, source) {
    return { metric, value, limit: round(limit), source, ok: value <= limit };
}
function lower(metric, value, limit, source) {
    return { metric, value, limit: round(limit), source, ok: value >= limit };
}
/** `p95 42.1ms > 30ms (baseline 25ms + 20%)` */
function describeVerdict(verdict) {
    const format = (value) => formatMetric(verdict.metric, value);
    const op = verdict.metric === 'requests/s' ? (verdict.ok ? '≥' : '<') : verdict.ok ? '≤' : '>';
    const why = verdict.source === 'baseline' ? ` (baseline ${format(verdict.baseline ?? 0)})` : '';
    return `${verdict.metric} ${format(verdict.value)} ${op} ${format(verdict.limit)}${why}`;
}
/**
 * Reads a baseline: a previous smoke-test `report` output (its `load.figures`), or the
 * figures object itself. Returns undefined when it holds no comparable figure.
 */
function baselineFrom(document) {
    if (!document || typeof document !== 'object')
        return undefined;
    const record = document;
    const load = record.load;
    const figures = (load && typeof load === 'object' && load.figures ? load.figures : record);
    const pick = (key) => typeof figures[key] === 'number' && Number.isFinite(figures[key])
        ? figures[key]
        : undefined;
    const baseline = {
        p95Ms: pick('p95Ms'),
        p99Ms: pick('p99Ms'),
        rps: pick('rps'),
        errorRate: pick('errorRate')
    };
    if (baseline.p95Ms === undefined && baseline.p99Ms === undefined && baseline.rps === undefined)
        return undefined;
    return baseline;
}
function formatMetric(metric, value) {
    return metric === 'error rate'
        ? formatRate(value)
        : metric === 'requests/s'
            ? value.toFixed(1)
            : ms(value);
}
function formatRate(rate) {
    return `${(rate * 100).toFixed(rate < 0.01 && rate > 0 ? 2 : 1)}%`;
}
function ms(value) {
    return `${value < 10 ? value.toFixed(2) : value.toFixed(1)}ms`;
}
function round(value) {
    return Math.round(value * 100) / 100;
}


/***/ }),

/***/ 90290:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("async_hooks");

/***/ }),

/***/ 20181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 35317:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("child_process");

/***/ }),

/***/ 76982:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");

/***/ }),

/***/ 24434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 79896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 91943:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs/promises");

/***/ }),

/***/ 58611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 65692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 69278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 34589:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:assert");

/***/ }),

/***/ 16698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");

/***/ }),

/***/ 37540:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:console");

/***/ }),

/***/ 77598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 53053:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:diagnostics_channel");

/***/ }),

/***/ 40610:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns");

/***/ }),

/***/ 78474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 73024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 37067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 32467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

/***/ }),

/***/ 77030:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");

/***/ }),

/***/ 48161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 76760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 643:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:perf_hooks");

/***/ }),

/***/ 41792:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:querystring");

/***/ }),

/***/ 57075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 41692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 73136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 57975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 73429:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util/types");

/***/ }),

/***/ 75919:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");

/***/ }),

/***/ 38522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 70857:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");

/***/ }),

/***/ 16928:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");

/***/ }),

/***/ 932:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("process");

/***/ }),

/***/ 2203:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("stream");

/***/ }),

/***/ 13193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");

/***/ }),

/***/ 64756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 52018:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tty");

/***/ }),

/***/ 87016:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("url");

/***/ }),

/***/ 39023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ }),

/***/ 69154:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("vm");

/***/ }),

/***/ 28167:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("worker_threads");

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
/******/ 		id: moduleId,
/******/ 		loaded: false,
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
/******/ 	// Flag the module as loaded
/******/ 	module.loaded = true;
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
/******/ /* webpack/runtime/node module decorator */
/******/ (() => {
/******/ 	__nccwpck_require__.nmd = (module) => {
/******/ 		module.paths = [];
/******/ 		if (!module.children) module.children = [];
/******/ 		return module;
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
/******/ var __webpack_exports__ = __nccwpck_require__(73030);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
