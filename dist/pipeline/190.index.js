export const id = 190;
export const ids = [190];
export const modules = {

/***/ 45190:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  backup: () => (/* binding */ backup),
  deploy: () => (/* binding */ deploy),
  preflight: () => (/* binding */ preflight),
  release: () => (/* binding */ release),
  report: () => (/* binding */ report),
  rollback: () => (/* binding */ rollback),
  smoke: () => (/* binding */ smoke)
});

// EXTERNAL MODULE: ./packages/kit/src/errors.ts
var errors = __webpack_require__(77817);
// EXTERNAL MODULE: ./packages/notify/src/message.ts
var message = __webpack_require__(25908);
;// CONCATENATED MODULE: ./packages/notify/src/send.ts


const sleep = (ms) => new Promise(resolve => setTimeout(resolve, ms));
/**
 * POSTs the notification. Never throws: a notification is a courtesy, and a broken chat
 * webhook must not fail (or roll back) a deployment. Every wait is bounded.
 */
async function sendNotification(notification, options) {
    const body = JSON.stringify((0,message/* payloadFor */.ek)(options.format, notification));
    const attempts = 1 + Math.max(0, Math.min(options.retries ?? 1, 5));
    const timeoutMs = options.timeoutMs ?? 10_000;
    let last = { ok: false, attempts: 0 };
    for (let attempt = 1; attempt <= attempts; attempt++) {
        let retryAfterMs = options.retryDelayMs ?? 1000;
        try {
            const response = await fetch(options.url, {
                method: 'POST',
                headers: { 'content-type': 'application/json', 'user-agent': 'slipway' },
                body,
                redirect: 'error',
                signal: AbortSignal.timeout(timeoutMs)
            });
            // Drain the body so the connection is released; its text helps with a 4xx.
            const text = (await response.text().catch(() => '')).slice(0, 200);
            if (response.ok)
                return { ok: true, attempts: attempt, status: response.status };
            last = {
                ok: false,
                attempts: attempt,
                status: response.status,
                error: `HTTP ${response.status}${text ? `: ${text.replace(/\s+/g, ' ')}` : ''}`
            };
            const retryable = response.status >= 500 || response.status === 429;
            if (!retryable)
                return last;
            const after = Number(response.headers.get('retry-after'));
            if (Number.isFinite(after) && after > 0)
                retryAfterMs = Math.min(after * 1000, 10_000);
        }
        catch (error) {
            const timedOut = error?.name === 'TimeoutError';
            last = {
                ok: false,
                attempts: attempt,
                error: timedOut ? `no answer within ${timeoutMs}ms` : describeNetworkError(error)
            };
        }
        if (attempt < attempts)
            await sleep(retryAfterMs);
    }
    return last;
}
/** fetch's "fetch failed" hides the reason in `cause`; keep the code, never the URL. */
function describeNetworkError(error) {
    const cause = error?.cause;
    if (cause?.code)
        return `network error ${cause.code}`;
    if (error instanceof TypeError && /invalid url|failed to parse/i.test(error.message))
        return 'invalid URL';
    return (0,errors/* errorMessage */.gJ)(error).replace(/https?:\/\/\S+/g, '<webhook>');
}

;// CONCATENATED MODULE: ./packages/notify/src/notify.ts



/**
 * The one call an action makes: masks the URL, sends, and turns any failure into a warning.
 * Does nothing without a URL. A bad format is an InputError (checked before anything is sent).
 */
async function notifyWebhook(settings, notification) {
    const url = settings.url?.trim();
    if (!url)
        return undefined;
    settings.secret(url);
    const format = (settings.format ?? 'slack');
    if (!message/* FORMATS */.hR.includes(format))
        throw new errors/* InputError */.dz('webhook-format', `one of ${message/* FORMATS */.hR.join(', ')}`, settings.format);
    if (!/^https?:\/\//i.test(url)) {
        settings.warning('Notification not sent: webhook-url is not an http(s) URL');
        return { ok: false, attempts: 0, error: 'not an http(s) URL' };
    }
    const result = await sendNotification(notification, {
        url,
        format,
        timeoutMs: settings.timeoutMs,
        retries: settings.retries
    });
    if (result.ok)
        settings.info?.(`Sent the ${notification.event} notification (${format})`);
    else
        settings.warning(`Could not send the ${notification.event} notification after ${result.attempts} attempt(s): ${result.error}`);
    return result;
}

// EXTERNAL MODULE: ./packages/kit/src/ports.ts
var src_ports = __webpack_require__(13508);
// EXTERNAL MODULE: ./packages/kit/src/redact.ts
var redact = __webpack_require__(20727);
// EXTERNAL MODULE: ./packages/kit/src/child-env.ts
var child_env = __webpack_require__(52732);
// EXTERNAL MODULE: ./packages/probes/src/runner.ts
var runner = __webpack_require__(68267);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: ./packages/probes/src/http.ts
var http = __webpack_require__(1385);
// EXTERNAL MODULE: ./packages/probes/src/tcp.ts
var tcp = __webpack_require__(37158);
// EXTERNAL MODULE: external "node:dns/promises"
var external_node_dns_promises_ = __webpack_require__(71553);
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

// EXTERNAL MODULE: ./packages/kit/src/exec.ts
var exec = __webpack_require__(42783);
;// CONCATENATED MODULE: ./packages/probes/src/command.ts

const OUTPUT_LINES = 5;
/**
 * Passes when the script exits 0. Our values reach it only through `env`; its output is
 * captured (last lines in the message, the redacted tail in details) and never streamed.
 */
const commandProbe = async (spec, context) => {
    const result = await (0,exec/* run */.eF)('bash', (0,exec/* scriptArgs */.oq)(spec.run), {
        // The user's script: the job's variables, never INPUT_* or ACTIONS_* (hookEnvironment).
        baseEnv: (0,child_env/* hookEnvironment */.Nn)(),
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
        return { ok: true, message: `exited 0${tail ? `: ${lastLine(tail)}` : ''}`, details };
    const how = result.exitCode === null
        ? `was stopped by ${result.signal ?? 'an error'}`
        : `exited ${result.exitCode}`;
    return { ok: false, message: `${how}${tail ? `: ${tail}` : ''}`, details };
};
function lastLine(text) {
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
        Promise.all(/* import() */[__webpack_require__.e(457), __webpack_require__.e(463)]).then(__webpack_require__.t.bind(__webpack_require__, 42463, 23)),
        Promise.all(/* import() */[__webpack_require__.e(457), __webpack_require__.e(878)]).then(__webpack_require__.t.bind(__webpack_require__, 60878, 23)),
        Promise.all(/* import() */[__webpack_require__.e(457), __webpack_require__.e(210)]).then(__webpack_require__.t.bind(__webpack_require__, 52210, 23)),
        Promise.all(/* import() */[__webpack_require__.e(457), __webpack_require__.e(196)]).then(__webpack_require__.t.bind(__webpack_require__, 82815, 23)),
        __webpack_require__.e(/* import() */ 815).then(__webpack_require__.t.bind(__webpack_require__, 38815, 19))
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
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(46466);
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
var disk = __webpack_require__(70844);
// EXTERNAL MODULE: ./packages/probes/src/freeze.ts
var freeze = __webpack_require__(40794);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(77030);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(41692);
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

// EXTERNAL MODULE: ./packages/preflight/src/preflight-report.ts
var preflight_report = __webpack_require__(81131);
// EXTERNAL MODULE: ./packages/preflight/src/report.ts
var src_report = __webpack_require__(44981);
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
        const results = await (0,runner/* runChecks */.JT)(checks, {
            concurrency: settings.maxParallel,
            onResult: result => ports.progress.info(`${preflight_report/* STATUS_ICON */.t[result.status]} ${result.name}: ${result.message} (${result.attempts} attempt${result.attempts === 1 ? '' : 's'}, ${result.durationMs}ms)`)
        });
        entries = results.map((result, index) => resultEntry(definitions[index], result));
    }
    const report = (ports.redactor ?? new redact/* Redactor */.pO()).redactValue(reportOf(settings, started, now() - started, entries));
    for (const line of (0,src_report/* reportWarnings */.OH)(report))
        ports.progress.warning(line);
    ports.progress.info((0,src_report/* headline */.Pl)(report).replace(/\*\*/g, ''));
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
            spec: { ...definition.spec, env: (0,child_env/* hookEnvironment */.Nn)(definition.spec.env, ports.variables) }
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

// EXTERNAL MODULE: ./packages/backup/src/run-backup.ts + 3 modules
var run_backup = __webpack_require__(15314);
// EXTERNAL MODULE: ./packages/strategies/src/run-deploy-stage.ts + 6 modules
var run_deploy_stage = __webpack_require__(11650);
// EXTERNAL MODULE: ./packages/smoke/src/run-smoke-test.ts + 1 modules
var run_smoke_test = __webpack_require__(9369);
// EXTERNAL MODULE: ./packages/release/src/run-release.ts + 15 modules
var run_release = __webpack_require__(18081);
// EXTERNAL MODULE: ./packages/report/src/run-report.ts + 2 modules
var run_report = __webpack_require__(46618);
// EXTERNAL MODULE: ./packages/rollback/src/run-rollback.ts + 7 modules
var run_rollback = __webpack_require__(29498);
;// CONCATENATED MODULE: ./packages/pipeline/src/stage-runs.ts








// Each stage's run against the backends, apart from the registry: the registry's parse,
// outputs and summaries load with the front end, these with the first stage that runs.
const preflight = (settings, backends, io) => runPreflight(settings, {
    progress: backends.progress,
    variables: io.variables,
    mask: io.secret,
    redactor: io.redactor,
    deploymentActivity: backends.deploymentActivity(settings.github),
    commitChecks: backends.commitChecks(settings.github)
});
const backup = async (settings, backends, _io) => (0,run_backup/* runBackupOperation */.jj)(settings, {
    progress: backends.progress,
    artifacts: settings.store.kind === 'artifact' ? await backends.artifacts() : undefined
});
const deploy = (settings, backends, io) => (0,run_deploy_stage/* runDeployStage */.jp)(settings, {
    progress: backends.progress,
    records: settings.record && backends.records(settings.record.github),
    redactor: io.redactor,
    notify: async (notification) => {
        await notifyWebhook({ ...settings.webhook, secret: io.secret, ...backends.progress }, notification);
    }
});
const smoke = (settings, backends, _io) => (0,run_smoke_test/* runSmokeTest */.pb)(settings, { progress: backends.progress });
const release = async (settings, backends, io) => {
    const releases = backends.releases({ token: settings.token, repository: settings.repository });
    const result = await (0,run_release/* runRelease */.T_)(settings, { releases, progress: backends.progress });
    const notice = (0,run_release/* releaseNotice */.IS)(settings, result);
    if (notice)
        await notifyWebhook({
            url: settings.webhook.url,
            format: settings.webhook.format,
            secret: io.secret,
            ...backends.progress
        }, notice);
    return result;
};
const report = (settings, backends, _io) => (0,run_report/* runReport */.qi)(settings, {
    progress: backends.progress,
    history: backends.history(settings.github)
});
const rollback = (settings, backends, io) => (0,run_rollback/* runRollbackStage */.YJ)(settings, {
    records: backends.records(settings.github),
    rollbackRecords: backends.rollbackRecords(settings.github),
    history: backends.rollbackHistory(settings.github),
    releases: backends.releases(settings.github),
    progress: backends.progress,
    redactor: io.redactor,
    notify: async (notification) => {
        await notifyWebhook({ ...settings.webhook, secret: io.secret, ...backends.progress }, notification);
    }
});


/***/ })

};
