export const id = 980;
export const ids = [980];
export const modules = {

/***/ 980:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
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

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./packages/kit/src/ports.ts
var src_ports = __webpack_require__(3508);
// EXTERNAL MODULE: ./packages/kit/src/errors.ts
var errors = __webpack_require__(7817);
// EXTERNAL MODULE: ./packages/kit/src/duration.ts
var duration = __webpack_require__(5438);
;// CONCATENATED MODULE: ./packages/report/src/metrics.ts
const DEFAULT_TARGETS = {
    successRate: 99,
    rollbackSuccessRate: 100,
    deployTimeMs: 30 * 60_000,
    mttrMs: 60 * 60_000
};
const TERMINAL = new Set(['success', 'failure', 'error']);
const ROLLED_BACK = /\brolled back\b/i;
const DAY = 86_400_000;
const ms = (text) => Date.parse(text);
/** What one deployment's status history says, by the definitions documented in docs/cli.md. */
function factsOf(deployment, rolledBackBy) {
    const statuses = [...deployment.statuses].sort((a, b) => ms(a.createdAt) - ms(b.createdAt) || a.id - b.id);
    const createdAtMs = ms(deployment.createdAt);
    const firstProgress = statuses.find(s => s.state === 'in_progress');
    const startedAtMs = firstProgress ? ms(firstProgress.createdAt) : createdAtMs;
    const terminal = statuses.find(s => TERMINAL.has(s.state) && ms(s.createdAt) >= startedAtMs);
    const outcome = !terminal
        ? 'pending'
        : terminal.state === 'success'
            ? 'success'
            : 'failure';
    const finishedAtMs = terminal ? ms(terminal.createdAt) : undefined;
    const rollback = typeof deployment.payload.rollback_of === 'number';
    let changeFailed = false;
    let failedAtMs;
    if (outcome === 'success' && !rollback) {
        const laterFailure = statuses.find(s => (s.state === 'failure' || s.state === 'error') &&
            ms(s.createdAt) >= finishedAtMs &&
            s.id !== terminal.id);
        const marked = deployment.payload.rolled_back === true ||
            statuses.some(s => ROLLED_BACK.test(s.description) && s.state !== 'success');
        if (rolledBackBy || laterFailure || marked) {
            changeFailed = true;
            const candidates = [
                rolledBackBy ? ms(rolledBackBy.createdAt) : undefined,
                laterFailure ? ms(laterFailure.createdAt) : undefined
            ].filter((t) => t !== undefined);
            failedAtMs = candidates.length > 0 ? Math.min(...candidates) : finishedAtMs;
        }
    }
    if (outcome === 'failure')
        failedAtMs = finishedAtMs;
    return {
        id: deployment.id,
        version: typeof deployment.payload.version === 'string' && deployment.payload.version
            ? deployment.payload.version
            : deployment.ref,
        rollback,
        createdAtMs,
        startedAtMs,
        outcome,
        finishedAtMs,
        durationMs: finishedAtMs === undefined ? undefined : finishedAtMs - startedAtMs,
        changeFailed,
        failedAtMs
    };
}
/** p-th percentile by the nearest-rank method (p90 of 10 values is the 9th smallest). */
function percentile(values, p) {
    if (values.length === 0)
        return undefined;
    const sorted = [...values].sort((a, b) => a - b);
    const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
    return sorted[rank - 1];
}
function mean(values) {
    return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;
}
function judge(value, target) {
    if (value === undefined || !target)
        return 'n/a';
    return (target.comparison === '>=' ? value >= target.value : value <= target.value)
        ? 'pass'
        : 'fail';
}
function figure(name, value, unit, basis, target) {
    return { name, value, unit, target, verdict: judge(value, target), basis };
}
/**
 * The procedure's quality figures over a window of an environment's Deployment history.
 * Rollback deployments (payload.rollback_of) are counted apart from deployments.
 */
function computeQuality(history, options) {
    const targets = { ...DEFAULT_TARGETS, ...options.targets };
    const byId = new Map(history.map(d => [d.id, d]));
    const rollbackOf = new Map();
    for (const d of history) {
        const of = d.payload.rollback_of;
        if (typeof of === 'number' && byId.has(of)) {
            const earlier = rollbackOf.get(of);
            if (!earlier || ms(d.createdAt) < ms(earlier.createdAt))
                rollbackOf.set(of, d);
        }
    }
    const facts = history
        .map(d => factsOf(d, rollbackOf.get(d.id)))
        .sort((a, b) => a.createdAtMs - b.createdAtMs || a.id - b.id);
    const deploys = facts.filter(f => !f.rollback);
    const rollbacks = facts.filter(f => f.rollback);
    const completed = deploys.filter(f => f.outcome !== 'pending');
    const succeeded = completed.filter(f => f.outcome === 'success');
    const rollbacksDone = rollbacks.filter(f => f.outcome !== 'pending');
    const rollbacksOk = rollbacksDone.filter(f => f.outcome === 'success');
    const durations = completed.map(f => f.durationMs);
    const changeFailures = completed.filter(f => f.outcome === 'failure' || f.changeFailed);
    // MTTR: an incident opens at the first failure while none is open and closes at the next
    // success status of any deployment (a redeploy or a rollback) in the environment.
    const failures = facts
        .filter(f => f.failedAtMs !== undefined)
        .map(f => ({ at: f.failedAtMs, id: f.id }))
        .sort((a, b) => a.at - b.at);
    const successes = facts
        .filter(f => f.outcome === 'success')
        .map(f => ({ at: f.finishedAtMs, id: f.id }))
        .sort((a, b) => a.at - b.at || a.id - b.id);
    // GitHub's timestamps have whole seconds: a fast route-back succeeds in the second its
    // rollback started. A success in the failure's second restores it when it belongs to a later
    // deployment (ids grow with creation), never the failed deployment's own or an earlier one's.
    const restores = (success, failure) => success.at > failure.at || (success.at === failure.at && success.id > failure.id);
    const incidents = [];
    for (const failure of failures) {
        const open = incidents[incidents.length - 1];
        if (open && (open.restoredMs === undefined || failure.at < open.restoredMs)) {
            open.deployments.push(failure.id);
            continue;
        }
        const restoredMs = successes.find(success => restores(success, failure))?.at;
        incidents.push({ startMs: failure.at, restoredMs, deployments: [failure.id] });
    }
    const restored = incidents.filter(i => i.restoredMs !== undefined);
    const mttr = mean(restored.map(i => i.restoredMs - i.startMs));
    const firstMs = facts[0]?.createdAtMs;
    const sinceMs = options.sinceMs ?? firstMs ?? options.untilMs;
    const days = Math.max((options.untilMs - sinceMs) / DAY, 1 / 24);
    const pct = (part, whole) => whole === 0 ? undefined : (part / whole) * 100;
    return {
        window: { sinceMs: options.sinceMs, untilMs: options.untilMs, days },
        deployments: deploys.length,
        rollbacks: rollbacks.length,
        figures: {
            successRate: figure('Deployment success rate', pct(succeeded.length, completed.length), '%', `${succeeded.length} of ${completed.length} completed deployments`, { comparison: '>=', value: targets.successRate }),
            rollbackSuccessRate: figure('Rollback success rate', pct(rollbacksOk.length, rollbacksDone.length), '%', `${rollbacksOk.length} of ${rollbacksDone.length} completed rollbacks`, { comparison: '>=', value: targets.rollbackSuccessRate }),
            meanDeployTime: figure('Mean deploy time', mean(durations), 'ms', `first in_progress → success/failure, ${durations.length} deployments`, { comparison: '<=', value: targets.deployTimeMs }),
            p90DeployTime: figure('p90 deploy time', percentile(durations, 90), 'ms', `nearest rank, ${durations.length} deployments`, { comparison: '<=', value: targets.deployTimeMs }),
            mttr: figure('MTTR', mttr, 'ms', `failure → next success, ${restored.length} incidents restored` +
                (incidents.length > restored.length
                    ? `, ${incidents.length - restored.length} open`
                    : ''), { comparison: '<=', value: targets.mttrMs }),
            changeFailureRate: figure('Change-failure rate', pct(changeFailures.length, completed.length), '%', `${changeFailures.length} of ${completed.length} failed or were rolled back`),
            frequencyPerDay: figure('Deployment frequency', deploys.length / days, 'per day', `${deploys.length} deployments in ${round(days, 2)} days`),
            frequencyPerWeek: figure('Deployment frequency', (deploys.length / days) * 7, 'per week', `${deploys.length} deployments in ${round(days / 7, 2)} weeks`)
        },
        openIncidents: incidents.length - restored.length,
        incidents,
        facts
    };
}
function round(value, digits) {
    const f = 10 ** digits;
    return Math.round(value * f) / f;
}

// EXTERNAL MODULE: ./packages/report/src/run.ts
var src_run = __webpack_require__(8857);
;// CONCATENATED MODULE: ./packages/report/src/report.ts



/** Builds the deployment report: this run's stages and timeline, plus the environment's quality figures. */
async function buildReport(options) {
    const clock = options.clock ?? src_ports/* systemClock */.m;
    const nowMs = options.nowMs ?? clock.now();
    const { run } = options;
    const totals = run.stages.map(s => s.durationMs).filter((d) => d !== undefined);
    const gantt = (0,src_run/* ganttOf */.I$)(run.stages, run.timeline, {
        title: `${options.environment} ${run.version ?? ''}`
    });
    const report = {
        generatedAt: new Date(nowMs).toISOString(),
        environment: options.environment,
        repository: options.history ? options.repository : undefined,
        run: {
            ...run,
            totalMs: totals.length > 0 ? totals.reduce((a, b) => a + b, 0) : undefined,
            gantt
        },
        targetsMet: true,
        missedTargets: []
    };
    let quality;
    if (options.history) {
        const sinceMs = options.windowMs === undefined ? undefined : nowMs - options.windowMs;
        const started = clock.now();
        const history = await options.history.read({
            environment: options.environment,
            sinceMs,
            untilMs: nowMs,
            maxDeployments: options.maxDeployments
        });
        const { calls } = history;
        const how = calls
            ? ` with ${calls.total} ${calls.api === 'graphql' ? 'GraphQL' : 'REST'} API calls`
            : '';
        options.log?.(`Read ${history.deployments.length} deployments of ${options.environment}${how} in ${(0,duration/* formatDuration */.a)(clock.now() - started)}`);
        quality = computeQuality(history.deployments, {
            sinceMs,
            untilMs: nowMs,
            targets: options.targets
        });
        report.quality = {
            window: {
                since: sinceMs === undefined ? undefined : new Date(sinceMs).toISOString(),
                until: new Date(nowMs).toISOString(),
                days: round(quality.window.days, 3)
            },
            deployments: quality.deployments,
            rollbacks: quality.rollbacks,
            openIncidents: quality.openIncidents,
            figures: quality.figures,
            apiCalls: history.calls,
            scanned: history.scanned,
            truncated: history.truncated
        };
        report.missedTargets = Object.values(quality.figures)
            .filter(f => f.verdict === 'fail')
            .map(f => f.name);
        report.targetsMet = report.missedTargets.length === 0;
    }
    return { report, quality };
}
function formatFigure(figure) {
    if (figure.value === undefined)
        return '—';
    switch (figure.unit) {
        case '%':
            return `${round(figure.value, 2)}%`;
        case 'ms':
            return (0,duration/* formatDuration */.a)(figure.value);
        case 'count':
            return String(figure.value);
        default:
            return `${round(figure.value, 2)} ${figure.unit}`;
    }
}
function formatTarget(figure) {
    if (!figure.target)
        return '—';
    const value = figure.unit === 'ms' ? (0,duration/* formatDuration */.a)(figure.target.value) : `${figure.target.value}%`;
    return `${figure.target.comparison === '>=' ? '≥' : '≤'} ${value}`;
}
const VERDICT = { pass: '✅ pass', fail: '❌ fail', 'n/a': '— no data' };
/**
 * A run that did not deliver its version: failed, errored, rolled back, cancelled. A manual
 * rollback that worked reports `rollback succeeded`, which is not one of them.
 */
const FAILED_RUN = /fail|error|rolled[- ]back|cancel|abort/i;
/**
 * The report's first line. It follows the run's status before the quality targets: a
 * rolled-back or failed run is never headed by "all targets met", whatever the figures say.
 */
function verdictOf(report) {
    const status = report.run.status;
    const missed = report.missedTargets.length > 0 ? report.missedTargets.join(', ') : undefined;
    if (status && FAILED_RUN.test(status))
        return `❌ **${status}**${missed ? ` · missed targets: ${missed}` : ''}`;
    if (missed)
        return `⚠️ **${status ?? 'report'}** · missed targets: ${missed}`;
    if (!report.quality)
        return status ? `**${status}**` : undefined;
    return `✅ **${status ?? 'report'}** · all targets met`;
}
/** The job summary: a heading, the run (versions, stages, timeline, links), then the quality figures. */
function renderReport(summary, report) {
    const { run } = report;
    summary.heading(`Deployment report: ${report.environment}`);
    const verdict = verdictOf(report);
    if (verdict)
        summary.paragraph(verdict);
    const facts = [
        run.version && `**Version** \`${run.version}\``,
        run.previousVersion && `previous \`${run.previousVersion}\``,
        run.strategy && `strategy ${run.strategy}`,
        run.totalMs !== undefined && `total ${(0,duration/* formatDuration */.a)(run.totalMs)}`
    ].filter(Boolean);
    if (facts.length > 0)
        summary.paragraph(facts.join(' · '));
    summary.table(['Stage', 'Status', 'Duration', 'Detail'], run.stages.map(s => [
        s.name,
        s.status,
        s.durationMs === undefined ? '' : (0,duration/* formatDuration */.a)(s.durationMs),
        s.detail
    ]));
    if (run.gantt)
        summary.mermaid(run.gantt);
    const links = [
        ...(run.environmentUrl ? [{ name: 'Environment', url: run.environmentUrl }] : []),
        ...run.links
    ];
    summary.list(links.map(l => (0,src_summary/* link */.nf)(l.name, l.url)));
    const quality = report.quality;
    if (!quality)
        return;
    summary.heading(quality.window.since
        ? `Quality over ${round(quality.window.days, 1)} days`
        : 'Quality over the whole history', 3);
    summary.table(['Figure', 'Value', 'Target', 'Result', 'Basis'], Object.values(quality.figures).map(f => [
        f.name + (f.unit === 'per week' ? ' (weekly)' : f.unit === 'per day' ? ' (daily)' : ''),
        formatFigure(f),
        formatTarget(f),
        f.target ? VERDICT[f.verdict] : '',
        f.basis
    ]));
    const calls = quality.apiCalls;
    summary.paragraph((report.targetsMet ? '' : `Missed: ${report.missedTargets.join(', ')}. `) +
        `${quality.deployments} deployments and ${quality.rollbacks} rollbacks read` +
        (calls
            ? ` with ${calls.api === 'graphql' ? 'GraphQL' : 'REST'}: ` +
                `${plural(calls.total, 'API call')} (${callsText(calls)})`
            : '') +
        (quality.truncated ? '; stopped at max-deployments.' : '.') +
        (calls?.api === 'rest' && calls.graphql > 0
            ? ` ${calls.fallback ?? 'GraphQL failed'}, so REST read the history.`
            : ''));
}
/** How many calls of each kind read the history. */
function callsText(calls) {
    const graphql = plural(calls.graphql, 'GraphQL query', 'GraphQL queries');
    const statuses = `${calls.listStatuses} REST status pages`;
    if (calls.api === 'graphql')
        return graphql + (calls.listStatuses ? `, ${statuses}` : '');
    const rest = `${calls.listDeployments} REST deployment pages, ${statuses}`;
    return calls.graphql ? `${graphql}, ${rest}` : rest;
}
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

;// CONCATENATED MODULE: ./packages/report/src/run-report.ts




/**
 * Builds the deployment report (this run, and the quality figures from the history when the
 * settings ask for them), writes it as JSON to settings.reportFile, and says whether a missed
 * target fails the step (fail-on-target) or is only a warning.
 */
async function runReport(settings, ports) {
    if (settings.readsHistory && !ports.history)
        throw new Error('the report reads the deployment history, but no history source was given');
    const { report } = await buildReport({
        environment: settings.environment,
        run: settings.run,
        history: settings.readsHistory ? ports.history : undefined,
        repository: settings.repository,
        windowMs: settings.windowMs,
        maxDeployments: settings.maxDeployments,
        targets: settings.targets,
        clock: ports.clock ?? src_ports/* systemClock */.m,
        log: line => ports.progress.info(line)
    });
    (0,external_node_fs_.mkdirSync)((0,external_node_path_.dirname)(settings.reportFile), { recursive: true });
    (0,external_node_fs_.writeFileSync)(settings.reportFile, `${JSON.stringify(report, null, 2)}\n`);
    const plan = settings.dryRun
        ? `Dry run: would read the ${settings.environment} history${settings.windowMs === undefined ? '' : ` of the last ${settings.windowText}`} (at most ${settings.maxDeployments} deployments).`
        : undefined;
    let failure;
    if (!report.targetsMet) {
        const text = `Missed targets: ${report.missedTargets.join(', ')}`;
        if (settings.failOnTarget)
            failure = text;
        else
            ports.progress.warning(text);
    }
    return { report, reportFile: settings.reportFile, plan, failure };
}
/** The action's outputs: durations in seconds and percentages rounded for people. */
function reportOutputs(result) {
    const { report } = result;
    const figures = report.quality?.figures;
    const seconds = (ms) => (ms === undefined ? '' : Math.round(ms / 100) / 10);
    const pct = (value) => (value === undefined ? '' : Math.round(value * 100) / 100);
    return {
        report,
        'report-file': result.reportFile,
        'targets-met': report.targetsMet,
        'missed-targets': report.missedTargets.join(','),
        'success-rate': pct(figures?.successRate.value),
        'rollback-success-rate': pct(figures?.rollbackSuccessRate.value),
        'mean-deploy-time': seconds(figures?.meanDeployTime.value),
        'p90-deploy-time': seconds(figures?.p90DeployTime.value),
        mttr: seconds(figures?.mttr.value),
        'change-failure-rate': pct(figures?.changeFailureRate.value),
        'deployment-frequency': pct(figures?.frequencyPerDay.value),
        'api-calls': report.quality?.apiCalls?.total ?? 0
    };
}
/** The job summary: the report, and a dry run's plan under it. */
function renderReportSummary(result, summary) {
    renderReport(summary, result.report);
    if (result.plan)
        summary.paragraph(result.plan);
}
/** Missed quality targets, as the user's error with what to do; nothing otherwise. */
function reportFailure(result) {
    return result.failure
        ? new errors/* UserError */.yo(result.failure, 'see the quality figures in the job summary, or set fail-on-target: false to only warn')
        : undefined;
}

// EXTERNAL MODULE: ./packages/github/src/client.ts
var client = __webpack_require__(2994);
;// CONCATENATED MODULE: ./packages/deployments/src/api-objects.ts
/** A deployment with its statuses, oldest status first, as the ledger and the report read it. */
function deploymentRecordOf(deployment, statuses) {
    const ordered = statuses
        .map(statusOf)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
    return {
        id: deployment.id,
        ref: deployment.ref,
        sha: deployment.sha,
        environment: deployment.environment,
        createdAt: deployment.created_at,
        payload: payloadOf(deployment.payload),
        statuses: ordered,
        state: ordered[ordered.length - 1]?.state
    };
}
function statusOf(data) {
    return {
        id: data.id,
        state: data.state,
        description: data.description ?? '',
        environmentUrl: data.environment_url || undefined,
        logUrl: data.log_url || undefined,
        createdAt: data.created_at
    };
}
/** The payload arrives as an object, or as a JSON string when it was sent as one. */
function payloadOf(payload) {
    if (typeof payload === 'string') {
        try {
            const parsed = JSON.parse(payload);
            return parsed && typeof parsed === 'object' ? parsed : {};
        }
        catch {
            return {};
        }
    }
    return payload && typeof payload === 'object' ? payload : {};
}

;// CONCATENATED MODULE: ./packages/report/src/graphql-fallback.ts
/**
 * Whether a failed GraphQL history read may be repeated with REST, and why. GraphQL can be
 * missing (404, 501: an old GitHub Enterprise Server, a proxy that passes only REST), refuse
 * the token (403: a fine-grained token or an app without GraphQL access to deployments), or
 * answer 200 with `errors` (FORBIDDEN, timeouts of a costly query): REST may still read the
 * same history. A rate limit is different: REST shares it, so the error surfaces instead of
 * adding calls (the throttling plugin has already waited and retried by then).
 */
function graphqlFallbackReason(error) {
    if (isRateLimit(error))
        return undefined;
    const failure = error;
    const messages = graphqlErrorMessages(failure.errors);
    if (messages)
        return `GraphQL answered errors (${clip(messages)})`;
    switch (failure.status) {
        case 403:
            return `GraphQL refused the token (403: ${clip(firstLine(failure.message))})`;
        case 404:
            return 'GraphQL is not available here (404)';
        case 501:
            return 'GraphQL is not implemented here (501)';
        default:
            return undefined;
    }
}
/** A primary or secondary rate limit, from REST's headers or GraphQL's RATE_LIMITED error. */
function isRateLimit(error) {
    const failure = error;
    if (failure.status === 429)
        return true;
    const data = failure.response?.data;
    const errors = [...(Array.isArray(failure.errors) ? failure.errors : []), ...(data?.errors ?? [])];
    if (errors.some(e => e?.type === 'RATE_LIMITED'))
        return true;
    if (/\brate limit\b/i.test(failure.message ?? ''))
        return true;
    const headers = failure.response?.headers ?? {};
    return (failure.status === 403 &&
        (headers['x-ratelimit-remaining'] === '0' || headers['retry-after'] !== undefined));
}
/** The messages of a GraphqlResponseError (a 200 whose body carries `errors`). */
function graphqlErrorMessages(errors) {
    if (!Array.isArray(errors) || errors.length === 0)
        return undefined;
    return errors
        .map(e => {
        const { type, message } = (e ?? {});
        return [type, message].filter(Boolean).join(': ') || 'unknown error';
    })
        .join('; ');
}
const firstLine = (text) => (text ?? '').split('\n')[0].trim();
/** A reason stays one short line in the log and the summary. */
function clip(text) {
    const line = text.replace(/\s+/g, ' ').trim();
    const points = [...line];
    return points.length <= 160 ? line : `${points.slice(0, 159).join('')}…`;
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

;// CONCATENATED MODULE: ./packages/report/src/graphql-history.ts

/**
 * One query per 100 deployments, each with its first 100 statuses: the whole history in
 * ceil(n/100) calls instead of REST's n + ceil(n/100). Field names are GitHub's GraphQL
 * schema's (checked by the emulator against @octokit/graphql-schema). DeploymentStatus has
 * no databaseId in GraphQL, so status ids are their position (see statusesOf).
 */
const HISTORY_QUERY = `query($owner: String!, $name: String!, $env: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    deployments(environments: [$env], first: 100, after: $after, orderBy: {field: CREATED_AT, direction: DESC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        databaseId
        ref { name }
        commitOid
        environment
        createdAt
        payload
        statuses(first: 100) {
          pageInfo { hasNextPage }
          nodes { state description environmentUrl logUrl createdAt }
        }
      }
    }
  }
}`;
async function queryHistoryPage(octokit, repo, environment, after) {
    const restBase = String(octokit.request.endpoint.DEFAULTS.baseUrl);
    const data = await octokit.graphql(HISTORY_QUERY, {
        owner: repo.owner,
        name: repo.repo,
        env: environment,
        after,
        baseUrl: graphqlBaseUrl(restBase)
    });
    if (!data.repository)
        throw new Error(`repository ${repo.owner}/${repo.repo} not found`);
    const { pageInfo, nodes } = data.repository.deployments;
    return {
        hasNextPage: pageInfo.hasNextPage,
        endCursor: pageInfo.endCursor,
        deployments: nodes
            .filter((node) => node !== null)
            .map(node => ({
            deployment: {
                id: node.databaseId ?? 0,
                ref: node.ref?.name ?? node.commitOid,
                sha: node.commitOid,
                environment: node.environment ?? environment,
                created_at: node.createdAt,
                payload: node.payload ?? {}
            },
            statuses: node.statuses.pageInfo.hasNextPage ? undefined : statusesOf(node.statuses.nodes)
        }))
    };
}
/**
 * GraphQL statuses in REST's field names. They come newest first, like REST's; the id (only a
 * tie-break for statuses created in the same second) keeps that order: older = smaller.
 */
function statusesOf(nodes) {
    const present = nodes.filter((node) => node !== null);
    return present.map((node, index) => ({
        id: present.length - index,
        state: node.state.toLowerCase(),
        description: node.description,
        environment_url: node.environmentUrl ?? undefined,
        log_url: node.logUrl ?? undefined,
        created_at: node.createdAt
    }));
}

;// CONCATENATED MODULE: ./packages/report/src/history.ts



const PAGE = 100;
/** Where a deployment falls: newer than the window, inside, older (paging can stop), or over max. */
function windowCheck(options, max, taken) {
    return (createdAt) => {
        const created = Date.parse(createdAt);
        if (options.untilMs !== undefined && created > options.untilMs)
            return 'skip';
        if (options.sinceMs !== undefined && created < options.sinceMs)
            return 'past';
        return taken >= max ? 'full' : 'take';
    };
}
/**
 * Reads an environment's Deployment history with few API calls. By default (`api: 'auto'`)
 * with GraphQL: one query per 100 deployments with their statuses, so ceil(n/100) calls;
 * when GraphQL cannot read it (see graphqlFallbackReason: missing, refused, errors; never a
 * rate limit), with REST: ceil(n/100) deployment pages + one status page per deployment.
 * Either way newest first, and paging stops at the first page that reaches back past the window.
 */
async function readHistory(octokit, repo, options) {
    const calls = {
        api: 'rest',
        graphql: 0,
        listDeployments: 0,
        listStatuses: 0,
        total: 0
    };
    const api = options.api ?? 'auto';
    let history;
    if (api !== 'rest') {
        try {
            history = await readWithGraphql(octokit, repo, options, calls);
            calls.api = 'graphql';
        }
        catch (error) {
            // Any page may fail (a costly query times out late): REST then reads the window anew.
            const reason = api === 'graphql' ? undefined : graphqlFallbackReason(error);
            if (!reason)
                throw error;
            calls.fallback = reason;
            options.log?.(`${reason}; reading the history with REST`);
        }
    }
    history ??= await readWithRest(octokit, repo, options, calls);
    calls.total = calls.graphql + calls.listDeployments + calls.listStatuses;
    return { ...history, calls };
}
async function readWithGraphql(octokit, repo, options, calls) {
    const max = options.maxDeployments ?? 5000;
    const { taken, scanned, truncated } = await takeWindow(graphqlPages(octokit, repo, options.environment, max, calls), item => item.deployment.created_at, options, max);
    const records = [];
    for (const { deployment, statuses } of taken) {
        // More than 100 statuses (rare): the rest of them from REST.
        records.push(deploymentRecordOf(deployment, statuses ?? (await listStatuses(octokit, repo, deployment.id, calls))));
    }
    return { deployments: records, scanned, truncated };
}
/** One GraphQL query per page of 100 deployments with their statuses. */
async function* graphqlPages(octokit, repo, environment, max, calls) {
    let after = null;
    // Bounded: every page but the last holds 100 deployments, and we stop past max anyway.
    for (let page = 0; page <= Math.ceil(max / PAGE) + 1000; page++) {
        calls.graphql++;
        const result = await queryHistoryPage(octokit, repo, environment, after);
        const more = result.hasNextPage && result.endCursor !== null;
        yield { items: result.deployments, more };
        if (!more)
            return;
        after = result.endCursor;
    }
}
/**
 * Takes the deployments inside the window from pages listed newest first, and stops reading
 * at the first page that reaches back past the window (later pages are all older) or at max.
 */
async function takeWindow(pages, createdAt, options, max) {
    const taken = [];
    let scanned = 0;
    for await (const page of pages) {
        let pastWindow = false;
        for (const item of page.items) {
            scanned++;
            const verdict = windowCheck(options, max, taken.length)(createdAt(item));
            if (verdict === 'skip')
                continue;
            if (verdict === 'past') {
                pastWindow = true;
                continue;
            }
            if (verdict === 'full') {
                await pages.return(undefined);
                return { taken, scanned, truncated: true };
            }
            taken.push(item);
        }
        if (pastWindow || !page.more) {
            await pages.return(undefined);
            break;
        }
    }
    return { taken, scanned, truncated: false };
}
async function listStatuses(octokit, repo, deploymentId, calls) {
    const statuses = [];
    for await (const page of octokit.paginate.iterator(octokit.rest.repos.listDeploymentStatuses, {
        ...repo,
        deployment_id: deploymentId,
        per_page: PAGE
    })) {
        calls.listStatuses++;
        statuses.push(...page.data);
    }
    return statuses;
}
async function readWithRest(octokit, repo, options, calls) {
    const max = options.maxDeployments ?? 5000;
    const { taken: inWindow, scanned, truncated } = await takeWindow(restPages(octokit, repo, options.environment, calls), deployment => deployment.created_at, options, max);
    const records = new Array(inWindow.length);
    let next = 0;
    const worker = async () => {
        for (let index = next++; index < inWindow.length; index = next++) {
            const deployment = inWindow[index];
            records[index] = deploymentRecordOf(deployment, await listStatuses(octokit, repo, deployment.id, calls));
        }
    };
    const workers = Math.max(1, Math.min(options.concurrency ?? 8, inWindow.length));
    await Promise.all(Array.from({ length: workers }, worker));
    return { deployments: records, scanned, truncated };
}
/** REST deployment pages of 100; a short page is the last. */
async function* restPages(octokit, repo, environment, calls) {
    const pages = octokit.paginate.iterator(octokit.rest.repos.listDeployments, {
        ...repo,
        environment,
        per_page: PAGE
    });
    for await (const page of pages) {
        calls.listDeployments++;
        const items = page.data;
        yield { items, more: items.length >= PAGE };
    }
}

;// CONCATENATED MODULE: ./packages/report/src/github-history-source.ts


/** GitHub's deployment history of a repository, read with readHistory. */
function githubHistorySource(octokit, repo, options = {}) {
    return { read: window => readHistory(octokit, repo, { ...window, ...options }) };
}
/** The history source of the action: a client from the token, its log lines to `log`. */
function githubDeploymentHistory(access, log) {
    if (!access)
        return undefined;
    const octokit = (0,client/* createGitHubClient */.L)({ token: access.token, baseUrl: access.apiUrl, log });
    return githubHistorySource(octokit, access.repository, { log });
}

;// CONCATENATED MODULE: ./actions/report/src/run.ts



async function run({ setOutput, summary, redactor, info, warning, group }, settings) {
    const sections = process.env.SLIPWAY_SUMMARY_SECTIONS;
    const result = await runReport(settings, {
        progress: { info, warning, group },
        history: githubDeploymentHistory(settings.github, info)
    }).catch((error) => {
        // Without a report the stages' sections are still the job's summary: they were written
        // nowhere else. The step fails with the report's error, which says why.
        appendSections(summary, sections);
        throw error;
    });
    // The report composes the job's one summary: it always writes the job summary itself, never a
    // section file.
    reportStage({ setOutput, summary, redactor }, result, {
        outputs: reportOutputs,
        render: (report, summary) => {
            renderReportSummary(report, summary);
            appendSections(summary, sections);
        },
        failure: reportFailure
    }, undefined);
}
/**
 * The job's one summary in our reusable workflows: the stages wrote their sections to files
 * (SLIPWAY_SUMMARY_FILE), listed one per line in SLIPWAY_SUMMARY_SECTIONS; each comes folded
 * below the report, so the report's verdict is the first thing the job's summary says. A file
 * that is missing (a skipped stage) or empty adds nothing.
 */
function appendSections(summary, list) {
    for (const file of (list ?? '').split('\n').map(line => line.trim())) {
        if (!file || !(0,external_node_fs_.existsSync)(file))
            continue;
        const [first, ...rest] = (0,external_node_fs_.readFileSync)(file, 'utf8').trim().split('\n');
        if (!first)
            continue;
        summary.details(first.replace(/^#+\s*/, ''), rest.join('\n').trim());
    }
}


/***/ })

};
