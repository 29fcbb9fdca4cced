export const id = 225;
export const ids = [225];
export const modules = {

/***/ 99225:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
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
// EXTERNAL MODULE: ./packages/probes/src/http.ts
var src_http = __webpack_require__(1385);
// EXTERNAL MODULE: ./packages/smoke/src/load.ts
var src_load = __webpack_require__(55365);
;// CONCATENATED MODULE: ./packages/smoke/src/junit.ts


/**
 * JUnit XML for test-report tools (dorny/test-reporter, mikepenz/action-junit-report, GitLab):
 * one suite for the HTTP checks, one for the load check's thresholds, one for the watch
 * window. A stage that did not run (an earlier stage failed) is reported as skipped.
 */
function toJUnit(report) {
    const suites = [];
    let tests = 0;
    let failures = 0;
    let skipped = 0;
    const suite = (name, cases, seconds) => {
        if (cases.length === 0)
            return;
        const failed = cases.filter(c => c.failure !== undefined).length;
        const skip = cases.filter(c => c.skipped).length;
        tests += cases.length;
        failures += failed;
        skipped += skip;
        suites.push(`  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failed}" errors="0" skipped="${skip}" time="${secs(seconds)}" timestamp="${xml(report.startedAt.replace(/\.\d+Z$/, ''))}">\n` +
            cases.map(c => renderCase(name, c)).join('') +
            '  </testsuite>\n');
    };
    suite('smoke-test.checks', report.checks.map(check => ({
        name: check.name,
        seconds: check.durationMs / 1000,
        failure: check.passed
            ? undefined
            : {
                message: check.message,
                body: [
                    `${check.method} ${check.url}`,
                    `attempts: ${check.attempts}`,
                    check.httpStatus === undefined ? 'no HTTP answer' : `status: ${check.httpStatus}`,
                    ...(check.failures ?? []).map(f => `failed: ${f}`),
                    ...(check.bodyExcerpt ? [`body: ${check.bodyExcerpt}`] : [])
                ].join('\n')
            },
        systemOut: `${check.method} ${check.url} → ${check.httpStatus ?? '-'} in ${check.latencyMs ?? '-'}ms (${check.attempts} attempt(s))`
    })), Math.max(0, ...report.checks.map(c => c.durationMs)) / 1000);
    if (report.load) {
        const load = report.load;
        const cases = load.verdicts.map(verdict => ({
            name: `${verdict.metric} (${verdict.source})`,
            seconds: 0,
            failure: verdict.ok
                ? undefined
                : { message: (0,src_load/* describeVerdict */.XZ)(verdict), body: (0,src_load/* describeVerdict */.XZ)(verdict) }
        }));
        cases.unshift({
            name: 'requests completed',
            seconds: load.figures.durationMs / 1000,
            failure: load.figures.requests > 0 ? undefined : { message: load.message, body: load.message },
            systemOut: JSON.stringify(load.figures)
        });
        suite('smoke-test.load', cases, load.figures.durationMs / 1000);
    }
    else if (report.skipped.includes('load')) {
        suite('smoke-test.load', [{ name: 'load check', seconds: 0, skipped: true }], 0);
    }
    if (report.watch) {
        const watch = report.watch;
        const names = [...report.checks.map(c => c.name), ...watch.settings.queries];
        const cases = names.map(name => {
            const breaches = watch.breachRounds.flatMap(round => round.failures
                .filter(f => f.name === name)
                .map(f => `round ${round.index + 1} (+${(round.offsetMs / 1000).toFixed(1)}s): ${f.message}`));
            return {
                name: `watch: ${name}`,
                seconds: watch.durationMs / 1000,
                failure: breaches.length === 0 || watch.passed
                    ? undefined
                    : { message: breaches[0], body: breaches.join('\n') },
                systemOut: breaches.length > 0 && watch.passed ? breaches.join('\n') : undefined
            };
        });
        suite('smoke-test.watch', cases, watch.durationMs / 1000);
    }
    else if (report.skipped.includes('watch')) {
        suite('smoke-test.watch', [{ name: 'watch window', seconds: 0, skipped: true }], 0);
    }
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<testsuites name="slipway smoke-test" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${secs(report.durationMs / 1000)}">\n` +
        suites.join('') +
        '</testsuites>\n');
}
function renderCase(classname, c) {
    const open = `    <testcase classname="${xml(classname)}" name="${xml(c.name)}" time="${secs(c.seconds)}"`;
    const inner = [];
    if (c.skipped)
        inner.push('      <skipped/>\n');
    if (c.failure)
        inner.push(`      <failure message="${xml(oneLine(c.failure.message))}" type="AssertionError">${xml(c.failure.body)}</failure>\n`);
    if (c.systemOut)
        inner.push(`      <system-out>${xml(c.systemOut)}</system-out>\n`);
    return inner.length === 0 ? `${open}/>\n` : `${open}>\n${inner.join('')}    </testcase>\n`;
}
/**
 * Escapes text for XML attributes and content, and drops characters XML 1.0 cannot carry
 * at all (control characters from a binary response body would make the file unreadable).
 */
function xml(text) {
    return (text
        // eslint-disable-next-line no-control-regex -- the allowed XML 1.0 characters are defined by code points
        .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&apos;'));
}
function oneLine(text) {
    return text.replace(/\s+/g, ' ').slice(0, 500);
}
function secs(seconds) {
    return seconds.toFixed(3);
}
/**
 * Writes the XML, creating the directory; returns the path. The file is uploaded and read by
 * other tools, so secrets (a body echoing a request header, a password in a URL) are removed
 * from the report before it is rendered (XML escaping would hide them from a later pass) and
 * from the text after.
 */
function writeJUnit(path, report, redactor) {
    return (0,redact/* writeRedactedFile */.cW)(path, toJUnit(redactor.redactValue(report)), redactor);
}

// EXTERNAL MODULE: ./packages/kit/src/duration.ts
var duration = __webpack_require__(55438);
// EXTERNAL MODULE: ./packages/probes/src/prometheus.ts
var src_prometheus = __webpack_require__(98833);
// EXTERNAL MODULE: ./packages/probes/src/http-assertions.ts
var http_assertions = __webpack_require__(69807);
// EXTERNAL MODULE: ./packages/monitoring/src/matchers.ts
var src_matchers = __webpack_require__(27233);
;// CONCATENATED MODULE: ./packages/smoke/src/report.ts




const PASS = '✅';
const FAIL = '❌';
const SKIP = '⏭️';
/** The job summary of a finished run: verdict, the checks table, load figures, watch window. */
function renderSummary(report, summary) {
    summary.heading(`Smoke test ${report.passed ? `passed ${PASS}` : `failed ${FAIL}`}`);
    const passedChecks = report.checks.filter(c => c.passed).length;
    summary.paragraph(`${passedChecks}/${report.checks.length} checks passed in ${(0,duration/* formatDuration */.a)(report.durationMs)}` +
        (report.passed ? '.' : ` — **${report.message}**`));
    const checksMs = Math.max(0, ...report.checks.map(c => c.durationMs));
    const timings = [
        report.checks.length > 0 ? `checks ${(0,duration/* formatDuration */.a)(checksMs)}` : '',
        report.load ? `load ${(0,duration/* formatDuration */.a)(report.load.figures.durationMs)}` : '',
        report.watch ? `watch ${(0,duration/* formatDuration */.a)(report.watch.durationMs)}` : ''
    ].filter(Boolean);
    if (timings.length > 1)
        summary.paragraph(`Timings: ${timings.join(' · ')}`);
    summary.table(['', 'Check', 'URL', 'HTTP', 'Latency', 'Attempts', 'Message'], report.checks.map(check => [
        check.passed ? PASS : FAIL,
        check.name,
        // A check named after its request (`GET /health`) already shows the method.
        namedByRequest(check) ? check.url : `${check.method} ${check.url}`,
        check.httpStatus ?? '—',
        check.latencyMs === undefined ? '—' : `${Math.round(check.latencyMs)}ms`,
        check.attempts,
        tableMessage(check)
    ]));
    const withBodies = report.checks.filter(c => !c.passed && c.bodyExcerpt);
    if (withBodies.length > 0)
        summary.details('Response bodies of failed checks', withBodies
            .map(c => `**${c.name}**\n\n\`\`\`\n${c.bodyExcerpt.replace(/```/g, "'''")}\n\`\`\``)
            .join('\n\n'));
    if (report.load)
        renderLoad(report.load, summary);
    else if (report.skipped.includes('load'))
        summary.heading('Load check', 3).paragraph(`${SKIP} Skipped: the checks failed.`);
    if (report.watch)
        renderWatch(report.watch, summary);
    else if (report.skipped.includes('watch'))
        summary.heading('Watch window', 3).paragraph(`${SKIP} Skipped: an earlier stage failed.`);
}
/** Whether the check's name is the default one, its method and path. */
function namedByRequest(check) {
    return check.name.startsWith(`${check.method} `);
}
/**
 * One line for a check's result in the log and the failure message. A check named after its
 * request would read `GET /: GET http://… → 503`: its message, which starts with the request,
 * is enough.
 */
function describeCheck(check) {
    const request = `${check.method} ${check.url}`;
    if (namedByRequest(check) && check.message.startsWith(request))
        return check.message;
    return `${check.name}: ${check.message}`;
}
/** The message without the `GET url → ` prefix the URL column already shows. */
function tableMessage(check) {
    const prefix = `${check.method} ${check.url}`;
    if (!check.message.startsWith(prefix))
        return check.message;
    return check.message.slice(prefix.length).replace(/^(?: → |: )/, '');
}
function renderLoad(load, summary) {
    const { figures, settings } = load;
    summary.heading(`Load check ${load.passed ? PASS : FAIL}`, 3);
    const rate = settings.rate ? `${settings.rate} req/s` : 'unthrottled';
    summary.paragraph(`${load.url} — ${(0,duration/* formatDuration */.a)(settings.durationMs)}, ${settings.connections} connections, ${rate}: ` +
        `**${figures.requests}** requests, **${figures.rps.toFixed(1)}** req/s, ${(0,src_load/* formatRate */.CE)(figures.errorRate)} errors` +
        (figures.firstError && figures.errors > 0 ? ` (${figures.firstError})` : ''));
    const verdictFor = (metric, source) => load.verdicts.find(v => v.metric === metric && v.source === source);
    const cell = (metric, source) => {
        const verdict = verdictFor(metric, source);
        if (!verdict)
            return '—';
        const mark = verdict.ok ? PASS : FAIL;
        const op = verdict.metric === 'requests/s' ? '≥' : '≤';
        const baseline = verdict.baseline === undefined
            ? ''
            : ` (was ${(0,src_load/* formatMetric */.gI)(verdict.metric, verdict.baseline)})`;
        return `${mark} ${op} ${(0,src_load/* formatMetric */.gI)(verdict.metric, verdict.limit)}${baseline}`;
    };
    const rows = [
        ['error rate', (0,src_load/* formatRate */.CE)(figures.errorRate), 'error rate'],
        ['p50', `${figures.p50Ms}ms`, ''],
        ['p95', `${figures.p95Ms}ms`, 'p95'],
        ['p99', `${figures.p99Ms}ms`, 'p99'],
        ['max', `${figures.maxMs}ms`, ''],
        ['requests/s', figures.rps.toFixed(1), 'requests/s']
    ];
    summary.table(['Metric', 'Measured', 'Threshold', `Baseline (±${Math.round(settings.tolerance * 100)}%)`], rows.map(([label, value, metric]) => [
        label,
        value,
        metric ? cell(metric, 'threshold') : '',
        metric ? cell(metric, 'baseline') : ''
    ]));
}
function renderWatch(watch, summary) {
    summary.heading(`Watch window ${watch.passed ? PASS : FAIL}`, 3);
    const window = watch.settings.windowMs === 0
        ? 'one evaluation'
        : `${(0,duration/* formatDuration */.a)(watch.settings.windowMs)} every ${(0,duration/* formatDuration */.a)(watch.settings.intervalMs)}`;
    summary.paragraph(`${window}: ${watch.rounds} round(s) in ${(0,duration/* formatDuration */.a)(watch.durationMs)}, ${watch.breaches} breaching round(s)` +
        ` (limit ${watch.settings.failureLimit})${watch.stoppedEarly ? ', stopped at the limit' : ''}.`);
    if (watch.alertsBefore?.length)
        summary.paragraph(`Already firing before the deploy (reported, not counted): ${watch.alertsBefore.join(', ')}.`);
    const values = Object.entries(watch.lastValues);
    if (values.length > 0)
        summary.table(['Query', 'Last value'], values.map(([name, value]) => [(0,src_summary/* link */.nf)(name, watch.settings.graphs?.[name]), value ?? '—']));
    if (watch.breachRounds.length > 0)
        summary.table(['Round', 'After', 'Check', 'Message'], watch.breachRounds.flatMap(round => round.failures.map(f => [
            round.index + 1,
            `${(round.offsetMs / 1000).toFixed(1)}s`,
            f.name,
            f.message
        ])));
}
/** The dry-run listing: what would be requested and asserted, with nothing sent. */
function renderPlan(plan, summary) {
    summary.heading('Smoke test (dry run)');
    summary.paragraph(`Nothing was sent. ${plan.checks.length} check(s) would run ${plan.concurrency} at a time, retrying until ready ` +
        `for up to ${(0,duration/* formatDuration */.a)(plan.timeoutMs)}.`);
    summary.table(['Check', 'Request', 'Expects', 'Retries'], plan.checks.map(check => [
        check.name,
        `${(check.spec.method ?? 'GET').toUpperCase()} ${(0,src_http/* displayUrl */.Qy)(check.spec.url)}`,
        describeExpectations(check),
        check.maxAttempts === undefined ? 'until ready' : String(check.maxAttempts - 1)
    ]));
    if (plan.load) {
        const load = plan.load;
        const limits = [
            load.thresholds.maxErrorRate !== undefined
                ? `error rate ≤ ${(0,src_load/* formatRate */.CE)(load.thresholds.maxErrorRate)}`
                : '',
            load.thresholds.maxP95Ms !== undefined ? `p95 ≤ ${load.thresholds.maxP95Ms}ms` : '',
            load.thresholds.maxP99Ms !== undefined ? `p99 ≤ ${load.thresholds.maxP99Ms}ms` : '',
            load.thresholds.minRps !== undefined ? `≥ ${load.thresholds.minRps} req/s` : '',
            load.baseline
                ? `baseline ${JSON.stringify(load.baseline)} ±${Math.round(load.tolerance * 100)}%`
                : ''
        ].filter(Boolean);
        summary
            .heading('Load check', 3)
            .list([
            `${(load.method ?? 'GET').toUpperCase()} ${(0,src_http/* displayUrl */.Qy)(load.url)} for ${(0,duration/* formatDuration */.a)(load.durationMs)} with ${load.connections} connections${load.rate ? ` at ${load.rate} req/s` : ''} (at most ${load.maxRequests} requests)`,
            `Thresholds: ${limits.join(', ') || 'none'}`
        ]);
    }
    if (plan.watch) {
        const watch = plan.watch;
        summary
            .heading('Watch window', 3)
            .list([
            watch.windowMs === 0
                ? 'One evaluation of the queries'
                : `${(0,duration/* formatDuration */.a)(watch.windowMs)}, every ${(0,duration/* formatDuration */.a)(watch.intervalMs)}; fails after ${watch.failureLimit} breaching round(s)`,
            ...watch.queries.map(q => `${q.name}: \`${q.query}\` ${q.max !== undefined ? `≤ ${q.max}` : ''}${q.min !== undefined ? ` ≥ ${q.min}` : ''} — ${(0,src_prometheus/* prometheusQueryUrl */.UN)(q).split('?')[0]}`),
            ...(watch.alerts
                ? [
                    `Alertmanager ${(0,src_http/* displayUrl */.Qy)(watch.alerts.url)}: fails on a new alert matching \`${watch.alerts.matchers.map(src_matchers/* formatMatcher */.cT).join(', ')}\`${watch.alerts.silenceMatchers ? `; silences \`${watch.alerts.silenceMatchers.map(src_matchers/* formatMatcher */.cT).join(', ')}\` meanwhile` : ''}`
                ]
                : [])
        ]);
    }
}
function describeExpectations(check) {
    const spec = check.spec;
    const parts = [`status ${(0,http_assertions/* formatStatusList */.Wc)((0,http_assertions/* parseStatusList */.AQ)(spec.expectStatus ?? '200-399'))}`];
    if (spec.bodyContains !== undefined)
        parts.push(`body contains ${JSON.stringify(spec.bodyContains)}`);
    if (spec.bodyRegex !== undefined)
        parts.push(`body ~ /${spec.bodyRegex}/`);
    for (const json of spec.json ?? [])
        parts.push(json.exists === false
            ? `${json.path} absent`
            : `${json.path} = ${JSON.stringify(json.equals)}`);
    for (const header of spec.expectHeaders ?? [])
        parts.push(`${header.name}${header.matches ? ` ~ /${header.matches}/` : ' present'}`);
    if (spec.maxLatencyMs !== undefined)
        parts.push(`≤ ${spec.maxLatencyMs}ms`);
    return parts.join('; ');
}

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

;// CONCATENATED MODULE: ./packages/monitoring/src/alertmanager.ts


/** Why Alertmanager could not be asked: the user's to fix (address, network, the server's state). */
class MonitoringUnavailable extends errors/* UserError */.yo {
    constructor(message) {
        super(message, 'check alertmanager-url (the base URL, to which /api/v2 is added) and that the runner can reach it; on-monitoring-unavailable: warn lets the step go on without it');
        this.name = 'MonitoringUnavailable';
    }
}
/** Alertmanager's v2 API: the alerts, silences created and expired. */
class AlertmanagerClient {
    timeoutMs;
    base;
    headers = {
        accept: 'application/json',
        'content-type': 'application/json'
    };
    constructor(url, timeoutMs = 10_000) {
        this.timeoutMs = timeoutMs;
        const parsed = new URL(url);
        // Credentials in the URL go as Basic auth: fetch refuses a URL that carries them.
        if (parsed.username || parsed.password) {
            this.headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`;
            parsed.username = '';
            parsed.password = '';
        }
        parsed.pathname = parsed.pathname.replace(/\/+$/, '');
        this.base = parsed;
    }
    /** The active alerts matching every matcher, silenced and inhibited ones left out. */
    async alerts(matchers, signal) {
        const query = new URLSearchParams({ active: 'true', silenced: 'false', inhibited: 'false' });
        for (const matcher of matchers)
            query.append('filter', (0,src_matchers/* formatMatcher */.cT)(matcher));
        return (await this.call('GET', `/api/v2/alerts?${query}`, undefined, signal));
    }
    /** Creates a silence and returns its id. */
    async createSilence(silence) {
        const body = {
            matchers: silence.matchers.map(m => ({
                name: m.name,
                value: m.value,
                isRegex: m.operator.endsWith('~'),
                isEqual: !m.operator.startsWith('!')
            })),
            startsAt: new Date().toISOString(),
            endsAt: silence.endsAt.toISOString(),
            createdBy: silence.createdBy,
            comment: silence.comment
        };
        const answer = (await this.call('POST', '/api/v2/silences', body));
        if (!answer?.silenceID)
            throw new MonitoringUnavailable('Alertmanager created no silence id');
        return answer.silenceID;
    }
    /** Expires a silence (Alertmanager keeps it, expired, for its retention). */
    async expireSilence(id) {
        await this.call('DELETE', `/api/v2/silence/${encodeURIComponent(id)}`);
    }
    async call(method, path, body, signal) {
        const url = new URL(this.base.toString());
        const [pathname, search] = path.split('?');
        // A base at the root has pathname '/': joined as is, it would be '//api/…' (a redirect that
        // turns a POST into a GET).
        url.pathname = `${url.pathname.replace(/\/+$/, '')}${pathname}`;
        url.search = search ?? '';
        let response;
        try {
            // undici loads with the first request: an input error or a dry run never parses it.
            const { fetch } = await __webpack_require__.e(/* import() */ 752).then(__webpack_require__.t.bind(__webpack_require__, 46752, 19));
            response = await fetch(url, {
                method,
                headers: this.headers,
                body: body === undefined ? undefined : JSON.stringify(body),
                signal: signal ?? AbortSignal.timeout(this.timeoutMs),
                redirect: 'manual'
            });
        }
        catch (error) {
            const cause = error.cause;
            throw new MonitoringUnavailable(`Alertmanager at ${displayBase(this.base)} did not answer: ${cause?.code ?? cause?.message ?? error.message}`);
        }
        const text = await response.text();
        if (!response.ok)
            throw new MonitoringUnavailable(`Alertmanager at ${displayBase(this.base)} answered ${method} ${pathname} with ${response.status}: ${text.slice(0, 200)}`);
        if (text.trim() === '')
            return undefined;
        try {
            return JSON.parse(text);
        }
        catch {
            throw new MonitoringUnavailable(`Alertmanager at ${displayBase(this.base)} answered ${pathname} with a body that is not JSON: ${text.slice(0, 200)}`);
        }
    }
}
function displayBase(url) {
    return `${url.protocol}//${url.host}${url.pathname}`;
}

;// CONCATENATED MODULE: ./packages/monitoring/src/silence.ts


/**
 * A silence that outlives the runner by at most this long: a job killed outright (SIGKILL, a
 * lost machine) cannot expire it, and six hours is GitHub's limit for a job.
 */
const SILENCE_BOUND_MS = 6 * 60 * 60 * 1000;
/**
 * Creates the silence for the stage's window (the expected noise, such as the replaced slot's
 * InstanceDown), with the run's link as its comment. The caller closes it in a `finally`; a
 * cancelled action (SIGINT/SIGTERM) closes it through the kit's cleanups. Undefined when no
 * silence is asked for, or when Alertmanager is unreachable and the user chose to warn.
 */
async function openSilence(settings, what, progress) {
    if (!settings.silenceMatchers)
        return undefined;
    const client = new AlertmanagerClient(settings.url);
    let id;
    try {
        id = await client.createSilence({
            matchers: settings.silenceMatchers,
            endsAt: new Date(Date.now() + SILENCE_BOUND_MS),
            createdBy: 'slipway',
            comment: `${what}${settings.runUrl ? `: ${settings.runUrl}` : ''}`
        });
    }
    catch (error) {
        if (error instanceof MonitoringUnavailable && settings.onUnavailable === 'warn') {
            progress.warning(`no silence created: ${error.message} (on-monitoring-unavailable: warn)`);
            return undefined;
        }
        throw error;
    }
    progress.info(`Alertmanager silence ${id} created for ${what}`);
    let closing;
    const close = () => {
        closing ??= (async () => {
            forget();
            try {
                await client.expireSilence(id);
                progress.info(`Alertmanager silence ${id} expired`);
            }
            catch (error) {
                // The silence ends by itself at its bound; the step's verdict is not the silence's.
                progress.warning(`silence ${id} not expired: ${error.message}`);
            }
        })();
        return closing;
    };
    const forget = onCleanup(close);
    return { id, close };
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

;// CONCATENATED MODULE: ./packages/smoke/src/ready.ts


/**
 * Runs every check until it passes or its deadline passes, in parallel.
 *
 * The retry loop lives here rather than in the shared runner's `retries`: a smoke test
 * waits for a slow-starting deployment, so the backoff is capped (default 5 s, not 30 s)
 * and one last attempt is made at the deadline. With the runner's policy a server that
 * becomes ready after 32 s of a 60 s budget would be found only at 63 s, i.e. never.
 * The shared runner still provides the parallelism and the hard per-check bound.
 */
async function runUntilReady(checks, options) {
    const started = Date.now();
    const wrapped = checks.map(check => {
        const deadline = check.timeoutMs === undefined
            ? options.deadline
            : Math.min(options.deadline, started + check.timeoutMs);
        return {
            name: check.name,
            type: 'http',
            severity: 'error',
            // The whole loop's bound: the deadline plus one request's timeout plus a margin.
            timeoutMs: Math.max(0, deadline - Date.now()) + check.requestTimeoutMs + 2000,
            retries: 0,
            retryDelayMs: 0,
            run: context => attemptUntilReady(check, deadline, options, context.signal)
        };
    });
    const results = await runChecks(wrapped, { concurrency: options.concurrency });
    return results.map((result, index) => {
        const check = checks[index];
        const details = result.details ?? {};
        const smoke = {
            name: check.name,
            url: String(details.url ?? (0,src_http/* displayUrl */.Qy)(check.spec.url)),
            method: (check.spec.method ?? 'GET').toUpperCase(),
            passed: result.status === 'passed',
            message: result.message,
            httpStatus: typeof details.status === 'number' ? details.status : undefined,
            latencyMs: typeof details.latencyMs === 'number' ? details.latencyMs : undefined,
            attempts: typeof details.attempts === 'number' ? details.attempts : result.attempts,
            durationMs: result.durationMs,
            failures: Array.isArray(details.failures) ? details.failures : undefined,
            bodyExcerpt: typeof details.bodyExcerpt === 'string' ? details.bodyExcerpt : undefined
        };
        options.onResult?.(smoke);
        return smoke;
    });
}
async function attemptUntilReady(check, deadline, options, outer) {
    let delay = options.retryDelayMs;
    let attempts = 0;
    let outcome;
    const budget = Math.max(0, deadline - Date.now());
    const beat = retryBeat(options, elapsed => {
        const last = outcome ? outcome.message : 'none yet';
        return `${check.name}: not ready — attempt ${attempts}, ${(0,duration/* formatDuration */.a)(elapsed)} of ${(0,duration/* formatDuration */.a)(budget)}; last answer: ${last}`;
    });
    for (;;) {
        attempts++;
        outcome = await attemptOnce(check, deadline, outer);
        if (outcome.ok || outer.aborted)
            break;
        if (check.maxAttempts !== undefined && attempts >= check.maxAttempts)
            break;
        const remaining = deadline - Date.now();
        if (remaining <= 0)
            break;
        beat.tick();
        // Sleep at most until the deadline, so the last attempt happens right at it.
        await beat.sleep(Math.min(delay, remaining));
        delay = Math.min(delay * 2, options.maxRetryDelayMs);
    }
    const suffix = outcome.ok || attempts === 1 ? '' : ` (after ${attempts} attempts)`;
    return {
        ...outcome,
        message: `${outcome.message}${suffix}`,
        details: { ...outcome.details, attempts }
    };
}
/** The retry loop's heartbeat on the wall clock; silent when nobody reads the log. */
function retryBeat(options, describe) {
    if (!options.progress)
        return { tick: () => undefined, sleep: sleep };
    return heartbeat({ info: options.progress.info }, { now: () => Date.now(), sleep: sleep }, options.progress.everyMs, describe);
}
/** One request bounded by the request timeout, never much beyond the deadline. */
async function attemptOnce(check, deadline, outer) {
    const timeoutMs = Math.min(check.requestTimeoutMs, Math.max(deadline - Date.now(), 1000));
    const controller = new AbortController();
    const onAbort = () => controller.abort(outer.reason);
    outer.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => controller.abort(new Error(`timed out after ${timeoutMs}ms`)), timeoutMs);
    try {
        return await (0,src_http/* httpProbe */.HB)(check.spec, { signal: controller.signal, timeoutMs });
    }
    catch {
        return {
            ok: false,
            message: `${(check.spec.method ?? 'GET').toUpperCase()} ${(0,src_http/* displayUrl */.Qy)(check.spec.url)}: no answer within ${timeoutMs}ms`,
            details: { url: (0,src_http/* displayUrl */.Qy)(check.spec.url), timedOut: true }
        };
    }
    finally {
        clearTimeout(timer);
        outer.removeEventListener('abort', onAbort);
    }
}

;// CONCATENATED MODULE: ./packages/monitoring/src/alerts.ts

/**
 * Judges the alerts Alertmanager lists: one that started firing at or after `since` is the new
 * version's doing and fails the analysis; one older than the stage is reported (or counted, if
 * the user asks), since failing a deploy for an outage it did not cause would block the fix.
 */
function judgeAlerts(alerts, since, firingBefore) {
    const counted = [];
    const before = [];
    for (const alert of alerts) {
        const started = Date.parse(alert.startsAt);
        const isNew = !Number.isFinite(started) || started >= since.getTime();
        const entry = describe(alert);
        if (isNew || firingBefore === 'count')
            counted.push(entry);
        else
            before.push(entry);
    }
    const ok = counted.length === 0;
    const names = (list) => [...new Set(list.map(a => a.name))].join(', ');
    const message = ok
        ? `no new alert${before.length > 0 ? ` (already firing before the deploy: ${names(before)})` : ''}`
        : `alert firing: ${names(counted)}${counted[0].summary ? ` (${counted[0].summary})` : ''}`;
    return { ok, counted, before, message };
}
/**
 * Asks Alertmanager once and judges the answer. Unreachable fails closed, unless the user chose
 * on-monitoring-unavailable: warn (then it passes, saying so, and warns through `progress`).
 */
async function checkAlerts(settings, since, options = {}) {
    const client = new AlertmanagerClient(settings.url);
    try {
        const alerts = await client.alerts(settings.matchers, options.signal);
        return judgeAlerts(alerts, since, settings.firingBefore);
    }
    catch (error) {
        if (!(error instanceof MonitoringUnavailable))
            throw error;
        const ok = settings.onUnavailable === 'warn';
        if (ok)
            options.progress?.warning(`${error.message} (on-monitoring-unavailable: warn)`);
        return {
            ok,
            counted: [],
            before: [],
            unavailable: error.message,
            message: ok ? `not checked: ${error.message}` : error.message
        };
    }
}
function describe(alert) {
    return {
        name: alert.labels.alertname ?? alert.fingerprint,
        startsAt: alert.startsAt,
        labels: alert.labels,
        summary: alert.annotations?.summary ?? alert.annotations?.description
    };
}

;// CONCATENATED MODULE: ./packages/smoke/src/watch.ts


async function watchWindow(spec) {
    const opened = Date.now();
    const closes = opened + spec.windowMs;
    // Rounds at 0, interval, 2×interval … up to the end of the window: a bounded loop.
    const maxRounds = Math.floor(spec.windowMs / spec.intervalMs) + 1;
    const breachRounds = [];
    const lastValues = {};
    const alertsBefore = new Set();
    const since = spec.since ?? new Date(opened);
    let breaches = 0;
    let rounds = 0;
    let stoppedEarly = false;
    for (let index = 0; index < maxRounds; index++) {
        const due = opened + index * spec.intervalMs;
        if (due > closes)
            break;
        const wait = due - Date.now();
        if (wait > 0)
            await sleep(wait);
        const results = await runChecks(roundChecks(spec, since, alertsBefore), {
            concurrency: spec.concurrency
        });
        rounds++;
        for (const [i, query] of spec.queries.entries()) {
            const value = results[spec.checks.length + i]?.details?.value;
            lastValues[query.name] = typeof value === 'number' ? value : undefined;
        }
        const failures = results.filter(r => r.status === 'failed').map(toFailure);
        const round = {
            index,
            offsetMs: Date.now() - opened,
            at: new Date().toISOString(),
            failures
        };
        spec.onRound?.(round);
        if (failures.length > 0) {
            breaches++;
            if (breachRounds.length < 50)
                breachRounds.push(round);
            if (breaches >= spec.failureLimit) {
                stoppedEarly = index < maxRounds - 1;
                break;
            }
        }
    }
    const passed = breaches < spec.failureLimit;
    const first = breachRounds[0]?.failures[0];
    const message = passed
        ? `${rounds} rounds, ${breaches === 0 ? 'no breach' : `${breaches} breaching round(s), under the limit of ${spec.failureLimit}`}`
        : `breach in round ${breachRounds[breachRounds.length - 1].index + 1} after ${formatSeconds(breachRounds[breachRounds.length - 1].offsetMs)}: ${first ? `${first.name}: ${first.message}` : ''}`;
    return {
        passed,
        rounds,
        breaches,
        stoppedEarly,
        breachRounds,
        alertsBefore: [...alertsBefore],
        lastValues,
        durationMs: Date.now() - opened,
        message,
        settings: {
            windowMs: spec.windowMs,
            intervalMs: spec.intervalMs,
            failureLimit: spec.failureLimit,
            queries: spec.queries.map(q => q.name),
            graphs: Object.fromEntries(spec.queries.map(q => [q.name, graphUrl(q)]))
        }
    };
}
/** One attempt of every HTTP check and every query: a round is a snapshot, not a wait. */
function roundChecks(spec, since, alertsBefore) {
    const http = spec.checks.map(check => ({
        name: check.name,
        type: 'http',
        severity: 'error',
        timeoutMs: check.requestTimeoutMs,
        retries: 0,
        retryDelayMs: 0,
        run: context => (0,src_http/* httpProbe */.HB)(check.spec, context)
    }));
    const prometheus = spec.queries.map(query => ({
        name: query.name,
        type: 'prometheus',
        severity: 'error',
        timeoutMs: spec.requestTimeoutMs,
        retries: 0,
        retryDelayMs: 0,
        run: context => (0,src_prometheus/* prometheusProbe */.t_)(query, context)
    }));
    const alerts = spec.alerts
        ? [
            {
                name: 'alertmanager',
                type: 'alertmanager',
                severity: 'error',
                timeoutMs: spec.requestTimeoutMs,
                retries: 0,
                retryDelayMs: 0,
                run: async (context) => {
                    const verdict = await checkAlerts(spec.alerts, since, { signal: context.signal });
                    for (const alert of verdict.before)
                        alertsBefore.add(alert.name);
                    return {
                        ok: verdict.ok,
                        message: verdict.message,
                        details: { alerts: verdict.counted.map(a => a.name) }
                    };
                }
            }
        ]
        : [];
    // Alerts last: the queries' values are read by position after the HTTP checks.
    return [...http, ...prometheus, ...alerts];
}
function toFailure(result) {
    return {
        name: result.name,
        kind: result.type === 'prometheus'
            ? 'prometheus'
            : result.type === 'alertmanager'
                ? 'alert'
                : 'http',
        message: result.message
    };
}
/** The Prometheus expression browser for a query, without any credentials of the server URL. */
function graphUrl(query) {
    const url = new URL(query.url);
    url.username = '';
    url.password = '';
    const base = url.toString().replace(/\/+$/, '');
    return `${base}/graph?${new URLSearchParams({ 'g0.expr': query.query, 'g0.tab': '0', 'g0.range_input': '1h' })}`;
}
function formatSeconds(ms) {
    return `${(ms / 1000).toFixed(1)}s`;
}

;// CONCATENATED MODULE: ./packages/smoke/src/smoke.ts





/**
 * Runs the plan: the checks (parallel, each retried until ready within the timeout), then
 * the load check, then the watch window. A later stage runs only when the earlier ones
 * passed: putting load on a deployment that fails its health check tells nothing new.
 * Never throws for a failed check; the report says what failed.
 */
async function runSmoke(plan, hooks = {}) {
    const info = hooks.info ?? (() => undefined);
    const started = Date.now();
    // The expected noise (a replaced slot's InstanceDown …) is silenced while the stage runs, and
    // the silence expires however the stage ends: passed, failed, thrown or cancelled.
    const alerts = plan.watch?.alerts;
    const silence = alerts
        ? await openSilence(alerts, 'smoke test and watch window', {
            info,
            warning: message => info(`warning: ${message}`)
        })
        : undefined;
    try {
        return await runStages(plan, info, started, hooks.progressEveryMs);
    }
    finally {
        await silence?.close();
    }
}
async function runStages(plan, info, started, progressEveryMs) {
    const startedAt = new Date(started).toISOString();
    const report = {
        passed: false,
        dryRun: false,
        startedAt,
        durationMs: 0,
        message: '',
        checks: [],
        skipped: [],
        failed: []
    };
    if (plan.checks.length > 0) {
        info(`Checking ${plan.checks.length} endpoint(s), retrying until ready for up to ${Math.round(plan.timeoutMs / 1000)}s`);
        report.checks = await runUntilReady(plan.checks, {
            deadline: started + plan.timeoutMs,
            retryDelayMs: plan.retryIntervalMs,
            maxRetryDelayMs: plan.maxRetryIntervalMs,
            concurrency: plan.concurrency,
            progress: { info, everyMs: progressEveryMs },
            onResult: result => info(`${result.passed ? '✓' : '✗'} ${describeCheck(result)}`)
        });
    }
    const failedChecks = report.checks.filter(c => !c.passed);
    report.failed.push(...failedChecks.map(c => c.name));
    if (plan.load) {
        if (failedChecks.length > 0)
            report.skipped.push('load');
        else {
            info(`Load check: ${plan.load.url} for ${Math.round(plan.load.durationMs / 1000)}s with ${plan.load.connections} connections`);
            report.load = await (0,src_load/* runLoad */.eR)(plan.load);
            info(`${report.load.passed ? '✓' : '✗'} load: ${report.load.message}`);
            if (!report.load.passed)
                report.failed.push('load');
        }
    }
    if (plan.watch) {
        if (report.failed.length > 0)
            report.skipped.push('watch');
        else {
            const watch = plan.watch;
            info(watch.windowMs === 0
                ? 'Evaluating the queries'
                : `Watching for ${Math.round(watch.windowMs / 1000)}s, every ${Math.round(watch.intervalMs / 1000)}s`);
            report.watch = await watchWindow({
                ...watch,
                since: new Date(started),
                onRound: (round) => logRound(round, info)
            });
            if (!report.watch.passed)
                report.failed.push('watch');
        }
    }
    report.passed = report.failed.length === 0;
    report.durationMs = Date.now() - started;
    report.message = explain(report, failedChecks);
    return report;
}
function logRound(round, info) {
    const at = `+${(round.offsetMs / 1000).toFixed(1)}s`;
    if (round.failures.length === 0)
        info(`watch round ${round.index + 1} (${at}): ok`);
    else
        for (const failure of round.failures)
            info(`✗ watch round ${round.index + 1} (${at}): ${failure.name}: ${failure.message}`);
}
/** One line for the step's failure message and the report. */
function explain(report, failedChecks) {
    if (failedChecks.length > 0) {
        const first = failedChecks[0];
        const more = failedChecks.length > 1 ? ` (and ${failedChecks.length - 1} more failed check(s))` : '';
        return `${describeCheck(first)}${more}`;
    }
    if (report.load && !report.load.passed) {
        const failed = report.load.verdicts.filter(v => !v.ok);
        return `load check: ${failed.length > 0 ? failed.map(src_load/* describeVerdict */.XZ).join('; ') : report.load.message}`;
    }
    if (report.watch && !report.watch.passed)
        return `watch window: ${report.watch.message}`;
    const parts = [`${report.checks.length} check(s) passed`];
    if (report.load)
        parts.push(`load ${report.load.message}`);
    if (report.watch)
        parts.push(`watch ${report.watch.message}`);
    return parts.join('; ');
}

;// CONCATENATED MODULE: ./packages/smoke/src/run-smoke-test.ts





/**
 * Runs the smoke test (or, in a dry run, only plans it) and writes its JUnit report. Never
 * throws for a failed check: `report.passed` says whether the deployment passed.
 */
async function runSmokeTest(settings, ports) {
    if (settings.dryRun)
        return { dryRun: true, plan: settings };
    const report = await runSmoke(settings, { info: message => ports.progress.info(message) });
    // The JUnit file leaves the job as an artifact: the same secrets as the log stay out of it.
    const redactor = new redact/* Redactor */.pO();
    for (const secret of settings.secrets)
        redactor.add(secret);
    const junitPath = writeJUnit(settings.junitPath, report, redactor);
    return { dryRun: false, report, junitPath };
}
/** The action's outputs. */
function smokeOutputs(result) {
    if (result.dryRun)
        return {
            passed: true,
            failed: 0,
            'failed-checks': '',
            report: {
                dryRun: true,
                checks: result.plan.checks.map(c => ({ name: c.name, url: (0,src_http/* displayUrl */.Qy)(c.spec.url) }))
            }
        };
    const { report } = result;
    return {
        passed: report.passed,
        failed: report.failed.length,
        'failed-checks': report.failed.join(','),
        report,
        'junit-path': result.junitPath
    };
}
/** The job summary: the plan of a dry run, else the verdict, checks, load figures and watch window. */
function renderSmokeSummary(result, summary) {
    if (result.dryRun)
        renderPlan(result.plan, summary);
    else
        renderSummary(result.report, summary);
}
/** A smoke test that did not pass, as the user's error with where to look; nothing otherwise. */
function smokeFailure(result) {
    return result.dryRun || result.report.passed
        ? undefined
        : new errors/* UserError */.yo(result.report.message, 'the summary and the JUnit report show what each failed check received');
}

;// CONCATENATED MODULE: ./actions/smoke-test/src/run.ts


async function run({ setOutput, summary, redactor, info, warning, group }, settings) {
    const result = await runSmokeTest(settings, { progress: { info, warning, group } });
    reportStage({ setOutput, summary, redactor }, result, {
        outputs: smokeOutputs,
        render: renderSmokeSummary,
        failure: smokeFailure
    });
}


/***/ })

};
