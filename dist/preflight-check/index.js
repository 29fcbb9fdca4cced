import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 202:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _slipway_kit__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(5394);
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(1121);


await (0,_slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .runAction */ .C)('preflight-check', _main_js__WEBPACK_IMPORTED_MODULE_1__/* .main */ .i);

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 1121:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  i: () => (/* binding */ main)
});

// EXTERNAL MODULE: ./packages/kit/src/ports.ts
var ports = __nccwpck_require__(3508);
// EXTERNAL MODULE: ./packages/github/src/client.ts
var client = __nccwpck_require__(2994);
// EXTERNAL MODULE: ./packages/kit/src/redact.ts
var redact = __nccwpck_require__(727);
// EXTERNAL MODULE: ./packages/kit/src/errors.ts
var errors = __nccwpck_require__(7817);
// EXTERNAL MODULE: ./packages/probes/src/http.ts
var http = __nccwpck_require__(1385);
// EXTERNAL MODULE: ./packages/probes/src/http-assertions.ts
var http_assertions = __nccwpck_require__(9807);
// EXTERNAL MODULE: ./packages/probes/src/tcp.ts
var tcp = __nccwpck_require__(7158);
// EXTERNAL MODULE: ./packages/probes/src/disk.ts
var disk = __nccwpck_require__(844);
// EXTERNAL MODULE: ./packages/probes/src/freeze.ts
var freeze = __nccwpck_require__(794);
;// CONCATENATED MODULE: ./packages/preflight/src/errors.ts

/**
 * An InputError from a validator's own sentence (`expected X, got Y`), so that the message
 * reads `Input 'checks[2].expect-status': expected …, got …` rather than nesting two forms.
 */
function inputErrorFrom(input, message) {
    const parts = /^expected ([\s\S]*?), got ([\s\S]*)$/.exec(message);
    if (parts) {
        let received = parts[2];
        try {
            received = JSON.parse(parts[2]);
        }
        catch {
            // shown as written
        }
        return new errors/* InputError */.dz(input, parts[1], received);
    }
    const error = new errors/* InputError */.dz(input, message, undefined);
    error.message = `Input '${input}': ${message}`;
    return error;
}

// EXTERNAL MODULE: ./packages/kit/src/duration.ts
var duration = __nccwpck_require__(5438);
;// CONCATENATED MODULE: ./packages/preflight/src/fields.ts


/**
 * Reads the fields of one YAML check entry (`checks[2]`) with the same rules as action inputs:
 * every problem is an InputError whose input is the field's path (`checks[2].url`), and a
 * field nobody read is an error too, so a typo (`expect_status`) cannot be silently ignored.
 */
class EntryReader {
    path;
    entry;
    labels;
    seen = new Set();
    /**
     * @param labels input names for fields that came from plain action inputs
     *   (`{ url: 'http-url' }`), so their errors name the input the user wrote.
     */
    constructor(path, entry, labels = {}) {
        this.path = path;
        this.entry = entry;
        this.labels = labels;
    }
    at(key) {
        return this.labels[key] ?? `${this.path}.${key}`;
    }
    has(key) {
        return this.entry[key] !== undefined && this.entry[key] !== null;
    }
    value(key) {
        this.seen.add(key);
        const value = this.entry[key];
        return value === null ? undefined : value;
    }
    string(key, required = false) {
        const value = this.value(key);
        if (value === undefined || value === '') {
            if (required)
                throw new errors/* InputError */.dz(this.at(key), 'a value', undefined);
            return undefined;
        }
        if (typeof value === 'number' || typeof value === 'boolean')
            return String(value);
        if (typeof value !== 'string')
            throw new errors/* InputError */.dz(this.at(key), 'a string', value);
        return value.trim();
    }
    requiredString(key) {
        return this.string(key, true);
    }
    int(key, options = {}) {
        const value = this.value(key);
        const expected = options.min !== undefined && options.max !== undefined
            ? `a whole number from ${options.min} to ${options.max}`
            : options.min !== undefined
                ? `a whole number of at least ${options.min}`
                : 'a whole number';
        if (value === undefined || value === '') {
            if (options.required)
                throw new errors/* InputError */.dz(this.at(key), expected, undefined);
            return options.default;
        }
        const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
        if (typeof number !== 'number' || !Number.isInteger(number))
            throw new errors/* InputError */.dz(this.at(key), expected, value);
        if (options.min !== undefined && number < options.min)
            throw new errors/* InputError */.dz(this.at(key), expected, value);
        if (options.max !== undefined && number > options.max)
            throw new errors/* InputError */.dz(this.at(key), expected, value);
        return number;
    }
    bool(key, fallback = false) {
        const value = this.value(key);
        if (value === undefined)
            return fallback;
        if (typeof value === 'boolean')
            return value;
        if (value === 'true')
            return true;
        if (value === 'false')
            return false;
        throw new errors/* InputError */.dz(this.at(key), 'true or false', value);
    }
    duration(key, fallback) {
        const value = this.value(key);
        if (value === undefined || value === '')
            return fallback;
        const ms = typeof value === 'number'
            ? value * 1000
            : typeof value === 'string'
                ? (0,duration/* parseDuration */.E)(value)
                : undefined;
        if (ms === undefined || !Number.isFinite(ms) || ms < 0) {
            throw new errors/* InputError */.dz(this.at(key), 'a duration such as 30s, 5m or 1h30m', value);
        }
        return Math.round(ms);
    }
    size(key, required = false) {
        const value = this.value(key);
        if (value === undefined || value === '') {
            if (required)
                throw new errors/* InputError */.dz(this.at(key), 'a size such as 2GiB or 500MB', undefined);
            return undefined;
        }
        const bytes = (0,disk/* parseSize */.DB)(String(value));
        if (bytes === undefined)
            throw new errors/* InputError */.dz(this.at(key), 'a size such as 2GiB, 500MB or 1048576 (bytes)', value);
        return bytes;
    }
    /** A YAML list of strings, or one string of comma/newline-separated items. */
    list(key, required = false) {
        const value = this.value(key);
        if (value === undefined || value === '') {
            if (required)
                throw new errors/* InputError */.dz(this.at(key), 'a list', undefined);
            return undefined;
        }
        const items = Array.isArray(value)
            ? value
            : typeof value === 'string'
                ? value.split(/[\n,]/)
                : undefined;
        if (!items || items.some(item => typeof item !== 'string' && typeof item !== 'number')) {
            throw new errors/* InputError */.dz(this.at(key), 'a list of strings', value);
        }
        const list = items.map(item => String(item).trim()).filter(item => item !== '');
        if (required && list.length === 0)
            throw new errors/* InputError */.dz(this.at(key), 'a non-empty list', value);
        return list;
    }
    /** A mapping of names to text values (headers, environment variables). */
    map(key) {
        const value = this.value(key);
        if (value === undefined)
            return undefined;
        if (typeof value !== 'object' || Array.isArray(value))
            throw new errors/* InputError */.dz(this.at(key), 'a mapping of names to values', value);
        const result = {};
        for (const [name, item] of Object.entries(value)) {
            if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') {
                throw new errors/* InputError */.dz(`${this.at(key)}.${name}`, 'a text value', item);
            }
            result[name] = String(item);
        }
        return result;
    }
    /** Fails on any field that no reader asked for: `allowed` lists them for the message. */
    finish(type) {
        const unknown = Object.keys(this.entry).filter(key => !this.seen.has(key));
        if (unknown.length === 0)
            return;
        const allowed = [...this.seen].sort().join(', ');
        throw new errors/* InputError */.dz(this.at(unknown[0]), `one of the fields of a ${type} check (${allowed})`, (0,redact/* redactUrlPasswords */.BM)(unknown[0]));
    }
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

;// CONCATENATED MODULE: ./packages/preflight/src/definitions.ts




const CHECK_TYPES = [
    'http',
    'tcp',
    'dns',
    'tls',
    'command',
    'env',
    'config-schema',
    'artifact',
    'disk',
    'memory',
    'github-checks',
    'freeze',
    'deployment-lock'
];
/** Field readers per check type; each returns the spec, a target description and a default name. */
const PARSERS = {
    http(r) {
        const spec = {
            url: r.requiredString('url'),
            method: r.string('method')?.toUpperCase(),
            headers: r.map('headers'),
            body: httpBody(r),
            expectStatus: r.value('expect-status'),
            bodyContains: r.value('body-contains'),
            bodyRegex: r.string('body-regex'),
            json: r.value('json'),
            expectHeaders: r.value('expect-headers'),
            maxLatencyMs: r.duration('max-latency'),
            followRedirects: r.has('follow-redirects') ? r.bool('follow-redirects') : undefined,
            insecure: r.bool('insecure'),
            caFile: r.string('ca')
        };
        try {
            (0,http/* validateHttpSpec */.WE)(spec);
        }
        catch (error) {
            if (error instanceof http_assertions/* HttpSpecError */.m6)
                throw inputErrorFrom(r.at(httpField(error.field)), error.message);
            throw error;
        }
        const target = `${spec.method ?? 'GET'} ${(0,http/* displayUrl */.Qy)(spec.url)}`;
        return { type: 'http', spec, target, defaultName: `http ${target}` };
    },
    tcp(r) {
        const spec = hostPort(r, undefined);
        const target = (0,tcp/* formatHostPort */.zc)(spec.host, spec.port);
        return { type: 'tcp', spec, target, defaultName: `tcp ${target}` };
    },
    dns(r) {
        const name = r.requiredString('host');
        if (!/^[A-Za-z0-9_.-]+$/.test(name))
            throw new errors/* InputError */.dz(r.at('host'), 'a host name such as api.example.com', name);
        const family = r.int('family', { min: 4, max: 6 });
        if (family !== undefined && family !== 4 && family !== 6)
            throw new errors/* InputError */.dz(r.at('family'), '4 or 6', family);
        const spec = { name, family: family, expect: r.list('expect') };
        return { type: 'dns', spec, target: name, defaultName: `dns ${name}` };
    },
    tls(r, defaults) {
        const address = hostPort(r, 443);
        const spec = {
            ...address,
            servername: r.string('servername'),
            minDays: r.int('min-days', { min: 0, default: defaults.tlsMinDays }),
            insecure: r.bool('insecure'),
            caFile: r.string('ca')
        };
        const target = (0,tcp/* formatHostPort */.zc)(spec.host, spec.port);
        return { type: 'tls', spec, target, defaultName: `tls ${target}` };
    },
    command(r) {
        const spec = {
            run: r.requiredString('run'),
            env: r.map('env'),
            cwd: r.string('working-directory')
        };
        const firstLine = spec.run.split('\n')[0];
        const target = firstLine.length > 60 ? `${firstLine.slice(0, 57)}…` : firstLine;
        return { type: 'command', spec, target, defaultName: `command ${target}` };
    },
    env(r) {
        const names = r.list('names', true);
        const bad = names.find(name => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
        if (bad !== undefined)
            throw new errors/* InputError */.dz(r.at('names'), 'environment variable names such as DB_PASSWORD', bad);
        return {
            type: 'env',
            spec: { names },
            target: names.join(', '),
            defaultName: `env ${names.join(', ')}`
        };
    },
    'config-schema'(r) {
        const spec = {
            file: r.requiredString('file'),
            schema: r.requiredString('schema')
        };
        return {
            type: 'config-schema',
            spec,
            target: `${spec.file} against ${spec.schema}`,
            defaultName: `config ${spec.file}`
        };
    },
    artifact(r) {
        const spec = {
            path: r.requiredString('path'),
            sha256: r.string('sha256'),
            sha256File: r.string('sha256-file')
        };
        if (spec.sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(spec.sha256)) {
            throw new errors/* InputError */.dz(r.at('sha256'), 'a SHA-256 digest (64 hex digits)', spec.sha256);
        }
        if (spec.sha256 !== undefined && spec.sha256File !== undefined) {
            throw new errors/* InputError */.dz(r.at('sha256-file'), 'either sha256 or sha256-file, not both', spec.sha256File);
        }
        return { type: 'artifact', spec, target: spec.path, defaultName: `artifact ${spec.path}` };
    },
    disk(r) {
        const spec = {
            path: r.requiredString('path'),
            minFreeBytes: r.size('min-free', true)
        };
        return {
            type: 'disk',
            spec,
            target: `${(0,disk/* formatBytes */.z3)(spec.minFreeBytes)} free on ${spec.path}`,
            defaultName: `disk ${spec.path}`
        };
    },
    memory(r) {
        const spec = { minFreeBytes: r.size('min-free', true) };
        return {
            type: 'memory',
            spec,
            target: `${(0,disk/* formatBytes */.z3)(spec.minFreeBytes)} available`,
            defaultName: 'memory'
        };
    },
    'github-checks'(r, defaults) {
        const ref = r.string('ref') ?? defaults.ref;
        if (!ref)
            throw new errors/* InputError */.dz(r.at('ref'), 'a commit SHA, branch or tag (GITHUB_SHA is not set)', undefined);
        const spec = {
            ref,
            required: r.list('required') ?? [],
            ignore: r.list('ignore') ?? []
        };
        const shortRef = /^[0-9a-f]{40}$/.test(ref) ? ref.slice(0, 7) : ref;
        return {
            type: 'github-checks',
            spec,
            target: `checks of ${shortRef}`,
            defaultName: `github-checks ${shortRef}`
        };
    },
    freeze(r, defaults) {
        const timezone = r.string('timezone') ?? defaults.timezone;
        if (!(0,freeze/* isTimeZone */.kQ)(timezone))
            throw new errors/* InputError */.dz(r.at('timezone'), 'an IANA time zone such as Europe/Berlin or UTC', timezone);
        const windows = parseFreezeWindows(r.value('windows'), r.at('windows'), timezone);
        const target = `${windows.length} window${windows.length === 1 ? '' : 's'}: ${windows.map(w => w.name).join(', ')}`;
        return { type: 'freeze', spec: { windows }, target, defaultName: 'freeze windows' };
    },
    'deployment-lock'(r, defaults) {
        const environment = r.string('environment') ?? defaults.environment;
        if (!environment)
            throw new errors/* InputError */.dz(r.at('environment'), 'the name of the environment being deployed', undefined);
        const spec = { environment, staleAfterMs: r.duration('stale-after') };
        return {
            type: 'deployment-lock',
            spec,
            target: environment,
            defaultName: `deployment-lock ${environment}`
        };
    }
};
/**
 * Validates one check entry of the `checks` YAML (or one built from plain inputs) into a
 * definition. `labels` maps fields to the plain inputs they came from, for error messages.
 */
function parseEntry(entry, path, defaults, labels = {}) {
    if (!isRecord(entry))
        throw new errors/* InputError */.dz(path, 'a mapping with at least a type, such as {type: tcp, host: db, port: 5432}', entry);
    const r = new EntryReader(path, entry, labels);
    const type = r.requiredString('type');
    if (!CHECK_TYPES.includes(type))
        throw new errors/* InputError */.dz(r.at('type'), `one of ${CHECK_TYPES.join(', ')}`, type);
    const name = r.string('name');
    const severity = r.string('severity') ?? 'error';
    if (severity !== 'error' && severity !== 'warning')
        throw new errors/* InputError */.dz(r.at('severity'), 'error or warning', severity);
    const timeoutMs = r.duration('timeout', defaults.timeoutMs);
    if (timeoutMs < 1)
        throw new errors/* InputError */.dz(r.at('timeout'), 'a duration of at least 1ms', entry.timeout);
    const retries = r.int('retries', { min: 0, max: 20, default: defaults.retries });
    const retryDelayMs = r.duration('retry-delay', defaults.retryDelayMs);
    const parsed = PARSERS[type](r, defaults);
    r.finish(type);
    const { defaultName, ...rest } = parsed;
    return {
        ...rest,
        name: name ?? defaultName,
        nameGiven: name !== undefined,
        severity,
        timeoutMs,
        retries,
        retryDelayMs,
        source: path
    };
}
function httpBody(r) {
    const body = r.value('body');
    if (body === undefined || typeof body === 'string' || typeof body === 'object')
        return body;
    return String(body);
}
/** The HTTP probe names fields in camelCase; the YAML uses kebab-case. */
function httpField(field) {
    if (field === 'caFile')
        return 'ca';
    if (field === 'maxLatencyMs')
        return 'max-latency';
    return field.replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);
}
/** `host` + `port`, or `host: db:5432` in one field. */
function hostPort(r, defaultPort) {
    const host = r.requiredString('host');
    const port = r.int('port', { min: 1, max: 65535 });
    const parsed = (0,tcp/* parseHostPort */.Dv)(host, port ?? defaultPort);
    if (!parsed) {
        if (port === undefined && (0,tcp/* parseHostPort */.Dv)(host, 1))
            throw new errors/* InputError */.dz(r.at('port'), 'a port from 1 to 65535', undefined);
        throw new errors/* InputError */.dz(r.at('host'), 'a host name or address, optionally with :port', host);
    }
    if (port !== undefined && parsed.port !== port)
        throw new errors/* InputError */.dz(r.at('port'), 'one port, in host or in port, not both', port);
    return parsed;
}
/**
 * Freeze windows: `{name?, from, to}` for a period, or `{name?, cron, duration, timezone?}` for a
 * recurring one (`cron: '0 18 * * 5'`, `duration: 62h` freezes from Friday 18:00 to Monday 08:00).
 */
function parseFreezeWindows(value, path, defaultTimezone) {
    if (!Array.isArray(value) || value.length === 0) {
        throw new errors/* InputError */.dz(path, 'a list of windows: {from, to} or {cron, duration, timezone}', value);
    }
    return value.map((item, index) => {
        const at = `${path}[${index}]`;
        if (!isRecord(item))
            throw new errors/* InputError */.dz(at, 'a mapping {from, to} or {cron, duration, timezone}', item);
        const r = new EntryReader(at, item);
        const timezone = r.string('timezone') ?? defaultTimezone;
        if (!(0,freeze/* isTimeZone */.kQ)(timezone))
            throw new errors/* InputError */.dz(r.at('timezone'), 'an IANA time zone such as Europe/Berlin or UTC', timezone);
        const name = r.string('name');
        let window;
        if (r.has('cron')) {
            const cron = r.requiredString('cron');
            const problem = (0,freeze/* cronProblem */.K2)(cron, timezone);
            if (problem !== undefined)
                throw new errors/* InputError */.dz(r.at('cron'), `a cron expression such as "0 18 * * 5" (${problem})`, cron);
            const durationMs = r.duration('duration');
            if (!durationMs)
                throw new errors/* InputError */.dz(r.at('duration'), 'a duration such as 2h or 2d14h', item.duration);
            window = {
                name: name ?? `${cron} for ${String(item.duration)} (${timezone})`,
                cron,
                durationMs,
                timezone
            };
        }
        else {
            const from = r.requiredString('from');
            const to = r.requiredString('to');
            const expected = 'a date or date-time such as 2026-12-24 or 2026-12-24T18:00 (local to timezone) or 2026-12-24T17:00Z';
            const start = (0,freeze/* parseZonedDate */.qx)(from, timezone);
            if (start === undefined)
                throw new errors/* InputError */.dz(r.at('from'), expected, from);
            const end = (0,freeze/* parseZonedDate */.qx)(to, timezone, true);
            if (end === undefined)
                throw new errors/* InputError */.dz(r.at('to'), expected, to);
            if (end <= start)
                throw new errors/* InputError */.dz(r.at('to'), `a time after from (${from})`, to);
            window = { name: name ?? `${from} – ${to}`, start, end };
        }
        r.finish('freeze window');
        return window;
    });
}

;// CONCATENATED MODULE: ./packages/preflight/src/inputs.ts


/**
 * Turns the plain inputs and the `checks` YAML into validated check definitions. Throws an
 * InputError naming the input (`tcp`, `checks[2].url`) at the first problem, before any
 * check runs.
 */
function parseChecks(inputs) {
    const { defaults } = inputs;
    const definitions = [];
    const plain = (entry, source, labels) => {
        definitions.push(parseEntry(entry, source, defaults, labels));
    };
    for (const url of (inputs.httpUrl ?? '').split(/\s+/).filter(Boolean)) {
        plain({ type: 'http', url, 'expect-status': inputs.expectStatus }, 'http-url', {
            url: 'http-url',
            'expect-status': 'expect-status'
        });
    }
    if (inputs.expectStatus !== undefined && !inputs.httpUrl) {
        throw new errors/* InputError */.dz('http-url', 'the URL that expect-status applies to', undefined);
    }
    for (const host of inputs.tcp ?? [])
        plain({ type: 'tcp', host }, 'tcp', { host: 'tcp', port: 'tcp' });
    for (const host of inputs.dns ?? [])
        plain({ type: 'dns', host }, 'dns', { host: 'dns' });
    for (const host of inputs.tls ?? [])
        plain({ type: 'tls', host }, 'tls', { host: 'tls', port: 'tls' });
    if (inputs.requiredVars && inputs.requiredVars.length > 0) {
        plain({ type: 'env', name: 'required variables', names: inputs.requiredVars }, 'required-vars', { names: 'required-vars' });
    }
    if (inputs.configFile || inputs.configSchema) {
        const fileInput = inputs.configFileInput ?? 'app-config-file';
        if (!inputs.configFile)
            throw new errors/* InputError */.dz('app-config-file', "the application's config file that config-schema validates", undefined);
        if (!inputs.configSchema)
            throw new errors/* InputError */.dz('config-schema', `a JSON Schema file to validate ${fileInput} against`, undefined);
        plain({ type: 'config-schema', file: inputs.configFile, schema: inputs.configSchema }, fileInput, {
            file: fileInput,
            schema: 'config-schema'
        });
    }
    if (inputs.artifactSha256 && !inputs.artifact) {
        throw new errors/* InputError */.dz('artifact', 'the path of the file that artifact-sha256 belongs to', undefined);
    }
    if (inputs.artifact) {
        plain({ type: 'artifact', path: inputs.artifact, sha256: inputs.artifactSha256 }, 'artifact', {
            path: 'artifact',
            sha256: 'artifact-sha256'
        });
    }
    if (inputs.diskPath || inputs.diskMinFree) {
        plain({ type: 'disk', path: inputs.diskPath ?? '.', 'min-free': inputs.diskMinFree ?? '1GiB' }, 'disk-path', {
            path: 'disk-path',
            'min-free': 'disk-min-free'
        });
    }
    if (inputs.memoryMinFree)
        plain({ type: 'memory', 'min-free': inputs.memoryMinFree }, 'memory-min-free', {
            'min-free': 'memory-min-free'
        });
    if (inputs.command)
        plain({ type: 'command', run: inputs.command }, 'command', { run: 'command' });
    if (inputs.githubChecks || (inputs.requiredChecks && inputs.requiredChecks.length > 0)) {
        plain({ type: 'github-checks', required: inputs.requiredChecks }, 'github-checks', {
            required: 'required-checks',
            ref: 'ref'
        });
    }
    if (inputs.freezeWindows !== undefined)
        plain({ type: 'freeze', windows: inputs.freezeWindows }, 'freeze-windows', {
            windows: 'freeze-windows'
        });
    if (inputs.deploymentLock)
        plain({ type: 'deployment-lock' }, 'deployment-lock', { environment: 'environment' });
    if (inputs.checks !== undefined && inputs.checks !== null) {
        if (!Array.isArray(inputs.checks)) {
            throw new errors/* InputError */.dz('checks', 'a YAML list of checks, each a mapping such as "- {type: tcp, host: db, port: 5432}"', inputs.checks);
        }
        inputs.checks.forEach((entry, index) => definitions.push(parseEntry(entry, `checks[${index}]`, defaults)));
    }
    if (definitions.length === 0) {
        throw new errors/* InputError */.dz('checks', 'at least one check: a checks list, or a plain input such as http-url, tcp, dns or required-vars', undefined);
    }
    return uniqueNames(definitions);
}
/** Names identify checks in outputs: a name given twice is an error, a generated one gets ` #2`. */
function uniqueNames(definitions) {
    const used = new Set();
    for (const definition of definitions) {
        if (!definition.nameGiven)
            continue;
        if (used.has(definition.name))
            throw new errors/* InputError */.dz(`${definition.source}.name`, 'a name that no other check uses', definition.name);
        used.add(definition.name);
    }
    return definitions.map(definition => {
        if (definition.nameGiven)
            return definition;
        let name = definition.name;
        for (let count = 2; used.has(name); count++)
            name = `${definition.name} #${count}`;
        used.add(name);
        return { ...definition, name };
    });
}

;// CONCATENATED MODULE: ./packages/preflight/src/settings.ts



/**
 * Reads and validates the preflight-check inputs. Every problem is an InputError naming the
 * input (`tcp`, `checks[2].url`), thrown before any check runs; nothing is changed.
 */
function parsePreflightSettings(inputs, runnerEnv) {
    const warnings = [];
    const plain = {
        checks: inputs.yaml('checks'),
        httpUrl: inputs.string('http-url'),
        expectStatus: inputs.string('expect-status'),
        tcp: inputs.list('tcp'),
        dns: inputs.list('dns'),
        tls: inputs.list('tls'),
        requiredVars: inputs.list('required-vars'),
        ...appConfigFile(inputs, warnings),
        configSchema: inputs.string('config-schema'),
        artifact: inputs.string('artifact'),
        artifactSha256: inputs.string('artifact-sha256'),
        diskPath: inputs.string('disk-path'),
        diskMinFree: inputs.string('disk-min-free'),
        memoryMinFree: inputs.string('memory-min-free'),
        command: inputs.string('command'),
        githubChecks: inputs.bool('github-checks'),
        requiredChecks: inputs.list('required-checks'),
        freezeWindows: inputs.yaml('freeze-windows'),
        deploymentLock: inputs.bool('deployment-lock'),
        defaults: {
            timeoutMs: inputs.duration('timeout', { default: '10s', min: 1 }),
            retries: inputs.int('retries', { default: 0, min: 0, max: 20 }),
            retryDelayMs: inputs.duration('retry-delay', { default: '2s' }),
            tlsMinDays: inputs.int('tls-min-days', { default: 14, min: 0 }),
            timezone: inputs.string('timezone', { default: 'UTC' }),
            ref: inputs.string('ref') ?? runnerEnv.sha,
            environment: inputs.string('environment')
        }
    };
    const failOn = inputs.enumOf('fail-on', ['error', 'never'], { default: 'error' });
    const dryRun = inputs.bool('dry-run');
    const maxParallel = inputs.int('max-parallel', { default: 16, min: 1, max: 256 });
    const token = inputs.string('token');
    const repository = inputs.string('repository') ?? runnerEnv.repository;
    const checks = parseChecks(plain);
    const github = needsGitHub(checks) ? githubAccess(token, repository, runnerEnv) : undefined;
    const secrets = checks.flatMap(check => check.type === 'http' ? (0,redact/* urlCredentials */.O4)(check.spec.url) : []);
    if (token)
        secrets.push(token);
    return {
        checks,
        failOn,
        dryRun,
        maxParallel,
        currentRunId: runIdOf(runnerEnv.runId),
        github,
        secrets,
        warnings
    };
}
/**
 * `app-config-file`, or the deprecated `config-file`: everywhere else `config-file` is the
 * Slipway config file, so this action's app config got its own name. The old name still works
 * (existing workflows keep passing) with a warning; both at once with different values is
 * ambiguous and refused.
 */
function appConfigFile(inputs, warnings) {
    const current = inputs.string('app-config-file');
    const legacy = inputs.string('config-file');
    if (legacy === undefined)
        return { configFile: current, configFileInput: 'app-config-file' };
    if (current !== undefined && current !== legacy)
        throw new errors/* InputError */.dz('config-file', 'left out when app-config-file is given (config-file is its deprecated name)', legacy);
    warnings.push('The input config-file is deprecated here: use app-config-file (config-file names the Slipway config file everywhere else).');
    if (current !== undefined)
        return { configFile: current, configFileInput: 'app-config-file' };
    return { configFile: legacy, configFileInput: 'config-file' };
}
function needsGitHub(checks) {
    return checks.some(check => check.type === 'github-checks' || check.type === 'deployment-lock');
}
function githubAccess(token, repositoryText, runnerEnv) {
    const repository = (0,client/* parseRepository */.S)(repositoryText);
    if (!repository)
        throw new errors/* InputError */.dz('repository', 'owner/name (GITHUB_REPOSITORY by default)', repositoryText);
    if (!token) {
        throw new errors/* InputError */.dz('token', 'a GitHub token with checks:read, statuses:read, deployments:read and actions:read (github.token works)', undefined);
    }
    return { token, repository, apiUrl: runnerEnv.apiUrl };
}
function runIdOf(text) {
    return text && /^\d+$/.test(text) ? Number(text) : undefined;
}

;// CONCATENATED MODULE: ./actions/preflight-check/src/main.ts


// Only the settings are parsed here. The run, with the modules only a run needs, is a chunk of
// its own that loads once the inputs are good: an input error costs what reading them costs.
async function main(ctx) {
    const settings = parsePreflightSettings(ctx.inputs, (0,ports/* runnerEnvOf */.Z)());
    settings.secrets.forEach(ctx.secret);
    const { run } = await __nccwpck_require__.e(/* import() */ 89).then(__nccwpck_require__.bind(__nccwpck_require__, 7089));
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
        Promise.all(/* import() */[__nccwpck_require__.e(752), __nccwpck_require__.e(250)]).then(__nccwpck_require__.bind(__nccwpck_require__, 5250)),
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

/***/ 9460:
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
    'cron-parser': () => __nccwpck_require__.e(/* import() */ 628).then(__nccwpck_require__.t.bind(__nccwpck_require__, 8628, 23)),
    'jsonpath-plus': () => __nccwpck_require__.e(/* import() */ 229).then(__nccwpck_require__.bind(__nccwpck_require__, 6229)),
    ajv: () => Promise.all(/* import() */[__nccwpck_require__.e(457), __nccwpck_require__.e(463)]).then(__nccwpck_require__.t.bind(__nccwpck_require__, 2463, 23)).then(ajvClass),
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

/***/ 727:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   BM: () => (/* binding */ redactUrlPasswords),
/* harmony export */   O4: () => (/* binding */ urlCredentials),
/* harmony export */   pO: () => (/* binding */ Redactor)
/* harmony export */ });
/* unused harmony export writeRedactedFile */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(6760);
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
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, redactor.redact(content), { mode: 0o600 });
    return path;
}


/***/ }),

/***/ 5394:
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
// EXTERNAL MODULE: ./packages/kit/src/parsers.ts
var parsers = __nccwpck_require__(9460);
// EXTERNAL MODULE: ./packages/kit/src/redact.ts
var redact = __nccwpck_require__(727);
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

/***/ 5300:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   CF: () => (/* binding */ SummaryBuilder),
/* harmony export */   oG: () => (/* binding */ writeStepSummary)
/* harmony export */ });
/* unused harmony exports escapeCell, escapeHtml, link */
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

/***/ 844:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   AC: () => (/* binding */ diskProbe),
/* harmony export */   DB: () => (/* binding */ parseSize),
/* harmony export */   a: () => (/* binding */ memoryProbe),
/* harmony export */   z3: () => (/* binding */ formatBytes)
/* harmony export */ });
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_os__WEBPACK_IMPORTED_MODULE_0__);

// node:fs/promises is loaded by the first probe that reads the disk or /proc, not with the
// module: a start that stops at an input error measures nothing.
const fs = () => process.getBuiltinModule('node:fs/promises');
/** Passes when the file system holding `path` has at least `minFreeBytes` available (statfs `bavail`). */
const diskProbe = async (spec) => {
    let stats;
    try {
        stats = await fs().statfs(spec.path);
    }
    catch (error) {
        return {
            ok: false,
            message: `cannot measure ${spec.path}: ${error.code ?? error.message}`
        };
    }
    const freeBytes = Number(stats.bavail) * Number(stats.bsize);
    const totalBytes = Number(stats.blocks) * Number(stats.bsize);
    const details = { freeBytes, totalBytes, minFreeBytes: spec.minFreeBytes };
    const shown = `${formatBytes(freeBytes)} free of ${formatBytes(totalBytes)} on ${spec.path}`;
    if (freeBytes < spec.minFreeBytes)
        return { ok: false, message: `${shown}, need ${formatBytes(spec.minFreeBytes)}`, details };
    return { ok: true, message: `${shown} (need ${formatBytes(spec.minFreeBytes)})`, details };
};
/** Passes when the machine has at least `minFreeBytes` of memory available. */
const memoryProbe = async (spec) => {
    const freeBytes = await availableMemory();
    const totalBytes = (0,node_os__WEBPACK_IMPORTED_MODULE_0__.totalmem)();
    const details = { freeBytes, totalBytes, minFreeBytes: spec.minFreeBytes };
    const shown = `${formatBytes(freeBytes)} of ${formatBytes(totalBytes)} memory available`;
    if (freeBytes < spec.minFreeBytes)
        return { ok: false, message: `${shown}, need ${formatBytes(spec.minFreeBytes)}`, details };
    return { ok: true, message: `${shown} (need ${formatBytes(spec.minFreeBytes)})`, details };
};
/** `os.freemem()` leaves out the page cache the kernel would give back; /proc/meminfo does not. */
async function availableMemory() {
    try {
        const match = /^MemAvailable:\s+(\d+) kB$/m.exec(await fs().readFile('/proc/meminfo', 'utf8'));
        if (match)
            return Number(match[1]) * 1024;
    }
    catch {
        // not Linux
    }
    return (0,node_os__WEBPACK_IMPORTED_MODULE_0__.freemem)();
}
const UNITS = {
    b: 1,
    k: 1e3,
    kb: 1e3,
    m: 1e6,
    mb: 1e6,
    g: 1e9,
    gb: 1e9,
    t: 1e12,
    tb: 1e12,
    kib: 2 ** 10,
    mib: 2 ** 20,
    gib: 2 ** 30,
    tib: 2 ** 40
};
/**
 * Parses sizes such as `2GiB`, `500MB`, `1.5 GiB`, `1048576` (bytes). SI units are powers of
 * 1000, IEC units (KiB, MiB, GiB, TiB) powers of 1024. Undefined when the text is not a size.
 */
function parseSize(text) {
    const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
    if (!match)
        return undefined;
    const unit = match[2].toLowerCase() || 'b';
    const factor = UNITS[unit];
    if (factor === undefined)
        return undefined;
    return Math.round(Number(match[1]) * factor);
}
/** Bytes for people, in IEC units: `512 B`, `1.5 GiB`. */
function formatBytes(bytes) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
    let value = bytes;
    let unit = 0;
    while (Math.abs(value) >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}


/***/ }),

/***/ 794:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   K2: () => (/* binding */ cronProblem),
/* harmony export */   eO: () => (/* binding */ freezeProbe),
/* harmony export */   kQ: () => (/* binding */ isTimeZone),
/* harmony export */   qx: () => (/* binding */ parseZonedDate)
/* harmony export */ });
/* unused harmony exports windowState, zonedWallToUtc, validateCron */
/* harmony import */ var _slipway_kit__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(9460);

/**
 * Fails while any freeze window is open, naming it and when it ends; otherwise passes and
 * names the next window that will open, so the team sees it coming.
 */
const freezeProbe = async (spec) => {
    if (spec.windows.some(window => 'cron' in window))
        await (0,_slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .preloadParsers */ .gk)(['cron-parser']);
    const now = (spec.now ?? Date.now)();
    const states = spec.windows.map(window => windowState(window, now));
    const active = states.filter(state => state.active);
    const details = { now: new Date(now).toISOString(), windows: states.map(serialise) };
    if (active.length > 0) {
        const names = active.map(state => `${state.name} (until ${iso(state.end)})`).join(', ');
        return { ok: false, message: `deployments are frozen: ${names}`, details };
    }
    const upcoming = states
        .filter(state => state.start !== undefined && state.start > now)
        .sort((a, b) => a.start - b.start)[0];
    const next = upcoming ? `; next: ${upcoming.name} from ${iso(upcoming.start)}` : '';
    return { ok: true, message: `no freeze window is open${next}`, details };
};
function windowState(window, now) {
    if ('cron' in window) {
        const { CronExpressionParser } = _slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .parsers */ .T_.cron();
        const options = { tz: window.timezone };
        // prev() from now + 1 ms is the latest opening at or before now (cron times have no milliseconds).
        const start = CronExpressionParser.parse(window.cron, {
            ...options,
            currentDate: new Date(now + 1)
        })
            .prev()
            .getTime();
        const end = start + window.durationMs;
        if (now < end)
            return { name: window.name, active: true, start, end };
        const nextStart = CronExpressionParser.parse(window.cron, {
            ...options,
            currentDate: new Date(now)
        })
            .next()
            .getTime();
        return {
            name: window.name,
            active: false,
            start: nextStart,
            end: nextStart + window.durationMs
        };
    }
    const active = now >= window.start && now < window.end;
    if (active || window.start > now)
        return { name: window.name, active, start: window.start, end: window.end };
    return { name: window.name, active: false };
}
function serialise(state) {
    return {
        name: state.name,
        active: state.active,
        start: state.start && iso(state.start),
        end: state.end && iso(state.end)
    };
}
function iso(ms) {
    return ms === undefined ? '?' : new Date(ms).toISOString().replace(/:00\.000Z$/, 'Z');
}
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
/**
 * Reads a date or date-time for a freeze range. A value with an offset (`Z`, `+02:00`) is taken
 * as is; a local one (`2026-12-24`, `2026-12-24T18:00`) is read in `timeZone`. A bare date means
 * the start of that day, or with `endOfDay` the end of it, so `to: 2027-01-02` includes the 2nd.
 * Undefined when the text is not such a date.
 */
function parseZonedDate(text, timeZone, endOfDay = false) {
    const value = text.trim();
    const local = LOCAL.exec(value);
    if (!local) {
        if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value))
            return undefined;
        const ms = Date.parse(value);
        return Number.isNaN(ms) ? undefined : ms;
    }
    const [year, month, day, hour, minute, second] = local
        .slice(1)
        .map(part => (part === undefined ? undefined : Number(part)));
    const dateOnly = hour === undefined;
    const wall = Date.UTC(year, month - 1, day, hour ?? 0, minute ?? 0, second ?? 0);
    const check = new Date(wall);
    if (check.getUTCFullYear() !== year ||
        check.getUTCMonth() !== month - 1 ||
        check.getUTCDate() !== day)
        return undefined;
    if (dateOnly && endOfDay)
        return zonedWallToUtc(wall + 86_400_000, timeZone);
    return zonedWallToUtc(wall, timeZone);
}
/** Converts a wall-clock time in `timeZone` (given as if it were UTC) to the real instant. */
function zonedWallToUtc(wall, timeZone) {
    // Two passes settle the offset across a daylight-saving change.
    let guess = wall - offsetOf(wall, timeZone);
    guess = wall - offsetOf(guess, timeZone);
    return guess;
}
function offsetOf(instant, timeZone) {
    const parts = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit'
    }).formatToParts(new Date(instant));
    const get = (type) => Number(parts.find(part => part.type === type)?.value);
    const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return asUtc - Math.floor(instant / 1000) * 1000;
}
/** True when `timeZone` is an IANA name this runtime knows (`Europe/Berlin`, `UTC`). */
function isTimeZone(timeZone) {
    try {
        new Intl.DateTimeFormat('en-US', { timeZone });
        return true;
    }
    catch {
        return false;
    }
}
/** Throws the parser's message when the cron expression is not valid. */
function validateCron(expression, timeZone) {
    const message = cronProblem(expression, timeZone);
    if (message !== undefined)
        throw new Error(message);
}
/**
 * The parser's message when the cron expression is not valid. Only the parse is caught: a
 * parser that was not loaded is a bug and throws, rather than reading as a bad expression.
 */
function cronProblem(expression, timeZone) {
    const { CronExpressionParser } = _slipway_kit__WEBPACK_IMPORTED_MODULE_0__/* .parsers */ .T_.cron();
    try {
        CronExpressionParser.parse(expression, { tz: timeZone, strict: false }).next();
        return undefined;
    }
    catch (error) {
        return error instanceof Error ? error.message : String(error);
    }
}


/***/ }),

/***/ 9807:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $Q: () => (/* binding */ clip),
/* harmony export */   Dq: () => (/* binding */ evaluateAssertions),
/* harmony export */   _d: () => (/* binding */ validateAssertions),
/* harmony export */   m6: () => (/* binding */ HttpSpecError)
/* harmony export */ });
/* unused harmony exports DEFAULT_EXPECT_STATUS, parseStatusList, statusMatches, formatStatusList, compileRegex */
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7975);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_util__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _slipway_kit__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(7817);
/* harmony import */ var _slipway_kit__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(9460);


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
/* harmony export */   Qy: () => (/* binding */ displayUrl),
/* harmony export */   WE: () => (/* binding */ validateHttpSpec)
/* harmony export */ });
/* unused harmony export describeFetchError */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _slipway_kit__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(9460);
/* harmony import */ var _http_assertions_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(9807);



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
    const undici = await __nccwpck_require__.e(/* import() */ 752).then(__nccwpck_require__.t.bind(__nccwpck_require__, 6752, 19));
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

/***/ 7158:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Dv: () => (/* binding */ parseHostPort),
/* harmony export */   MK: () => (/* binding */ tcpProbe),
/* harmony export */   vF: () => (/* binding */ describeSocketError),
/* harmony export */   zc: () => (/* binding */ formatHostPort)
/* harmony export */ });
/** Passes when a TCP connection to host:port is accepted; the connection is closed at once. */
const tcpProbe = (spec, context) => new Promise(resolve => {
    const started = performance.now();
    const target = formatHostPort(spec.host, spec.port);
    // node:net is loaded by the first probe, not with the module: a start that stops at an
    // input error opens no socket and should not pay for it.
    const socket = process
        .getBuiltinModule('node:net')
        .connect({ host: spec.host, port: spec.port });
    const finish = (ok, message, details) => {
        context.signal.removeEventListener('abort', onAbort);
        socket.destroy();
        resolve({ ok, message, details });
    };
    const onAbort = () => finish(false, `${target}: no connection within ${context.timeoutMs}ms`);
    context.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
        const latencyMs = Math.round(performance.now() - started);
        finish(true, `${target} accepted a connection in ${latencyMs}ms`, {
            latencyMs,
            address: socket.remoteAddress
        });
    });
    socket.once('error', (error) => finish(false, `${target}: ${describeSocketError(error)}`, error.code ? { code: error.code } : undefined));
});
/** `host:port`, with brackets around IPv6 addresses. */
function formatHostPort(host, port) {
    return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
/**
 * Parses `host:port` or `[ipv6]:port`; undefined when malformed. A missing port takes
 * `defaultPort` when one is given (TLS checks default to 443).
 */
function parseHostPort(text, defaultPort) {
    const value = text.trim();
    const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(value);
    const plain = /^([A-Za-z0-9_.-]+)(?::(\d+))?$/.exec(value);
    const match = bracketed ?? plain;
    if (!match)
        return undefined;
    const port = match[2] === undefined ? defaultPort : Number(match[2]);
    if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535)
        return undefined;
    return { host: match[1], port };
}
const SOCKET_ERRORS = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'name lookup failed (temporary)',
    ETIMEDOUT: 'connection timed out',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable'
};
/** `connection refused (ECONNREFUSED)` rather than Node's `connect ECONNREFUSED 127.0.0.1:1`. */
function describeSocketError(error) {
    const known = error.code ? SOCKET_ERRORS[error.code] : undefined;
    if (known)
        return `${known} (${error.code})`;
    return error.code && !error.message.includes(error.code)
        ? `${error.message} (${error.code})`
        : error.message;
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

/***/ 1553:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns/promises");

/***/ }),

/***/ 8474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 3024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 1455:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");

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

/***/ 6466:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream/promises");

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
/******/ var __webpack_exports__ = __nccwpck_require__(202);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
