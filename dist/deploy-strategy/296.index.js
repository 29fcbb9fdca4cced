export const id = 296;
export const ids = [296];
export const modules = {

/***/ 69296:
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

// EXTERNAL MODULE: ./packages/kit/src/errors.ts
var errors = __webpack_require__(77817);
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

;// CONCATENATED MODULE: ./packages/deployments/src/api-objects.ts
/** A deployment with its statuses, oldest status first, as the ledger and the report read it. */
function deploymentRecordOf(deployment, statuses) {
    const ordered = statuses
        .map(api_objects_statusOf)
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
function api_objects_statusOf(data) {
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

;// CONCATENATED MODULE: ./packages/deployments/src/start-lookup.ts


/**
 * What creating a deployment needs to know first, in one GraphQL request: whether this run
 * already created it (a re-run of the job converges on it) and whether the version names a
 * commit GitHub has (a tag the release stage has not pushed yet does not: the deployment is
 * then made against the commit, without a 422 from GitHub first). REST needs a list of the
 * environment's deployments per ref and a failed create for the same answers. Field names are
 * GitHub's GraphQL schema's (the emulator checks them).
 */
const START_QUERY = `query($owner: String!, $name: String!, $env: String!, $version: String!) {
  repository(owner: $owner, name: $name) {
    deployments(environments: [$env], first: 30, orderBy: {field: CREATED_AT, direction: DESC}) {
      nodes { databaseId ref { name } commitOid payload }
    }
    object(expression: $version) { oid }
  }
}`;
const READ = {
    what: 'read the deployments (GraphQL)',
    permission: 'deployments: read',
    notFoundIsRefusal: false
};
async function lookUpStart(octokit, repo, query) {
    const data = await requestAs(READ, () => octokit.graphql(START_QUERY, {
        owner: repo.owner,
        name: repo.repo,
        env: query.environment,
        version: query.version,
        baseUrl: graphqlBaseUrl(String(octokit.request.endpoint.DEFAULTS.baseUrl))
    }));
    if (!data.repository)
        throw new Error(`repository ${repo.owner}/${repo.repo} not found (GraphQL)`);
    const mine = query.runId
        ? data.repository.deployments.nodes.find(node => node !== null &&
            node.databaseId !== null &&
            query.refs.includes(node.ref?.name ?? node.commitOid) &&
            payloadOf(node.payload).run_id === query.runId)
        : undefined;
    return {
        existingId: mine?.databaseId ?? undefined,
        versionIsRef: data.repository.object !== null
    };
}

;// CONCATENATED MODULE: ./packages/deployments/src/description.ts
/** GitHub limits status descriptions to 140 characters. */
const DESCRIPTION_LIMIT = 140;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/**
 * One line of at most 140 UTF-16 units (GitHub counts characters; units are never fewer), cut
 * between graphemes: half a surrogate pair is not text, and half an emoji sequence (skin tone,
 * ZWJ family, flag) or a letter without its accent shows as something else.
 */
function clipDescription(text) {
    const single = text.replace(/\s+/g, ' ').trim();
    if (single.length <= DESCRIPTION_LIMIT)
        return single;
    let kept = '';
    for (const { segment } of graphemes.segment(single)) {
        if (kept.length + segment.length > DESCRIPTION_LIMIT - 1)
            break;
        kept += segment;
    }
    return `${kept.trimEnd()}…`;
}

;// CONCATENATED MODULE: ./packages/deployments/src/last-good.ts
/**
 * The last good deployment of a history (newest first): the first one older than `before` whose
 * statuses contain `success` (not only its latest one: `auto_inactive` turns old successes
 * inactive) and that was not rolled back — no `rolled_back` in its payload, no later
 * deployment's `rollback_of` naming it, no status saying "rolled back".
 */
function lastGoodOf(history, options = {}) {
    const rolledBack = new Set(history.map(d => d.payload.rollback_of).filter((id) => typeof id === 'number'));
    return history.find(d => (options.before === undefined || d.id < options.before) &&
        d.statuses.some(s => s.state === 'success') &&
        !d.payload.rolled_back &&
        !rolledBack.has(d.id) &&
        !d.statuses.some(s => /rolled back/i.test(s.description)));
}

;// CONCATENATED MODULE: ./packages/deployments/src/records.ts
/**
 * The deployment-records port: what a stage needs from "the Deployment history of the
 * environment", the one source of truth for what is live. `DeploymentLedger` implements it
 * over GitHub's API, `FileDeploymentRecords` over the CLI's local ledger file; both follow the
 * contract in test/ports/deployment-records.contract.ts.
 */
/** How many of the repository's newest deployments `environments` looks through when not told. */
const DEFAULT_ENVIRONMENTS_SCAN = 100;
/** Distinct environments of deployments listed newest first, in that order. */
function environmentsOf(newestFirst) {
    const seen = new Set();
    for (const d of newestFirst)
        if (typeof d.environment === 'string')
            seen.add(d.environment);
    return [...seen];
}
/** How many deployments `history` reads when not told. */
const DEFAULT_HISTORY_LIMIT = 30;
/** The status description `markRolledBack` writes (and `lastGoodOf` recognises). */
function rolledBackDescription(byDeploymentId) {
    return `rolled back${byDeploymentId ? ` by deployment ${byDeploymentId}` : ''}`;
}

;// CONCATENATED MODULE: ./packages/deployments/src/ledger.ts







// What each request needs from the job's token, named when GitHub refuses it. Listing an
// environment's deployments or creating one meets nothing that can be missing, so a 404 there is
// a repository the token cannot see.
const ledger_READ = { what: 'read a deployment', permission: 'deployments: read' };
const LIST = { what: 'list deployments', permission: 'deployments: read', notFoundIsRefusal: true };
const CREATE = {
    what: 'create a deployment',
    permission: 'deployments: write',
    notFoundIsRefusal: true
};
const WRITE_STATUS = { what: 'add a deployment status', permission: 'deployments: write' };
/**
 * The deployment records on GitHub (its Deployments API): the one source of truth for what is
 * live in an environment. deploy-strategy writes it; rollback reads it (`history`, `lastGood`)
 * and writes its own record.
 */
class DeploymentLedger {
    octokit;
    repo;
    run;
    constructor(octokit, repo, run = {}) {
        this.octokit = octokit;
        this.repo = repo;
        this.run = run;
    }
    /** `${server}/${repo}/actions/runs/${run}`: where the statuses link to. */
    get logUrl() {
        const { serverUrl, repository, runId } = this.run;
        return serverUrl && repository && runId
            ? `${serverUrl}/${repository}/actions/runs/${runId}`
            : undefined;
    }
    /**
     * Creates the environment's deployment, or finds the one this workflow run already created
     * (same ref + environment + payload.run_id: a re-run of the job converges instead of
     * duplicating), or adopts `deploymentId`. Returns the deployment and whether it is new.
     */
    async start(options) {
        const { owner, repo } = this.repo;
        if (options.deploymentId !== undefined) {
            const data = await this.adopted(options.deploymentId);
            return { deployment: await this.withStatuses(data), created: false };
        }
        const payload = {
            slipway: 1,
            ...options.payload,
            run_id: this.run.runId,
            run_attempt: this.run.runAttempt
        };
        const refs = [options.version, options.fallbackRef].filter((ref) => !!ref);
        let lookup;
        // Without a run id (the rollback's own record) nothing can be this run's: the version is
        // tried as the ref at once, which costs one call when it is one (a rollback's target was
        // released by then) and GitHub's 422 before the commit when not.
        if (this.run.runId) {
            try {
                lookup = await lookUpStart(this.octokit, this.repo, {
                    environment: options.environment,
                    version: options.version,
                    refs,
                    runId: this.run.runId
                });
            }
            catch (error) {
                if (!graphqlUnavailable(error))
                    throw error;
            }
        }
        if (lookup?.existingId !== undefined) {
            const data = await this.adopted(lookup.existingId);
            return { deployment: await this.withStatuses(data), created: false };
        }
        if (!lookup) {
            // Without GraphQL's answer REST finds this run's deployment, one list per ref (none
            // without a run id).
            for (const ref of refs) {
                const existing = await this.findByRun(options.environment, ref);
                if (existing)
                    return { deployment: existing, created: false };
            }
        }
        const create = async (ref) => requestAs(CREATE, () => this.octokit.rest.repos.createDeployment({
            owner,
            repo,
            ref,
            environment: options.environment,
            auto_merge: false,
            required_contexts: [],
            payload: payload,
            description: clipDescription(options.description ?? `${payload.strategy} deploy of ${options.version}`),
            production_environment: options.productionEnvironment,
            transient_environment: options.transientEnvironment
        }));
        // A version GitHub does not know (a build number, a tag not pushed yet) is recorded against
        // the commit; the payload and the description keep the version.
        const fallback = options.fallbackRef;
        const ref = lookup && !lookup.versionIsRef && fallback ? fallback : options.version;
        let response;
        try {
            response = await create(ref);
        }
        catch (error) {
            // Without GraphQL's answer the version is tried first; GitHub's 422 says it is no ref.
            const status = error.status;
            if (status !== 422 || lookup || !fallback || fallback === ref)
                throw unprocessable(error, ref);
            response = await create(fallback).catch((again) => {
                throw unprocessable(again, fallback);
            });
        }
        if (response.status !== 201 || !('id' in response.data)) {
            throw new Error(`GitHub did not create the deployment: ${JSON.stringify(response.data).slice(0, 200)}`);
        }
        // Just created: it has no status yet, so there is nothing to read.
        return { deployment: deploymentRecordOf(response.data, []), created: true };
    }
    async adopted(deploymentId) {
        const { owner, repo } = this.repo;
        try {
            const { data } = await requestAs(ledger_READ, () => this.octokit.rest.repos.getDeployment({ owner, repo, deployment_id: deploymentId }));
            return data;
        }
        catch (error) {
            if (error.status !== 404)
                throw error;
            throw new errors/* UserError */.yo(`Deployment ${deploymentId} does not exist in ${owner}/${repo}`, 'pass the id of a deployment of this repository (the deployment-id input), or none to create one');
        }
    }
    async findByRun(environment, ref) {
        if (!this.run.runId)
            return undefined;
        const { owner, repo } = this.repo;
        const { data } = await requestAs(LIST, () => this.octokit.rest.repos.listDeployments({ owner, repo, environment, ref, per_page: 30 }));
        const match = data.find(d => payloadOf(d.payload).run_id === this.run.runId);
        return match ? this.withStatuses(match) : undefined;
    }
    /** Adds a status. `environment_url` and `log_url` are kept on every status (GitHub shows the latest). */
    async setStatus(deploymentId, state, description, options = {}) {
        const { owner, repo } = this.repo;
        const { data } = await requestAs(WRITE_STATUS, () => this.octokit.rest.repos.createDeploymentStatus({
            owner,
            repo,
            deployment_id: deploymentId,
            state,
            description: clipDescription(description),
            environment_url: options.environmentUrl,
            log_url: this.logUrl,
            auto_inactive: options.autoInactive
        }));
        return api_objects_statusOf(data);
    }
    /**
     * Marks a deployment as rolled back (an `inactive` status saying so): `lastGood` skips it
     * from then on. The rollback action calls this after recording its own deployment.
     */
    async markRolledBack(deploymentId, byDeploymentId) {
        return this.setStatus(deploymentId, 'inactive', rolledBackDescription(byDeploymentId), {
            autoInactive: false
        });
    }
    /** The environment's deployments, newest first, each with its full status history (oldest first). */
    async history(environment, options = {}) {
        const { owner, repo } = this.repo;
        const limit = options.limit ?? DEFAULT_HISTORY_LIMIT;
        const deployments = await requestAs(LIST, () => this.octokit.paginate(this.octokit.rest.repos.listDeployments, { owner, repo, environment, per_page: Math.min(100, limit) }, (response, done) => {
            if (response.data.length >= limit)
                done();
            return response.data;
        }));
        const records = [];
        for (const deployment of deployments.slice(0, limit))
            records.push(await this.withStatuses(deployment));
        return records;
    }
    /** See `lastGoodOf`: the rule both implementations share. */
    async lastGood(environment, options = {}) {
        return lastGoodOf(await this.history(environment, { limit: options.limit }), options);
    }
    /** One page of the repository's deployments (GitHub lists them newest first), any environment. */
    async environments(options = {}) {
        const { owner, repo } = this.repo;
        const { data } = await requestAs(LIST, () => this.octokit.rest.repos.listDeployments({
            owner,
            repo,
            per_page: Math.min(100, options.limit ?? DEFAULT_ENVIRONMENTS_SCAN)
        }));
        return environmentsOf(data);
    }
    async withStatuses(deployment) {
        const { owner, repo } = this.repo;
        const statuses = await requestAs(ledger_READ, () => this.octokit.paginate(this.octokit.rest.repos.listDeploymentStatuses, {
            owner,
            repo,
            deployment_id: deployment.id,
            per_page: 100
        }));
        return deploymentRecordOf(deployment, statuses);
    }
}
/** The same class, named for what it is next to `FileDeploymentRecords`. */

/**
 * GitHub's 422 on creating a deployment: a ref it does not have (a version that is no pushed
 * commit, branch or tag) or an environment name it refuses. Both are the user's settings; any
 * other failure is returned as it was.
 */
function unprocessable(error, ref) {
    if (error.status !== 422)
        return error;
    return new errors/* UserError */.yo(`GitHub refused to create a deployment of ${ref} (422): ${error.message}`, 'give a `version` that is a commit, branch or tag pushed to GitHub (or run on that commit), and an `environment` name GitHub accepts.');
}

// EXTERNAL MODULE: ./packages/github/src/client.ts
var client = __webpack_require__(32994);
// EXTERNAL MODULE: ./packages/kit/src/children.ts
var children = __webpack_require__(49309);
// EXTERNAL MODULE: ./packages/monitoring/src/alertmanager.ts
var alertmanager = __webpack_require__(13575);
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
    const client = new alertmanager/* AlertmanagerClient */.R(settings.url);
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
        if (error instanceof alertmanager/* MonitoringUnavailable */.T && settings.onUnavailable === 'warn') {
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
    const forget = (0,children/* onCleanup */.Ki)(close);
    return { id, close };
}

;// CONCATENATED MODULE: ./packages/monitoring/src/pushgateway.ts

/**
 * Pushes the event to the Pushgateway group `job=slipway, environment, app` (PUT: the group
 * holds the environment's last event). Series, each labelled with kind, version and status:
 * `slipway_deploy_start_timestamp_seconds`, `slipway_deploy_end_timestamp_seconds`,
 * `slipway_deploy_duration_seconds`, `slipway_deploy_success` (1/0), `slipway_deploy_rollback`
 * (1 for a rollback) and `slipway_deploy_consecutive_failures` (failed deploys in a row, carried
 * over from the group's previous push so "failed twice" is one comparison in a rule).
 */
async function pushDeployEvent(url, event) {
    const group = groupUrl(url, event);
    const previous = await previousFailures(url, event);
    const failures = event.kind !== 'deploy' ? previous : event.status === 'failure' ? previous + 1 : 0;
    const body = deployEventExposition(event, failures);
    let response;
    try {
        // undici loads with the first request: an input error or a dry run never parses it.
        const { fetch } = await __webpack_require__.e(/* import() */ 752).then(__webpack_require__.t.bind(__webpack_require__, 46752, 19));
        response = await fetch(group.url, {
            method: 'PUT',
            headers: { 'content-type': 'text/plain; version=0.0.4', ...group.headers },
            body,
            signal: AbortSignal.timeout(10_000)
        });
    }
    catch (error) {
        const cause = error.cause;
        throw new errors/* UserError */.yo(`the Pushgateway did not answer: ${cause?.code ?? error.message}`, 'check pushgateway-url and that the runner can reach it');
    }
    if (!response.ok)
        throw new errors/* UserError */.yo(`the Pushgateway answered ${response.status}: ${(await response.text()).slice(0, 200)}`, 'check pushgateway-url (the base URL, to which /metrics/job/… is added)');
    await response.body?.cancel();
}
/** The event in Prometheus' text exposition format (exported for the docs and tests). */
function deployEventExposition(event, consecutiveFailures) {
    const labels = `{kind="${pushgateway_escape(event.kind)}",version="${pushgateway_escape(event.version)}",status="${event.status}"}`;
    const seconds = (date) => String(date.getTime() / 1000);
    const series = [
        [
            'slipway_deploy_start_timestamp_seconds',
            'When the deploy began (Unix seconds).',
            seconds(event.startedAt)
        ],
        [
            'slipway_deploy_end_timestamp_seconds',
            'When the deploy ended (Unix seconds).',
            seconds(event.endedAt)
        ],
        [
            'slipway_deploy_duration_seconds',
            'How long the deploy took.',
            String((event.endedAt.getTime() - event.startedAt.getTime()) / 1000)
        ],
        [
            'slipway_deploy_success',
            '1 when the deploy succeeded, 0 when it failed.',
            event.status === 'success' ? '1' : '0'
        ],
        [
            'slipway_deploy_rollback',
            '1 when the event was a rollback.',
            event.kind === 'rollback' ? '1' : '0'
        ],
        ['slipway_deploy_consecutive_failures', 'Failed deploys in a row.', String(consecutiveFailures)]
    ];
    return series
        .map(([name, help, value]) => `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name}${labels} ${value}\n`)
        .join('');
}
/** The failed-in-a-row count the group holds; 0 when there is none (or it cannot be read). */
async function previousFailures(url, event) {
    const base = groupUrl(url, event);
    const metrics = new URL(base.url.toString());
    metrics.pathname = `${new URL(url).pathname.replace(/\/+$/, '')}/metrics`;
    try {
        // undici loads with the first request: an input error or a dry run never parses it.
        const { fetch } = await __webpack_require__.e(/* import() */ 752).then(__webpack_require__.t.bind(__webpack_require__, 46752, 19));
        const response = await fetch(metrics, {
            headers: base.headers,
            signal: AbortSignal.timeout(10_000)
        });
        if (!response.ok)
            return 0;
        const text = await response.text();
        for (const line of text.split('\n')) {
            if (!line.startsWith('slipway_deploy_consecutive_failures{'))
                continue;
            const labels = line.slice(line.indexOf('{'), line.lastIndexOf('}') + 1);
            if (labels.includes(`environment="${pushgateway_escape(event.environment)}"`) &&
                labels.includes(`app="${pushgateway_escape(event.app)}"`) &&
                labels.includes('job="slipway"')) {
                const value = Number(line.slice(line.lastIndexOf('}') + 1).trim());
                return Number.isFinite(value) ? value : 0;
            }
        }
    }
    catch {
        // The push itself reports an unreachable Pushgateway.
    }
    return 0;
}
function groupUrl(url, event) {
    const parsed = new URL(url);
    const headers = {};
    if (parsed.username || parsed.password) {
        headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`;
        parsed.username = '';
        parsed.password = '';
    }
    // Label values in the path: base64url (`@base64`) keeps a slash or an empty value intact.
    const segment = (name, value) => `${name}@base64/${Buffer.from(value).toString('base64url') || '='}`;
    parsed.pathname = `${parsed.pathname.replace(/\/+$/, '')}/metrics/job/slipway/${segment('environment', event.environment)}/${segment('app', event.app)}`;
    return { url: parsed, headers };
}
function pushgateway_escape(value) {
    return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
/**
 * Pushes a finished stage's event when a Pushgateway is configured. Metrics are a record of what
 * happened, not a gate: a Pushgateway that fails is a warning, never a failed deploy, rollback or
 * release.
 */
async function reportDeployEvent(url, event, progress) {
    if (!url)
        return;
    try {
        await pushDeployEvent(url, event);
        progress.info(`${capitalized(event.kind)} event pushed to the Pushgateway (${event.status})`);
    }
    catch (error) {
        progress.warning(`${event.kind} event not pushed: ${error.message}`);
    }
}
function capitalized(word) {
    return word.charAt(0).toUpperCase() + word.slice(1);
}

// EXTERNAL MODULE: ./packages/strategies/src/config.ts + 4 modules
var src_config = __webpack_require__(20059);
// EXTERNAL MODULE: ./packages/kit/src/ports.ts
var ports = __webpack_require__(13508);
// EXTERNAL MODULE: ./packages/kit/src/duration.ts
var duration = __webpack_require__(55438);
;// CONCATENATED MODULE: ./packages/strategies/src/canary-progress.ts
/** GitHub keeps 140 characters of a status description; the records clip to that. */
const canary_progress_DESCRIPTION_LIMIT = 140;
/**
 * The status description: `canary step 2/4: green=25 blue=75; analysis at 5% passed: <reason>`.
 * A status has no payload of its own, so this line is the record; `slipway status` parses it
 * (packages/cli/src/status/canary-progress.ts reads this exact form). The step and the
 * weights always fit; the analysis's reason is cut to what is left.
 */
function describeCanaryProgress(progress) {
    const weights = Object.entries(progress.weights)
        .map(([target, weight]) => `${target}=${weight}`)
        .join(' ');
    const head = `canary step ${progress.step}/${progress.steps}: ${weights}`;
    const { analysis } = progress;
    if (!analysis)
        return head;
    const verdict = `; analysis at ${analysis.weight}% ${analysis.ok ? 'passed' : 'failed'}`;
    const room = canary_progress_DESCRIPTION_LIMIT - head.length - verdict.length - 2;
    if (room < 8)
        return `${head}${verdict}`.slice(0, canary_progress_DESCRIPTION_LIMIT);
    const reason = oneLine(analysis.reason);
    const clipped = reason.length > room ? `${reason.slice(0, room - 1)}…` : reason;
    return `${head}${verdict}${clipped ? `: ${clipped}` : ''}`;
}
function oneLine(text) {
    return text.replace(/\s+/g, ' ').trim();
}

// EXTERNAL MODULE: ./packages/strategies/src/analysis.ts + 1 modules
var analysis = __webpack_require__(47998);
;// CONCATENATED MODULE: ./packages/strategies/src/diagnostics.ts

/**
 * Asks the provider for its evidence on targets that failed (the docker provider's last
 * container log lines). Never throws: a failed deploy is reported with or without evidence.
 */
async function collectDiagnostics(provider, targets, version) {
    if (!provider.diagnose)
        return [];
    const found = [];
    for (const target of targets) {
        try {
            const text = await provider.diagnose(target, { version });
            if (text?.trim())
                found.push({ target: target.name, text });
        }
        catch (error) {
            found.push({ target: target.name, text: `(no diagnostics: ${(0,errors/* errorMessage */.gJ)(error)})` });
        }
    }
    return found;
}

;// CONCATENATED MODULE: ./packages/strategies/src/rolling-restore.ts

/**
 * Rolling fails closed across the fleet. The batch that failed while out of service goes back
 * to its previous version first (`restoreFailedBatch`), then every host an earlier batch moved,
 * one at a time, most recent first (`restoreMovedBatch`), each drained before it is replaced and
 * put back in service only behind the health gate. A host that cannot be restored stays drained
 * and is named, so the fleet never serves a version that failed its gate beside one that passed
 * it. Neither throws: what could not be done is in the timeline.
 */
async function restoreFailedBatch(step, options) {
    const { weights, record } = options;
    for (const host of step.hosts) {
        if (!host.version || host.version === step.from) {
            record('restore', `${host.name}: no previous version; left drained`, false);
            continue;
        }
        if (await putBack(host.name, host.version, step.from, options))
            weights[host.name] = 1;
    }
    if (step.hosts.length)
        await route('failed batch', options);
}
/** A batch already back in service: each host drained, restored and re-enabled, last host first. */
async function restoreMovedBatch(step, options) {
    const { weights, record } = options;
    for (const host of [...step.hosts].reverse()) {
        if (!host.version || host.version === step.from) {
            // A first rollout has nothing to return to: the host keeps the version that passed its gate.
            record('restore', `${host.name} stays on ${step.from}: no previous version to return to`, false);
            continue;
        }
        weights[host.name] = 0;
        if (!(await route(`drained ${host.name}`, options)))
            continue;
        await options.clock.sleep(options.request.drainDelayMs ?? 0);
        if (await putBack(host.name, host.version, step.from, options)) {
            weights[host.name] = 1;
            await route(`${host.name} in service`, options);
        }
    }
}
async function route(why, options) {
    const { provider, weights, record } = options;
    try {
        await provider.router.setWeights({ ...weights });
        record('restore', `${why}: ${describeWeights(weights)}`);
        return true;
    }
    catch (error) {
        record('restore', `routing update failed (${why}): ${(0,errors/* errorMessage */.gJ)(error)}`, false);
        return false;
    }
}
async function putBack(name, previous, failedVersion, options) {
    const target = options.provider.targets.find(t => t.name === name);
    try {
        await options.provider.prepare(target, { version: previous, previousVersion: failedVersion });
        await options.gate([target], previous);
        options.record('restore', `${name} back on ${previous}`);
        return true;
    }
    catch (error) {
        options.record('restore', `${name} could not be restored to ${previous} (left drained): ${(0,errors/* errorMessage */.gJ)(error)}`, false);
        return false;
    }
}
function describeWeights(weights) {
    return Object.entries(weights)
        .map(([name, weight]) => `${name}=${weight ? 'in' : 'drained'}`)
        .join(', ');
}

;// CONCATENATED MODULE: ./packages/strategies/src/failure-path.ts



/** Failures at these steps are the new version's own: its evidence is worth collecting. */
const TARGET_STEPS = new Set(['prepare', 'health', 'analysis']);
/**
 * Runs the plan's failure path in order, each step only when its condition holds. Never throws:
 * a step that fails is recorded as failed in the timeline and the path goes on, so what could not
 * be undone is named rather than hidden behind the first error.
 */
async function runFailurePath(options) {
    const { provider, plan, request, clock, record, progress } = options;
    const target = (name) => provider.targets.find(t => t.name === name);
    for (const step of plan.onFailure) {
        switch (step.kind) {
            case 'route-back':
                if (!progress.trafficMoved)
                    break;
                try {
                    await provider.router.setWeights(step.weights);
                    await clock.sleep(request.drainDelayMs ?? 0);
                    record('route back', `100% to stable ${step.slot} (${step.version})`);
                }
                catch (error) {
                    record('route back', `FAILED — traffic may still reach ${plan.slot}: ${(0,errors/* errorMessage */.gJ)(error)}`, false);
                }
                break;
            case 'diagnose':
                // Evidence before the teardown: a provider may lose it once the version is stopped.
                if (options.failedAt && TARGET_STEPS.has(options.failedAt.kind))
                    options.diagnostics.push(...(await collectDiagnostics(provider, step.targets.map(target), step.version)));
                break;
            case 'tear-down':
                if (step.when === 'traffic-not-moved' && progress.trafficMoved)
                    break;
                for (const name of step.targets) {
                    try {
                        await provider.retire(target(name), { version: step.version });
                        record('tear down', `${step.version} on ${name}`);
                    }
                    catch (error) {
                        record('tear down', `${name} failed: ${(0,errors/* errorMessage */.gJ)(error)}`, false);
                    }
                }
                break;
            case 'restore':
                await restore(step, options);
                break;
            default: {
                const never = step;
                throw new Error(`unknown failure step ${JSON.stringify(never)}`);
            }
        }
    }
}
async function restore(step, options) {
    const { provider, progress } = options;
    const state = progress.batches.get(step.batch);
    if (!state)
        return;
    const restoring = {
        provider,
        request: options.request,
        clock: options.clock,
        weights: progress.weights,
        record: options.record,
        gate: options.gate
    };
    if (state === 'in')
        return restoreMovedBatch(step, restoring);
    // Evidence before the restore replaces the failed version on these hosts.
    options.diagnostics.push(...(await collectDiagnostics(provider, step.hosts.map(h => provider.targets.find(t => t.name === h.name)), step.from)));
    return restoreFailedBatch(step, restoring);
}

// EXTERNAL MODULE: ./packages/strategies/src/health-gate.ts
var health_gate = __webpack_require__(91281);
;// CONCATENATED MODULE: ./packages/strategies/src/rolling-plan.ts
/**
 * The rolling plan: per batch of hosts not yet on the version, drain → prepare → health →
 * re-enable, each a step with the router weights it sets; the migrate step (if any) after the
 * first batch; and the failure path, every batch's restore, last batch first.
 */
function planRolling(targets, live, request, options, migrate) {
    const { version } = request;
    const notes = [];
    const steps = [];
    const size = Math.min(options.batchSize, options.maxUnavailable);
    if (size < options.batchSize)
        notes.push(`batch-size ${options.batchSize} capped at max-unavailable ${options.maxUnavailable}`);
    if (size >= targets.length && targets.length > 1)
        notes.push(`every host is out of service at once (batch of ${size} of ${targets.length} hosts)`);
    const groups = batches(targets, size).map(group => group.map(t => t.name));
    const versions = [
        ...new Set(targets.map(t => live[t.name]?.version).filter((v) => !!v))
    ];
    const previousVersion = versions.length === 1 ? versions[0] : versions.find(v => v !== version);
    const pending = groups.map(group => group.filter(name => live[name]?.version !== version || !(live[name]?.weight ?? 0)));
    // The router's weights as the rollout moves: a host whose weight we do not know is assumed in
    // service (draining a live fleet by mistake is an outage, while routing to a host with
    // nothing yet only matters before the first deploy).
    const weights = Object.fromEntries(targets.map(t => [t.name, (live[t.name]?.weight ?? 1) > 0 ? 1 : 0]));
    const onFailure = [];
    groups.forEach((group, index) => {
        const hosts = pending[index];
        if (hosts.length === 0) {
            notes.push(`batch ${index + 1} (${group.join(', ')}) already runs ${version}`);
            return;
        }
        const batch = index + 1;
        for (const name of hosts)
            weights[name] = 0;
        steps.push({ kind: 'drain', batch, targets: hosts, weights: { ...weights } });
        steps.push({ kind: 'prepare', batch, targets: hosts, version });
        steps.push({ kind: 'health', batch, targets: hosts, version });
        for (const name of hosts)
            weights[name] = 1;
        steps.push({ kind: 'enable', batch, targets: hosts, weights: { ...weights } });
        if (index === 0)
            steps.push(...migrate);
        onFailure.unshift({
            kind: 'restore',
            batch,
            from: version,
            hosts: hosts.map(name => ({ name, version: live[name]?.version }))
        });
    });
    const allWeights = Object.fromEntries(targets.map(t => [t.name, 1]));
    if (steps.length === 0)
        steps.push({ kind: 'route', weights: allWeights, label: 'every host in service' });
    return {
        strategy: 'rolling',
        version,
        previousVersion,
        batches: groups,
        rollbackTarget: previousVersion ?? 'none (first deployment)',
        steps,
        onFailure,
        notes
    };
}
/** Splits hosts into batches of `size`, in the order given. */
function batches(items, size) {
    const out = [];
    for (let i = 0; i < items.length; i += size)
        out.push(items.slice(i, i + size));
    return out;
}

;// CONCATENATED MODULE: ./packages/strategies/src/plan.ts

/** The live slot: the one with the most traffic (a version and a positive weight). */
function activeSlot(targets, live) {
    let best;
    for (const target of targets) {
        const state = live[target.name];
        // Traffic decides, not what we know of the version: a slot serving requests is never "idle".
        if (!(state?.weight ?? 0))
            continue;
        if (!best || (state.weight ?? 0) > (live[best.name].weight ?? 0))
            best = target;
    }
    return best;
}
/**
 * Turns a request and what is live into the exact list of steps. The same plan is printed
 * by dry-run and executed by a real run, so what a reviewer approves is what happens.
 */
function makePlan(targets, live, request) {
    const { options, version } = request;
    const notes = [];
    const steps = [];
    const migrate = (when) => request.migrate ? [{ kind: 'migrate', command: request.migrateCommand, when }] : [];
    if (options.strategy === 'rolling')
        return planRolling(targets, live, request, options, migrate('after-first-batch'));
    const [first, second] = targets;
    const active = activeSlot(targets, live);
    const idle = active === first ? second : first;
    const previousVersion = active ? live[active.name].version : undefined;
    const base = {
        version,
        previousVersion,
        slot: idle.name,
        previousSlot: active?.name,
        rollbackTarget: active
            ? `${previousVersion ?? 'the current version'} on slot ${active.name}`
            : 'none (first deployment)'
    };
    if (active &&
        previousVersion === version &&
        (live[active.name].weight ?? 0) > 0 &&
        !targets.some(t => t !== active && (live[t.name]?.weight ?? 0) > 0)) {
        notes.push(`${version} is already live on slot ${active.name}: nothing to do`);
        return {
            strategy: options.strategy,
            ...base,
            slot: active.name,
            previousSlot: undefined,
            previousVersion: undefined,
            rollbackTarget: 'unchanged',
            steps: [],
            onFailure: [],
            notes
        };
    }
    if (live[idle.name]?.version === version)
        notes.push(`slot ${idle.name} already runs ${version}: not prepared again`);
    else
        steps.push({ kind: 'prepare', targets: [idle.name], version });
    steps.push({ kind: 'health', targets: [idle.name], version });
    steps.push(...migrate('after-health'));
    const onFailure = slotFailurePath(idle, active, version, previousVersion, targets);
    const weightsFor = (share) => active
        ? { [active.name]: 100 - share, [idle.name]: share }
        : { [idle.name]: 100, [(idle === first ? second : first).name]: 0 };
    if (options.strategy === 'blue-green') {
        if (!options.switchTraffic) {
            notes.push(`switch: false — ${version} is prepared and healthy on slot ${idle.name}; traffic stays on ${active?.name ?? 'nothing'}`);
            return { strategy: 'blue-green', ...base, steps, onFailure, notes };
        }
        steps.push({
            kind: 'route',
            weights: weightsFor(100),
            label: `switch all traffic to ${idle.name}`
        });
    }
    else {
        const weights = [];
        if (!active) {
            notes.push('no stable version is live: the first deployment takes 100% at once (nothing to compare a canary with)');
            steps.push({ kind: 'route', weights: weightsFor(100), label: `100% to ${idle.name}` });
            weights.push(100);
        }
        else {
            const explicit = options.steps.some(step => 'analysis' in step);
            for (const step of options.steps) {
                if ('setWeight' in step) {
                    steps.push({
                        kind: 'route',
                        weights: weightsFor(step.setWeight),
                        label: `${step.setWeight}% to canary ${idle.name}`
                    });
                    weights.push(step.setWeight);
                    if (!explicit && request.analysisConfigured && step.setWeight < 100)
                        steps.push({ kind: 'analysis', weight: step.setWeight });
                }
                else if ('pause' in step)
                    steps.push({ kind: 'pause', ms: step.pause });
                else
                    steps.push({ kind: 'analysis', weight: weights[weights.length - 1] ?? 0 });
            }
        }
        Object.assign(base, { weights });
        return finishSlots({ strategy: 'canary', ...base, weights, steps, onFailure, notes }, active, options.keepPreviousMs, previousVersion);
    }
    return finishSlots({ strategy: 'blue-green', ...base, steps, onFailure, notes }, active, options.keepPreviousMs, previousVersion);
}
/**
 * Slots fail closed: traffic that reached the new slot goes back to the stable one, the new
 * slot's evidence is taken while it still runs, then the new version is stopped — except on a
 * first deployment that already routed to it, where nothing else could serve.
 */
function slotFailurePath(idle, active, version, previousVersion, targets) {
    const path = [];
    if (active)
        path.push({
            kind: 'route-back',
            weights: Object.fromEntries(targets.map(t => [t.name, t === active ? 100 : 0])),
            slot: active.name,
            version: previousVersion,
            when: 'traffic-moved'
        });
    path.push({ kind: 'diagnose', targets: [idle.name], version, when: 'target-failed' });
    path.push({
        kind: 'tear-down',
        targets: [idle.name],
        version,
        when: active ? 'always' : 'traffic-not-moved'
    });
    return path;
}
function finishSlots(plan, active, keepPreviousMs, previousVersion) {
    if (!active)
        return plan;
    if (keepPreviousMs <= 0)
        plan.steps.push({ kind: 'retire', targets: [active.name], version: previousVersion });
    else
        plan.notes.push(`slot ${active.name} (${previousVersion}) stays warm for rollback by route-back`);
    return plan;
}
const batchPrefix = (batch) => (batch ? `batch ${batch}: ` : '');
/** One line per step, for logs and the summary. */
function describeStep(step) {
    switch (step.kind) {
        case 'prepare':
            return `${batchPrefix(step.batch)}prepare ${step.version} on ${step.targets.join(', ')}`;
        case 'health':
            return `${batchPrefix(step.batch)}health gate ${step.targets.join(', ')}`;
        case 'migrate':
            return 'run migrate-command';
        case 'route':
            return `route: ${step.label} (${Object.entries(step.weights)
                .map(([n, w]) => `${n}=${w}`)
                .join(', ')})`;
        case 'pause':
            return `pause ${Math.round(step.ms / 100) / 10}s`;
        case 'analysis':
            return `analysis at ${step.weight}%`;
        case 'retire':
            return `retire ${step.version ?? ''} on ${step.targets.join(', ')}`.replace('  ', ' ');
        case 'drain':
            return `batch ${step.batch}: drain ${step.targets.join(', ')}`;
        case 'enable':
            return `batch ${step.batch}: re-enable ${step.targets.join(', ')}`;
    }
}
/** One line per failure-path step, for the summary and logs. */
function describeFailureStep(step) {
    switch (step.kind) {
        case 'route-back':
            return `if traffic moved: route back 100% to stable ${step.slot} (${step.version ?? 'its version'})`;
        case 'diagnose':
            return `if ${step.targets.join(', ')} failed its prepare, health gate or analysis: collect its evidence`;
        case 'tear-down':
            return `${step.when === 'always' ? '' : 'if no traffic moved: '}tear down ${step.version} on ${step.targets.join(', ')}`;
        case 'restore':
            return `restore batch ${step.batch} if reached: ${step.hosts
                .map(h => `${h.name} → ${h.version ?? 'nothing to return to'}`)
                .join(', ')}`;
    }
}

;// CONCATENATED MODULE: ./packages/strategies/src/execute.ts





/**
 * Executes a plan, step by step, then on a failure its failure path (`plan.onFailure`): traffic
 * goes back to the stable version (slots), or the failed batch and every host an earlier batch
 * moved go back to the previous version (rolling), BEFORE this returns. Never throws for a
 * failed deployment: the result says `failure` with the reason, and the provider's evidence for
 * the targets that failed.
 */
async function executePlan(options) {
    const { provider, plan, request } = options;
    const clock = options.clock ?? ports/* systemClock */.m;
    const started = clock.now();
    const timeline = [];
    const analyses = [];
    const diagnostics = [];
    const log = options.log ?? (() => undefined);
    // Waits log while they wait only when someone reads the log.
    const waitProgress = options.log
        ? { log: options.log, everyMs: options.progressEveryMs }
        : undefined;
    const record = (step, detail, ok = true) => {
        timeline.push({ atMs: clock.now() - started, step, detail, ok });
        log(`${ok ? '✓' : '✗'} ${step}: ${detail}`);
    };
    const byName = new Map(provider.targets.map(t => [t.name, t]));
    const target = (name) => byName.get(name);
    const gate = (targets, version) => (0,health_gate/* healthGate */.Yr)(provider, targets, request, record, version, clock, waitProgress);
    const progress = {
        trafficMoved: false,
        weights: {},
        batches: new Map()
    };
    const finish = (status, error) => ({
        plan,
        status,
        timeline,
        error,
        analyses,
        ...(diagnostics.length ? { diagnostics } : {}),
        durationMs: clock.now() - started
    });
    // The weights the last route step set, for the pause's progress lines.
    let routed = {};
    // A canary's place for onCanaryStep: the weight step reached and the last analysis finished.
    const canarySteps = plan.steps.filter(s => s.kind === 'route').length;
    let canaryStep = 0;
    let lastAnalysis;
    const reportCanaryStep = async (weights) => {
        if (plan.strategy !== 'canary' || !options.onCanaryStep)
            return;
        canaryStep++;
        try {
            await options.onCanaryStep({
                step: canaryStep,
                steps: canarySteps,
                weights: { ...weights },
                ...(lastAnalysis ? { analysis: lastAnalysis } : {})
            });
        }
        catch (error) {
            log(`Could not record the canary's step ${canaryStep}/${canarySteps}: ${(0,errors/* errorMessage */.gJ)(error)}`);
        }
    };
    const run = async (step) => {
        switch (step.kind) {
            case 'prepare':
                return step.batch === undefined
                    ? prepareSlot(step.targets, step.version)
                    : prepareBatch(step);
            case 'health':
                return gate(step.targets.map(target), step.version);
            case 'migrate':
                return runMigrate(request, record);
            case 'route':
                await provider.router.setWeights(step.weights);
                progress.trafficMoved = true;
                routed = step.weights;
                record('route', detailOf(step));
                return reportCanaryStep(step.weights);
            case 'pause': {
                const until = clock.now() + step.ms;
                const at = Object.entries(routed)
                    .map(([name, weight]) => `${name}=${weight}`)
                    .join(' ');
                await (0,health_gate/* waitBeat */.M5)(clock, waitProgress, () => `pause: ${(0,duration/* formatDuration */.a)(Math.max(0, until - clock.now()))} of ${(0,duration/* formatDuration */.a)(step.ms)} left${at ? ` (weights ${at})` : ''}`).sleep(step.ms);
                return record('pause', detailOf(step));
            }
            case 'analysis': {
                const result = await analyse(options, target(plan.slot), clock, waitProgress);
                analyses.push(result);
                lastAnalysis = { weight: step.weight, ok: result.ok, reason: result.reason };
                record('analysis', `at ${step.weight}%: ${result.reason}`, result.ok);
                if (!result.ok)
                    throw new health_gate/* GateFailure */.In(`analysis failed at ${step.weight}%: ${result.reason}`);
                return;
            }
            case 'retire':
                await clock.sleep(request.drainDelayMs ?? 0);
                try {
                    await provider.retire(target(step.targets[0]), { version: step.version ?? '' });
                    return record('retire', detailOf(step));
                }
                catch (error) {
                    // Traffic already left it: a failed retire is reported, it does not fail the deploy.
                    return record('retire', `${describeStep(step)} failed (left running): ${(0,errors/* errorMessage */.gJ)(error)}`, false);
                }
            case 'drain':
                // Out of service from the moment its weights are asked for: a failure restores it.
                progress.batches.set(step.batch, 'out');
                progress.weights = { ...step.weights };
                await provider.router.setWeights({ ...step.weights });
                record(`batch ${step.batch}`, `drained ${step.targets.join(', ')}`);
                return clock.sleep(request.drainDelayMs ?? 0);
            case 'enable':
                progress.weights = { ...step.weights };
                await provider.router.setWeights({ ...step.weights });
                record(`batch ${step.batch}`, `re-enabled ${step.targets.join(', ')}`);
                progress.batches.set(step.batch, 'in');
                return;
            default: {
                const never = step;
                throw new Error(`unknown plan step ${JSON.stringify(never)}`);
            }
        }
    };
    async function prepareSlot(names, version) {
        for (const name of names) {
            await provider.prepare(target(name), {
                version,
                previousVersion: options.live[name]?.version
            });
            record('prepare', [`${version} on ${name}`, provider.prepared?.(target(name))].filter(Boolean).join(': '));
        }
    }
    async function prepareBatch(step) {
        // Hosts of one batch are updated in parallel; the first failure fails the batch.
        const prepared = await Promise.allSettled(step.targets.map(name => provider.prepare(target(name), {
            version: step.version,
            previousVersion: options.live[name]?.version
        })));
        const failed = prepared.find((r) => r.status === 'rejected');
        if (failed)
            throw failed.reason;
        record(`batch ${step.batch}`, `updated ${step.targets.join(', ')} to ${step.version}`);
    }
    let failedAt;
    try {
        for (const step of plan.steps) {
            failedAt = step;
            await run(step);
        }
    }
    catch (error) {
        const reason = (0,errors/* errorMessage */.gJ)(error);
        record('failed', reason, false);
        const undoStarted = timeline.length;
        await runFailurePath({
            provider,
            plan,
            request,
            clock,
            record,
            gate,
            progress,
            failedAt,
            diagnostics
        });
        // The failure path records what it could not undo and goes on: the result must say so too,
        // because then traffic may NOT be back on the previous version.
        const undoFailed = timeline.slice(undoStarted).filter(event => !event.ok);
        if (undoFailed.length === 0)
            return finish('failure', reason);
        return {
            ...finish('failure', reason),
            undoFailed: undoFailed.map(event => `${event.step}: ${event.detail}`)
        };
    }
    return finish(plan.strategy === 'blue-green' && !plan.steps.some(s => s.kind === 'route')
        ? 'prepared'
        : 'success');
}
async function runMigrate(request, record) {
    try {
        await request.migrate();
        record('migrate', 'migrate-command succeeded');
    }
    catch (error) {
        throw new health_gate/* GateFailure */.In(`migrate-command failed (no traffic moved): ${(0,errors/* errorMessage */.gJ)(error)}`);
    }
}
async function analyse(options, canary, clock, progress) {
    if (!options.analysis)
        return { ok: true, reason: 'no analysis configured', samples: [], failures: 0, durationMs: 0 };
    return (0,analysis/* runAnalysis */.A)(options.analysis.policy, options.analysis.metrics(canary), () => clock.now(), ms => clock.sleep(ms), progress);
}
/**
 * The timeline's step column names the kind, so its detail is the rest of the step's line:
 * "route: switch (blue=0, green=100)", never "route: route: switch …".
 */
function detailOf(step) {
    const line = describeStep(step);
    const kind = new RegExp(`^${step.kind}:? `);
    return line.replace(kind, '');
}

;// CONCATENATED MODULE: ./packages/strategies/src/run.ts




/**
 * The whole deploy-strategy step: read what is live, plan, (dry-run stops here), record the
 * Deployment as in_progress, execute, record success or failure. The provider is always closed.
 */
async function runDeploy(config, record, log = () => undefined, clock = ports/* systemClock */.m, gate) {
    const { provider } = config;
    let gateEvent;
    try {
        let live = await provider.current();
        if (Object.keys(live).length === 0 && record)
            live = await liveFromLedger(record, config);
        const plan = makePlan(provider.targets, live, config.request);
        const planned = {
            version: plan.version,
            previousVersion: plan.previousVersion,
            targets: plan.batches ? plan.batches.flat() : plan.slot ? [plan.slot] : []
        };
        const perHost = provider.describe?.(planned);
        if (perHost?.length)
            plan.perHost = perHost;
        // The target's own check of what the run would apply (kubernetes: a server-side dry run).
        const checked = config.dryRun ? await provider.dryRun?.(planned) : undefined;
        if (checked?.length)
            plan.perHost = [...(plan.perHost ?? []), ...checked];
        log(`Plan (${plan.strategy} ${plan.version}):\n${plan.steps.map((s, i) => `  ${i + 1}. ${describeStep(s)}`).join('\n')}`);
        const outputsFor = (deployment, result) => ({
            'deployment-id': deployment ? String(deployment.id) : undefined,
            version: plan.version,
            'previous-version': plan.previousVersion ?? '',
            strategy: plan.strategy,
            slot: plan.slot ?? '',
            'environment-url': record?.environmentUrl ?? config.environmentUrl ?? '',
            status: result?.status ?? 'dry-run',
            'rollback-target': plan.rollbackTarget,
            plan: JSON.stringify(plan)
        });
        if (config.dryRun) {
            const result = { plan, status: 'dry-run', timeline: [], durationMs: 0, analyses: [] };
            return { result, plan, live, outputs: outputsFor(undefined, result) };
        }
        // Every host reachable (and verified) before the first change.
        await provider.check();
        let gatePayload = {};
        if (gate) {
            const started = clock.now();
            const passed = await gate.run();
            const event = {
                atMs: 0,
                step: gate.name,
                detail: passed.detail,
                ok: passed.ok
            };
            if (!passed.ok) {
                const reason = `${passed.detail} (nothing was changed: no target prepared, no traffic moved, no Deployment recorded)`;
                log(`✗ ${gate.name}: ${reason}`);
                const result = {
                    plan,
                    status: 'failure',
                    timeline: [{ ...event, detail: reason }],
                    error: reason,
                    durationMs: clock.now() - started,
                    analyses: []
                };
                return { result, plan, live, outputs: outputsFor(undefined, result) };
            }
            log(`✓ ${gate.name}: ${passed.detail}`);
            gatePayload = passed.payload ?? {};
            gateEvent = event;
        }
        // Work that touches nothing running (the docker provider pulls or loads the image on every
        // host): a failure here ends the deploy with nothing changed and no Deployment recorded.
        let staged = {};
        if (provider.stage) {
            const started = clock.now();
            try {
                staged = await provider.stage({
                    version: plan.version,
                    previousVersion: plan.previousVersion
                });
            }
            catch (error) {
                const reason = `staging ${plan.version} failed (nothing was changed: no container started, no traffic moved, no Deployment recorded): ${(0,errors/* errorMessage */.gJ)(error)}`;
                log(`✗ stage: ${reason}`);
                const result = {
                    plan,
                    status: 'failure',
                    timeline: [{ atMs: clock.now() - started, step: 'stage', detail: reason, ok: false }],
                    error: reason,
                    durationMs: clock.now() - started,
                    analyses: []
                };
                return { result, plan, live, outputs: outputsFor(undefined, result) };
            }
        }
        let deployment;
        if (record) {
            const started = await record.records.start({
                environment: config.environment,
                version: config.version,
                deploymentId: record.deploymentId,
                productionEnvironment: record.productionEnvironment,
                transientEnvironment: record.transientEnvironment,
                fallbackRef: record.fallbackRef,
                payload: {
                    version: config.version,
                    artifact: config.artifact,
                    strategy: config.strategy,
                    slot: plan.slot,
                    previous_slot: plan.previousSlot,
                    hosts: plan.batches?.flat(),
                    previous_version: plan.previousVersion,
                    backup_id: record.backupId,
                    // The image as staged (`repo@sha256:…`) and its id: a rollback runs exactly this.
                    ...staged,
                    keep_previous_ms: 'keepPreviousMs' in config.request.options
                        ? config.request.options.keepPreviousMs
                        : undefined,
                    ...gatePayload
                }
            });
            deployment = started.deployment;
            log(`${started.created ? 'Created' : 'Continuing'} deployment ${deployment.id} for ${config.environment}`);
            await record.records.setStatus(deployment.id, 'in_progress', `${plan.strategy} of ${plan.version} started`, { environmentUrl: record.environmentUrl });
        }
        const result = await executePlan({
            provider,
            plan,
            request: config.request,
            live,
            analysis: config.analysis,
            log,
            clock,
            // One in_progress status per canary weight step: `slipway status` reads the step, the
            // weights and the last analysis from it. Blue-green and rolling record no more than before.
            onCanaryStep: record && deployment ? canaryStatus(record, deployment.id) : undefined
        });
        if (result.status === 'success' &&
            plan.previousSlot &&
            config.request.options.strategy !== 'rolling') {
            const keep = 'keepPreviousMs' in config.request.options ? config.request.options.keepPreviousMs : 0;
            if (keep > 0)
                result.warmUntil = new Date(clock.now() + keep).toISOString();
        }
        if (record && deployment) {
            const description = result.status === 'success'
                ? `${plan.version} live via ${plan.strategy}${plan.slot ? ` on ${plan.slot}` : ''}`
                : result.status === 'prepared'
                    ? `${plan.version} prepared on ${plan.slot}; waiting for the switch`
                    : result.undoFailed
                        ? `failed and NOT undone, traffic may not be on ${plan.previousVersion ?? 'previous'}: ${result.error ?? ''}`
                        : `failed, traffic on ${plan.previousVersion ?? 'previous'}: ${result.error ?? ''}`;
            const state = result.status === 'success'
                ? 'success'
                : result.status === 'prepared'
                    ? 'queued'
                    : 'failure';
            try {
                await record.records.setStatus(deployment.id, state, description, {
                    environmentUrl: record.environmentUrl
                });
            }
            catch (error) {
                log(`Could not record the ${state} status on deployment ${deployment.id}: ${(0,errors/* errorMessage */.gJ)(error)}`);
                if (result.status !== 'failure')
                    throw error;
            }
        }
        if (staged.image)
            result.timeline.unshift({
                atMs: 0,
                step: 'stage',
                detail: `image ${staged.image}${staged.image_id ? ` (${staged.image_id})` : ''} on every host`,
                ok: true
            });
        if (gateEvent)
            result.timeline.unshift(gateEvent);
        return { result, plan, live, deployment, outputs: outputsFor(deployment, result), staged };
    }
    finally {
        await provider.close().catch(() => undefined);
    }
}
/** Records a canary's weight step as its Deployment's in_progress status. */
function canaryStatus(record, deploymentId) {
    return async (progress) => {
        await record.records.setStatus(deploymentId, 'in_progress', describeCanaryProgress(progress), {
            environmentUrl: record.environmentUrl
        });
    };
}
/** The job summary: what was planned, what happened when, and where to look. */
function renderSummary(summary, config, outcome, links = {}) {
    const { plan, result } = outcome;
    const icon = { success: '✅', failure: '❌', prepared: '⏸️', 'dry-run': '📝' }[result.status];
    summary.heading(`${icon} deploy-strategy: ${plan.strategy} ${plan.version} → ${config.environment}${result.status === 'dry-run' ? ' (dry run)' : ''}`);
    if (result.error)
        summary.paragraph(`**Failed:** ${result.error}`);
    if (result.undoFailed)
        summary.paragraph(`> ⚠️ **Undoing the deploy failed too**: traffic may NOT be on ${plan.previousVersion ?? 'the previous version'}. ${result.undoFailed.join('; ')}`);
    if (config.health.kind === 'none')
        summary.paragraph('> ⚠️ **The health gate is off** (`health-check: none`): no probe reached the new version before traffic moved to it.');
    summary.table(['', ''], [
        ['Version', plan.version],
        ['Previous version', plan.previousVersion ?? '—'],
        ['Strategy', plan.strategy],
        ['Provider / router', `${config.provider.name} / ${config.provider.router.name}`],
        ...(plan.slot
            ? [['Slot', `${plan.slot}${plan.previousSlot ? ` (previous: ${plan.previousSlot})` : ''}`]]
            : []),
        ...(plan.weights?.length
            ? [['Canary weights', plan.weights.map(w => `${w}%`).join(' → ')]]
            : []),
        ...(plan.batches
            ? [['Batches', plan.batches.map((b, i) => `${i + 1}: ${b.join(', ')}`).join('; ')]]
            : []),
        ...(outcome.staged?.image ? [['Image', outcome.staged.image]] : []),
        ['Health check', config.health.describe],
        ['Rollback target', plan.rollbackTarget],
        ...(outcome.deployment ? [['Deployment', `#${outcome.deployment.id}`]] : []),
        ...(result.warmUntil ? [['Previous slot warm until', result.warmUntil]] : []),
        ['Duration', (0,duration/* formatDuration */.a)(result.durationMs)]
    ]);
    if (config.provider.router.dropsConnectionsOnChange && result.status !== 'dry-run') {
        summary.paragraph(`> ${config.provider.router.name} applies weights by reloading; clients reusing idle keep-alive connections at that moment can see a reset.`);
    }
    summary.heading('Plan', 3);
    summary.list(plan.steps
        .map((step, index) => `${index + 1}. ${describeStep(step)}`)
        .concat(plan.notes.map(n => `_${n}_`)));
    if (plan.onFailure.length) {
        summary.heading('On failure', 3);
        summary.list(plan.onFailure.map((step, index) => `${index + 1}. ${describeFailureStep(step)}`));
    }
    if (plan.perHost?.length) {
        summary.heading('Per host', 3);
        summary.list(plan.perHost);
    }
    if (config.describeAnalysis.length) {
        summary.heading('Analysis', 3);
        summary.list(config.describeAnalysis);
    }
    renderTimeline(summary, result.timeline);
    renderDiagnostics(summary, result.diagnostics ?? [], config.redactor);
    if (links.logUrl)
        summary.paragraph((0,src_summary/* link */.nf)('Workflow run', links.logUrl));
}
/** The provider's evidence for each failed target, folded away under the timeline, redacted. */
function renderDiagnostics(summary, diagnostics, redactor) {
    for (const { target, text } of diagnostics) {
        const clean = redactor ? redactor.redact(text) : text;
        const fence = clean.includes('```') ? '````' : '```';
        summary.details(`Container logs: ${target}`, `${fence}text\n${clean}\n${fence}`);
    }
}
/**
 * When the provider cannot tell what runs where (a script provider without current-command),
 * the environment's Deployment history can: the last good deployment's payload names the
 * version and the slot or hosts serving it.
 */
async function liveFromLedger(record, config) {
    const last = await record.records.lastGood(config.environment);
    const version = last?.payload.version;
    if (!last || !version)
        return {};
    const names = new Set(config.provider.targets.map(t => t.name));
    if (config.strategy !== 'rolling' && last.payload.slot && names.has(last.payload.slot)) {
        return { [last.payload.slot]: { version, weight: 100 } };
    }
    if (config.strategy === 'rolling' && last.payload.hosts) {
        return Object.fromEntries(last.payload.hosts.filter(h => names.has(h)).map(h => [h, { version, weight: 1 }]));
    }
    return {};
}
/** The timeline table shared by the deploy and rollback summaries. */
function renderTimeline(summary, timeline) {
    if (timeline.length === 0)
        return;
    summary.heading('Timeline', 3);
    summary.table(['At', 'Step', 'Detail'], timeline.map(e => [`+${(0,duration/* formatDuration */.a)(e.atMs)}`, `${e.ok ? '✓' : '✗'} ${e.step}`, e.detail]));
}

// EXTERNAL MODULE: ./packages/kit/src/child-env.ts
var child_env = __webpack_require__(52732);
// EXTERNAL MODULE: ./packages/kit/src/exec.ts
var exec = __webpack_require__(42783);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./packages/kit/src/redact.ts
var redact = __webpack_require__(20727);
// EXTERNAL MODULE: ./packages/backup/src/source.ts
var src_source = __webpack_require__(60647);
;// CONCATENATED MODULE: ./packages/backup/src/context.ts





const DEFAULT_TIMEOUT_MS = 60 * 60 * 1000;
function context_driverContext(options) {
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
    return (0,child_env/* childEnvironment */.Qc)(engines, source);
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
        forget = (0,children/* onCleanup */.Ki)(removeNow);
    return {
        path,
        remove: () => {
            forget();
            removeNow();
        }
    };
}
/** Accepts a parsed Connection or a spec; registers its password with the redactor either way. */
function context_toConnection(source, context) {
    const connection = 'display' in source ? source : (0,src_source/* parseSource */.PJ)({ ...source, env: source.env ?? context.env });
    if (connection.password)
        context.redactor.add(connection.password);
    return connection;
}
/**
 * Waits for a pipeline and the programs around it, and reports the most telling failure:
 * a broken pipe or a killed program is usually the consequence of another failure.
 */
async function context_settleAll(promises) {
    const results = await Promise.allSettled(promises);
    const errors = results
        .filter((r) => r.status === 'rejected')
        .map(r => r.reason);
    if (errors.length === 0)
        return;
    const consequence = /EPIPE|premature close|SIGPIPE|SIGTERM|write after end|aborted/i;
    throw (errors.find(error => !consequence.test(String(error?.message ?? error))) ?? errors[0]);
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
async function find_findBackup(store, id, name, selection) {
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

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(31421);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
;// CONCATENATED MODULE: ./packages/backup/src/programs.ts






function startProgram(command, args, options = {}) {
    const redactor = options.redactor ?? new redact/* Redactor */.pO();
    const label = options.label ?? command;
    // Tracked: a cancelled action (SIGINT/SIGTERM) stops it instead of leaving it running.
    (0,children/* installSignalHandlers */.Xd)();
    const child = (0,children/* trackChild */.yH)((0,external_node_child_process_.spawn)(command, args, {
        cwd: options.cwd,
        env: (0,child_env/* spawnEnvironment */.hw)(options.env, options.baseEnv),
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
function programs_programStage(command, args, options = {}) {
    const program = startProgram(command, args, options);
    const stream = external_node_stream_.Duplex.from({ writable: program.stdin, readable: program.stdout });
    return { stream, done: program.done };
}
/** The first of `names` found on PATH, or undefined. */
function programs_findProgram(names, env = process.env) {
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
        found = (0,exec/* run */.eF)(program, args, {
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
                await Promise.race([program.done.catch(() => undefined), delay(5000)]);
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
const delay = (ms) => new Promise(resolve => setTimeout(resolve, ms).unref());
/**
 * Runs a program that reads `input` on stdin. A PipeSource is started here and its stdout
 * pipe handed to this program (spawned in the same tick, so Node never reads from it); a
 * stream is fed by Node with backpressure. The producer's failure is reported first.
 */
async function runWithInput(command, args, options, input) {
    if (typeof input === 'function') {
        const producer = input();
        const consumer = startProgram(command, args, { ...options, stdinFrom: producer.stream });
        return context_settleAll([producer.done, consumer.done]);
    }
    const program = startProgram(command, args, options);
    await settle(feed(input, program), program.done, program.kill);
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
        const glob = await Promise.all(/* import() */[__webpack_require__.e(752), __webpack_require__.e(961)]).then(__webpack_require__.bind(__webpack_require__, 45961));
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
        ? programs_findProgram(['mariadb', 'mysql'], context.env)
        : programs_findProgram(['mysql', 'mariadb'], context.env)) ?? 'mysql';
    const dumper = (mariadb
        ? programs_findProgram(['mariadb-dump', 'mysqldump'], context.env)
        : programs_findProgram(['mysqldump', 'mariadb-dump'], context.env)) ?? 'mysqldump';
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
        const result = await (0,exec/* run */.eF)(client, [
            `--defaults-extra-file=${own ? (0,external_node_path_.join)(own.path, 'client.cnf') : optionFile()}`,
            '--connect-timeout=10',
            '--batch',
            '--skip-column-names',
            '--default-character-set=utf8mb4',
            ...(db ? ['--database', db] : []),
            ...(options.script === undefined ? ['-e', query] : [])
        ], { ...common, input: options.script, maxOutputBytes: 16 * 1024 * 1024 }).finally(() => own?.remove());
        if (result.exitCode !== 0)
            throw new Error((0,exec/* describeFailure */.Ic)(result));
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
        const forget = (0,children/* onCleanup */.Ki)(async () => {
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
const HEAD_BYTES = (/* unused pure expression or super */ null && (64 * 1024));
/** A pass-through stage that keeps the first bytes that flow through it (a dump's header). */
class HeadStage extends (/* unused pure expression or super */ null && (Transform)) {
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
    const resolved = resolvePgProgram(name, (0,child_env/* spawnEnvironment */.hw)(env, baseEnv));
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
        const result = await (0,exec/* run */.eF)(command, ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-d', conninfo(db), '-c', sql], { ...options, maxOutputBytes: 16 * 1024 * 1024 });
        // Named as the user knows it, whichever path started it.
        if (result.exitCode !== 0)
            throw new Error((0,exec/* describeFailure */.Ic)({ ...result, command: 'psql' }));
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

// EXTERNAL MODULE: external "node:stream/promises"
var promises_ = __webpack_require__(46466);
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
        const result = await (0,exec/* run */.eF)('sqlite3', ['-bail', '-batch', ...busyTimeout, db, ...commands], {
            ...common,
            maxOutputBytes: 16 * 1024 * 1024
        });
        if (result.exitCode !== 0)
            throw new Error((0,exec/* describeFailure */.Ic)(result));
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
            const forget = (0,children/* onCleanup */.Ki)(() => (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true }));
            try {
                const staged = (0,external_node_path_.join)(dir, 'restore.sqlite');
                if (typeof input === 'function') {
                    const producer = input();
                    await context_settleAll([producer.done, (0,promises_.pipeline)(producer.stream, (0,external_node_fs_.createWriteStream)(staged))]);
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




function engines_createDriver(connection, context) {
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

;// CONCATENATED MODULE: ./packages/backup/src/codec.ts



/** `auto` means zstd when the `zstd` program is on PATH (faster, multi-threaded), else gzip. */
function resolveCompression(choice, env = process.env) {
    if (choice === 'auto')
        return findProgram(['zstd'], env) ? 'zstd' : 'gzip';
    if (choice === 'zstd' && !findProgram(['zstd'], env))
        throw new InputError('compression', 'zstd only when the zstd program is installed (or auto, gzip, none)', choice);
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
        const stage = programs_programStage('zstd', ['-q', '-d', '-c'], { label: 'zstd decompression' });
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
            throw new InputError('encrypt-recipients', 'age recipients (age1…)', recipient);
        }
    }
    return {
        stream: async function* (source) {
            const encrypted = await encrypter.encrypt(Readable.toWeb(Readable.from(source)));
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
class HashStage extends (/* unused pure expression or super */ null && (Transform)) {
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

// EXTERNAL MODULE: ./packages/kit/src/progress.ts
var progress = __webpack_require__(41485);
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
        this.beat = (0,progress/* heartbeat */.jQ)({ info: log }, { now: () => clock.now(), sleep: ports/* systemClock */.m.sleep }, everyMs, elapsed => {
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
function integrity_fileProgress(context, label) {
    return { log: context.log, label, everyMs: context.progressEveryMs, clock: context.clock };
}
/**
 * Reads the whole file once and compares size and SHA-256 with the manifest, before anything is
 * restored. On a large backup this pass takes a while of its own: it logs its progress too.
 */
async function integrity_checkIntegrity(path, manifest, progress) {
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
async function integrity_decodeBackup(path, manifest, identities, progress) {
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

// EXTERNAL MODULE: ./packages/backup/src/types.ts
var types = __webpack_require__(2609);
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
        throw new InputError('engine', `the engine of backup ${manifest.id} (${manifest.engine})`, connection.engine);
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

;// CONCATENATED MODULE: ./packages/backup/src/restore.ts










/**
 * Restores a backup: SHA-256 checked against the manifest first (a corrupted file restores
 * nothing), then streamed through decryption and decompression into the client program.
 * A non-empty target is refused unless `clean` is set. Rollback calls this.
 */
async function restore_restore(options) {
    const context = context_driverContext(options);
    const spec = options.target;
    const engines = requestedEngines(spec);
    const source = options.source ? context_toConnection(options.source, context) : undefined;
    const manifest = await find_findBackup(options.store, options.id, options.name, {
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
        connection = (0,src_source/* parseSource */.PJ)({
            ...spec,
            engine: spec.engine ?? manifest.engine,
            env: spec.env ?? context.env
        });
    connection = context_toConnection(connection, context);
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
    const driver = engines_createDriver(connection, context);
    try {
        if (connection.engine !== 'sqlite' && connection.engine !== 'files')
            await driver.probe({ target: true });
        if (!options.clean && !(await driver.isEmpty())) {
            throw new NonEmptyTargetError(`the restore target ${connection.display} is not empty; set clean: true to replace its content with backup ${manifest.id}`);
        }
        const opened = await options.store.open(manifest);
        try {
            const progress = integrity_fileProgress(context, `restore ${manifest.id}`);
            await integrity_checkIntegrity(opened.path, manifest, progress);
            context.log(`Restoring ${manifest.id} into ${connection.display}`);
            const decoded = await integrity_decodeBackup(opened.path, manifest, options.identities ?? [], progress);
            await context_settleAll([
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
        return [(0,src_source/* checkEngine */.Xx)(spec.engine)];
    const fromUrl = (0,src_source/* engineFromUrl */.KQ)(spec.url);
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
        return context_toConnection({ ...spec, engine: spec.engine ?? engines[0] }, context).display;
    }
    catch {
        return undefined; // not a complete source (a directory to restore files into)
    }
}

;// CONCATENATED MODULE: ./packages/backup/src/rehearsal/client.ts






/** Field and record separators no catalog value holds: rows split without guessing at escapes. */
const FIELD = '\x1f';
const RECORD = '\x1e';
function catalogClient(connection, context) {
    switch (connection.engine) {
        case 'postgres':
            return postgresClient(connection, context);
        case 'mysql':
        case 'mariadb':
            return mysqlClient(connection, context);
        case 'sqlite':
            return sqliteClient(connection, context);
        case 'files':
            throw new Error('a files backup holds no database to rehearse a migration on');
    }
}
const split = (output, nullMark) => output
    .replace(/\n$/, '')
    .split(RECORD)
    .filter(record => record !== '')
    .map(record => record.split(FIELD).map(field => (field === nullMark ? null : field)));
/** A NULL as psql and sqlite3 print it: a marker no catalog value equals. */
const NULL_MARK = '\x07NULL\x07';
/** libpq settings as environment variables: the password never appears in argv. */
function client_libpqEnv(connection, database) {
    const env = {
        PGHOST: connection.socket ?? connection.host,
        PGPORT: connection.port ? String(connection.port) : undefined,
        PGUSER: connection.user,
        PGPASSWORD: connection.password,
        PGDATABASE: database ?? connection.database,
        PGSSLMODE: connection.sslMode,
        PGCONNECT_TIMEOUT: '10'
    };
    return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined));
}
function postgresClient(connection, context) {
    const psql = async (sql, database) => {
        const { command, env } = pgClient('psql', { ...client_libpqEnv(connection, database), PGAPPNAME: 'slipway-rehearsal' }, context.env);
        const result = await (0,exec/* run */.eF)(command, [
            '-X',
            '-A',
            '-t',
            '-q',
            '-v',
            'ON_ERROR_STOP=1',
            '-P',
            `null=${NULL_MARK}`,
            '-F',
            FIELD,
            '-R',
            RECORD,
            '-c',
            sql
        ], {
            env,
            baseEnv: context.env,
            redactor: context.redactor,
            timeoutMs: context.timeoutMs,
            maxOutputBytes: 64 * 1024 * 1024
        });
        if (result.exitCode !== 0)
            throw new Error((0,exec/* describeFailure */.Ic)({ ...result, command: 'psql' }));
        return result.stdout;
    };
    return {
        rows: async (sql, database) => split(await psql(sql, database), NULL_MARK),
        exec: async (sql, database) => void (await psql(sql, database))
    };
}
function sqliteClient(connection, context) {
    const sqlite = async (sql, path = connection.path) => {
        const result = await (0,exec/* run */.eF)('sqlite3', [
            '-bail',
            '-batch',
            '-list',
            '-nullvalue',
            NULL_MARK,
            '-separator',
            FIELD,
            '-newline',
            RECORD,
            '-cmd',
            '.timeout 10000',
            path,
            sql
        ], {
            baseEnv: context.env,
            redactor: context.redactor,
            timeoutMs: context.timeoutMs,
            maxOutputBytes: 64 * 1024 * 1024
        });
        if (result.exitCode !== 0)
            throw new Error((0,exec/* describeFailure */.Ic)(result));
        return result.stdout;
    };
    return {
        rows: async (sql, path) => split(await sqlite(sql, path), NULL_MARK),
        exec: async (sql, path) => void (await sqlite(sql, path))
    };
}
/** Option-file value: quoted, with the escapes MySQL/MariaDB option files understand. */
const client_optionValue = (value) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
/** The `[client]` option file a MySQL/MariaDB program reads the connection from (0600). */
function writeOptionFile(connection, dir, database) {
    const lines = ['[client]'];
    if (connection.user)
        lines.push(`user=${client_optionValue(connection.user)}`);
    if (connection.password !== undefined)
        lines.push(`password=${client_optionValue(connection.password)}`);
    if (connection.host)
        lines.push(`host=${client_optionValue(connection.host)}`);
    if (connection.port)
        lines.push(`port=${connection.port}`);
    if (connection.socket)
        lines.push(`socket=${client_optionValue(connection.socket)}`);
    if (connection.sslMode)
        lines.push(`ssl-mode=${client_optionValue(connection.sslMode)}`);
    if (database)
        lines.push(`database=${client_optionValue(database)}`);
    const path = (0,external_node_path_.join)(dir, 'client.cnf');
    (0,external_node_fs_.writeFileSync)(path, `${lines.join('\n')}\n`, { mode: 0o600 });
    return path;
}
/** The batch output's escapes (tabs, newlines, NULs, backslashes) undone. */
const client_unescapeField = (field) => field === 'NULL'
    ? null
    : field.replace(/\\(.)/g, (_, c) => ({ n: '\n', t: '\t', '0': '\0' })[c] ?? c);
function mysqlClient(connection, context) {
    const client = (connection.engine === 'mariadb'
        ? programs_findProgram(['mariadb', 'mysql'], context.env)
        : programs_findProgram(['mysql', 'mariadb'], context.env)) ?? 'mysql';
    const sql = async (query, database) => {
        // Removed when the program exits, or at process exit — not by a cancellation's cleanups,
        // one of which may be this very query (dropping the scratch schema).
        const dir = privateTempDir('slipway-rehearsal-my-', context.env, { untilExit: true });
        try {
            const file = writeOptionFile(connection, dir.path);
            const result = await (0,exec/* run */.eF)(client, [
                `--defaults-extra-file=${file}`,
                '--connect-timeout=10',
                '--batch',
                '--skip-column-names',
                '--default-character-set=utf8mb4',
                ...(database ? ['--database', database] : []),
                '-e',
                query
            ], {
                env: { MYSQL_PWD: undefined },
                baseEnv: context.env,
                redactor: context.redactor,
                timeoutMs: context.timeoutMs,
                maxOutputBytes: 64 * 1024 * 1024
            });
            if (result.exitCode !== 0)
                throw new Error((0,exec/* describeFailure */.Ic)(result));
            return result.stdout;
        }
        finally {
            dir.remove();
        }
    };
    return {
        rows: async (query, database) => (await sql(query, database))
            .split('\n')
            .filter(line => line !== '')
            .map(line => line.split('\t').map(client_unescapeField)),
        exec: async (query, database) => void (await sql(query, database))
    };
}

;// CONCATENATED MODULE: ./packages/backup/src/rehearsal/diff.ts
/** The structural difference between two snapshots, each change classified. */
function diffSnapshots(before, after) {
    const changes = [];
    const old = new Map(before.tables.map(t => [t.name, t]));
    const now = new Map(after.tables.map(t => [t.name, t]));
    for (const table of before.tables)
        if (!now.has(table.name))
            changes.push({
                kind: 'table-dropped',
                table: table.name,
                before: `${table.rows} rows`,
                destructive: true,
                reason: `table ${table.name} and its ${table.rows} rows are gone`
            });
    for (const table of after.tables)
        if (!old.has(table.name))
            changes.push({ kind: 'table-added', table: table.name, destructive: false });
    for (const table of before.tables) {
        const next = now.get(table.name);
        if (next)
            changes.push(...columnChanges(table, next));
    }
    changes.push(...objectChanges('index', before.indexes, after.indexes));
    changes.push(...objectChanges('constraint', before.constraints, after.constraints));
    const rows = [...new Set([...old.keys(), ...now.keys()])].sort().map(table => ({
        table,
        before: old.get(table)?.rows ?? null,
        after: now.get(table)?.rows ?? null
    }));
    for (const { table, before: b, after: a } of rows)
        if (b !== null && a !== null && a < b)
            changes.push({
                kind: 'rows-lost',
                table,
                before: String(b),
                after: String(a),
                destructive: true,
                reason: `${b - a} of ${b} rows of ${table} are gone`
            });
    return {
        changes,
        rows,
        destructive: changes.some(c => c.destructive),
        digest: digestOf(changes)
    };
}
/** Structural equality, row counts aside: what a down-command must give back. */
function structuralDifferences(expected, actual) {
    return diffSnapshots(expected, actual)
        .changes.filter(c => c.kind !== 'rows-lost')
        .map(describeChange);
}
function columnChanges(before, after) {
    const changes = [];
    const old = new Map(before.columns.map(c => [c.name, c]));
    const now = new Map(after.columns.map(c => [c.name, c]));
    const dropped = before.columns.filter(c => !now.has(c.name));
    const added = after.columns.filter(c => !old.has(c.name));
    // A dropped column and an added one of the same type: most likely a rename. Old code still
    // reads the old name, so it is destructive either way; the summary names it for what it is.
    const renamed = new Map();
    for (const column of dropped) {
        const partner = added.find(a => a.type === column.type && ![...renamed.values()].includes(a));
        if (partner)
            renamed.set(column.name, partner);
    }
    for (const column of dropped) {
        const partner = renamed.get(column.name);
        changes.push(partner
            ? {
                kind: 'column-renamed',
                table: before.name,
                object: column.name,
                before: column.name,
                after: partner.name,
                destructive: true,
                reason: `column ${before.name}.${column.name} renamed to ${partner.name} (or dropped and added): the current code reads ${column.name}`
            }
            : {
                kind: 'column-dropped',
                table: before.name,
                object: column.name,
                before: column.type,
                destructive: true,
                reason: `column ${before.name}.${column.name} is dropped with its data`
            });
    }
    for (const column of added) {
        if ([...renamed.values()].includes(column))
            continue;
        const blocking = !column.nullable && column.default === null && before.rows > 0;
        changes.push({
            kind: 'column-added',
            table: before.name,
            object: column.name,
            after: `${column.type}${column.nullable ? '' : ' not null'}${column.default !== null ? ` default ${column.default}` : ''}`,
            destructive: blocking,
            reason: blocking
                ? `column ${before.name}.${column.name} is NOT NULL without a default on a populated table: the current code's inserts fail`
                : undefined
        });
    }
    for (const column of before.columns) {
        const next = now.get(column.name);
        if (!next)
            continue;
        if (next.type !== column.type) {
            const widening = isWidening(column.type, next.type);
            changes.push({
                kind: 'type-changed',
                table: before.name,
                object: column.name,
                before: column.type,
                after: next.type,
                destructive: !widening,
                reason: widening
                    ? undefined
                    : `column ${before.name}.${column.name} changes from ${column.type} to ${next.type}, not a known widening: values may be cut or refused`
            });
        }
        if (next.nullable !== column.nullable) {
            const blocking = !next.nullable && next.default === null && before.rows > 0;
            changes.push({
                kind: 'nullability-changed',
                table: before.name,
                object: column.name,
                before: column.nullable ? 'null' : 'not null',
                after: next.nullable ? 'null' : 'not null',
                destructive: blocking,
                reason: blocking
                    ? `column ${before.name}.${column.name} becomes NOT NULL without a default on a populated table: the current code's inserts without it fail`
                    : undefined
            });
        }
        if (next.default !== column.default)
            changes.push({
                kind: 'default-changed',
                table: before.name,
                object: column.name,
                before: column.default ?? 'none',
                after: next.default ?? 'none',
                destructive: false
            });
    }
    return changes;
}
function objectChanges(what, before, after) {
    const key = (o) => `${o.table}\0${o.name}`;
    const old = new Map(before.map(o => [key(o), o]));
    const now = new Map(after.map(o => [key(o), o]));
    const changes = [];
    for (const object of before) {
        const next = now.get(key(object));
        if (!next)
            changes.push({
                kind: `${what}-dropped`,
                table: object.table,
                object: object.name,
                before: object.definition,
                destructive: false
            });
        else if (next.definition !== object.definition)
            changes.push({
                kind: `${what}-changed`,
                table: object.table,
                object: object.name,
                before: object.definition,
                after: next.definition,
                destructive: false
            });
    }
    for (const object of after)
        if (!old.has(key(object)))
            changes.push({
                kind: `${what}-added`,
                table: object.table,
                object: object.name,
                after: object.definition,
                destructive: false
            });
    return changes;
}
/** Integer widths, smallest first, across the engines' spellings. */
const INTEGERS = [
    ['smallint', 'int2', 'tinyint'],
    ['mediumint'],
    ['integer', 'int', 'int4'],
    ['bigint', 'int8']
];
const integerRank = (type) => INTEGERS.findIndex(names => names.includes(type.replace(/\(\d+\)$/, '').replace(/ unsigned$/, '')));
/** The length or precision in `name(n[,s])`. */
const sized = (type) => {
    const match = /^([a-z ]+?)\s*\((\d+)(?:,\s*(\d+))?\)$/i.exec(type.trim());
    return match
        ? {
            base: match[1].toLowerCase(),
            args: [Number(match[2]), ...(match[3] ? [Number(match[3])] : [])]
        }
        : undefined;
};
const TEXTS = ['text', 'mediumtext', 'longtext', 'clob'];
const VARYING = ['character varying', 'varchar', 'character', 'char', 'nvarchar'];
/**
 * Changes that keep every value: a wider integer, a longer string, text from a bounded string,
 * more precision, single to double precision. Anything else fails closed as narrowing.
 */
function isWidening(from, to) {
    const a = from.toLowerCase().trim();
    const b = to.toLowerCase().trim();
    if (a === b)
        return true;
    const ra = integerRank(a);
    const rb = integerRank(b);
    if (ra >= 0 && rb >= 0)
        return rb >= ra && a.includes('unsigned') === b.includes('unsigned');
    if (ra >= 0 && /^(numeric|decimal)$/.test(b))
        return true;
    const sa = sized(a);
    const sb = sized(b);
    const isText = (t) => TEXTS.includes(t);
    if (sa &&
        VARYING.includes(sa.base) &&
        (isText(b) || b === 'character varying' || b === 'varchar'))
        return true;
    if (sa && sb && VARYING.includes(sa.base) && VARYING.includes(sb.base))
        return sb.args[0] >= sa.args[0] && (/var/.test(sb.base) || sb.base === sa.base);
    if (sa && sb && /^(numeric|decimal)$/.test(sa.base) && sa.base === sb.base) {
        const [pa, xa = 0] = sa.args;
        const [pb, xb = 0] = sb.args;
        return xb >= xa && pb - xb >= pa - xa;
    }
    if (sa && /^(numeric|decimal)$/.test(sa.base) && /^(numeric|decimal)$/.test(b))
        return true;
    if (/^(real|float4|float)$/.test(a) && /^(double precision|float8|double)$/.test(b))
        return true;
    if (isText(a) && isText(b))
        return TEXTS.indexOf(b) >= TEXTS.indexOf(a);
    return false;
}
function describeChange(change) {
    const what = change.object ? `${change.table}.${change.object}` : change.table;
    const detail = change.before !== undefined && change.after !== undefined
        ? `${change.before} → ${change.after}`
        : (change.after ?? change.before ?? '');
    return `${change.kind} ${what}${detail ? `: ${detail}` : ''}`;
}
function digestOf(changes) {
    const canonical = changes.map(describeChange).sort().join('\n');
    return `sha256:${process.getBuiltinModule('node:crypto').createHash('sha256').update(canonical).digest('hex')}`;
}

;// CONCATENATED MODULE: ./packages/backup/src/rehearsal/scratch.ts




const pgIdent = (name) => `"${name.replace(/"/g, '""')}"`;
const myIdent = (name) => `\`${name.replace(/`/g, '``')}\``;
/**
 * Creates an empty scratch database beside the production one — a new database on the same
 * PostgreSQL server, a schema on the same MySQL/MariaDB server, a file in a private temp
 * directory for SQLite — and registers its removal with the kit's cleanups, so a cancelled
 * run drops it too.
 */
async function createScratch(production, context) {
    const name = `slipway_rehearsal_${process.getBuiltinModule('node:crypto').randomBytes(5).toString('hex')}`;
    if (production.engine === 'sqlite') {
        const dir = privateTempDir('slipway-rehearsal-', context.env);
        const path = (0,external_node_path_.join)(dir.path, 'scratch.sqlite');
        return {
            connection: { ...production, path, display: `sqlite://${path}`, input: 'scratch' },
            database: path,
            url: `sqlite://${path}`,
            env: { SLIPWAY_DATABASE_PATH: path },
            drop: async () => dir.remove()
        };
    }
    const client = catalogClient(production, context);
    const postgres = production.engine === 'postgres';
    await client.exec(postgres ? `create database ${pgIdent(name)}` : `create database ${myIdent(name)}`);
    let dropping;
    let forget = () => undefined;
    const drop = () => (dropping ??= client
        .exec(postgres
        ? `drop database if exists ${pgIdent(name)} with (force)`
        : `drop database if exists ${myIdent(name)}`)
        .finally(() => forget()));
    forget = (0,children/* onCleanup */.Ki)(drop);
    const connection = {
        ...production,
        database: name,
        display: production.display.replace(/\/[^/]*$/, `/${name}`),
        input: 'scratch'
    };
    return {
        connection,
        database: name,
        url: serverUrl(connection),
        env: postgres ? client_libpqEnv(connection) : {},
        drop
    };
}
/** `scheme://user:password@host:port/database`, with the socket and TLS mode the connection has. */
function serverUrl(connection) {
    const scheme = connection.engine === 'postgres' ? 'postgres' : connection.engine;
    const auth = connection.user
        ? `${encodeURIComponent(connection.user)}${connection.password !== undefined ? `:${encodeURIComponent(connection.password)}` : ''}@`
        : '';
    const host = connection.host
        ? `${connection.host.includes(':') ? `[${connection.host}]` : connection.host}${connection.port ? `:${connection.port}` : ''}`
        : '';
    const query = new URLSearchParams();
    if (connection.socket)
        query.set(connection.engine === 'postgres' ? 'host' : 'socket', connection.socket);
    if (connection.sslMode)
        query.set(connection.engine === 'postgres' ? 'sslmode' : 'ssl-mode', connection.sslMode);
    const search = query.size ? `?${query.toString()}` : '';
    return `${scheme}://${auth}${host}/${encodeURIComponent(connection.database)}${search}`;
}

;// CONCATENATED MODULE: ./packages/backup/src/rehearsal/snapshot.ts
const snapshot_text = (value) => value ?? '';
/** Reads tables, columns, indexes, constraints and exact row counts of one database. */
async function readSnapshot(engine, client, database) {
    switch (engine) {
        case 'postgres':
            return postgresSnapshot(client, database);
        case 'mysql':
        case 'mariadb':
            return mysqlSnapshot(client, database);
        case 'sqlite':
            return sqliteSnapshot(client, database);
        case 'files':
            throw new Error('a files backup has no schema');
    }
}
function tablesFrom(columns, counts, names) {
    const byTable = new Map(names.map(name => [name, []]));
    for (const [table, name, type, nullable, def] of columns) {
        byTable.get(snapshot_text(table))?.push({
            name: snapshot_text(name),
            type: snapshot_text(type),
            nullable: nullable === 't' || nullable === 'YES' || nullable === '1',
            default: def
        });
    }
    return names.map(name => ({
        name,
        columns: byTable.get(name) ?? [],
        rows: counts.get(name) ?? 0
    }));
}
const pgLiteral = (value) => `'${value.replace(/'/g, "''")}'`;
/** User schemas only; `public.` is left off names, other schemas stay qualified. */
const PG_USER_SCHEMA = "n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%' and n.nspname not like 'pg_temp%'";
const PG_NAME = "case when n.nspname = 'public' then '' else n.nspname || '.' end";
async function postgresSnapshot(client, database) {
    const tableRows = await client.rows(`select ${PG_NAME} || c.relname, format('%I.%I', n.nspname, c.relname) from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('r', 'p') and not c.relispartition and ${PG_USER_SCHEMA} order by 1`, database);
    const names = tableRows.map(([name]) => snapshot_text(name));
    const [columns, indexes, constraints, counts] = await Promise.all([
        client.rows(`select ${PG_NAME} || c.relname, a.attname, format_type(a.atttypid, a.atttypmod), case when a.attnotnull then 'f' else 't' end, pg_get_expr(d.adbin, d.adrelid)
       from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
       left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
       where c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped and ${PG_USER_SCHEMA}
       order by 1, a.attnum`, database),
        client.rows(`select ${PG_NAME} || t.relname, i.relname, regexp_replace(pg_get_indexdef(i.oid), ' ON [^ ]+ ', ' ON ' || t.relname || ' ')
       from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid join pg_namespace n on n.oid = t.relnamespace
       where ${PG_USER_SCHEMA} order by 1, 2`, database),
        client.rows(`select ${PG_NAME} || t.relname, c.conname, pg_get_constraintdef(c.oid)
       from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace
       where ${PG_USER_SCHEMA} order by 1, 2`, database),
        tableRows.length === 0
            ? Promise.resolve([])
            : client.rows(tableRows
                .map(([name, qualified]) => `select ${pgLiteral(snapshot_text(name))}, count(*) from ${qualified}`)
                .join(' union all '), database)
    ]);
    return {
        tables: tablesFrom(columns, new Map(counts.map(([name, n]) => [snapshot_text(name), Number(n)])), names),
        indexes: indexes.map(([table, name, definition]) => ({
            table: snapshot_text(table),
            name: snapshot_text(name),
            definition: snapshot_text(definition)
        })),
        constraints: constraints.map(([table, name, definition]) => ({
            table: snapshot_text(table),
            name: snapshot_text(name),
            definition: snapshot_text(definition)
        }))
    };
}
const myLiteral = (value) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const snapshot_myIdent = (name) => `\`${name.replace(/`/g, '``')}\``;
async function mysqlSnapshot(client, database) {
    const schema = myLiteral(database);
    const names = (await client.rows(`select table_name from information_schema.tables where table_schema = ${schema} and table_type = 'BASE TABLE' order by 1`)).map(([name]) => snapshot_text(name));
    const [columns, indexes, constraints, counts] = await Promise.all([
        client.rows(`select table_name, column_name, column_type, is_nullable, column_default from information_schema.columns where table_schema = ${schema} order by table_name, ordinal_position`),
        client.rows(`select table_name, index_name, concat(if(non_unique = 0, 'UNIQUE ', ''), 'INDEX (', group_concat(column_name order by seq_in_index separator ', '), ')') from information_schema.statistics where table_schema = ${schema} group by table_name, index_name, non_unique order by 1, 2`),
        client.rows(`select c.table_name, c.constraint_name, concat(c.constraint_type, coalesce(concat(' (', (select group_concat(k.column_name order by k.ordinal_position separator ', ') from information_schema.key_column_usage k where k.constraint_schema = c.constraint_schema and k.table_name = c.table_name and k.constraint_name = c.constraint_name), ')'), ''), coalesce(concat(' REFERENCES ', r.referenced_table_name), ''))
       from information_schema.table_constraints c left join information_schema.referential_constraints r on r.constraint_schema = c.constraint_schema and r.constraint_name = c.constraint_name and r.table_name = c.table_name
       where c.constraint_schema = ${schema} order by 1, 2`),
        names.length === 0
            ? Promise.resolve([])
            : client.rows(names
                .map(name => `select ${myLiteral(name)}, count(*) from ${snapshot_myIdent(name)}`)
                .join(' union all '), database)
    ]);
    return {
        tables: tablesFrom(columns, new Map(counts.map(([name, n]) => [snapshot_text(name), Number(n)])), names),
        indexes: indexes.map(([table, name, definition]) => ({
            table: snapshot_text(table),
            name: snapshot_text(name),
            definition: snapshot_text(definition)
        })),
        constraints: constraints.map(([table, name, definition]) => ({
            table: snapshot_text(table),
            name: snapshot_text(name),
            definition: snapshot_text(definition)
        }))
    };
}
const sqliteLiteral = pgLiteral;
const sqliteIdent = (name) => `"${name.replace(/"/g, '""')}"`;
async function sqliteSnapshot(client, path) {
    const names = (await client.rows("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by 1", path)).map(([name]) => snapshot_text(name));
    if (names.length === 0)
        return { tables: [], indexes: [], constraints: [] };
    const user = "m.type = 'table' and m.name not like 'sqlite_%'";
    const [columns, indexes, foreignKeys, counts] = await Promise.all([
        client.rows(`select m.name, p.name, p.type, case when p."notnull" or p.pk > 0 then '0' else '1' end, p.dflt_value from sqlite_master m join pragma_table_info(m.name) p where ${user} order by m.name, p.cid`, path),
        client.rows(`select m.name, l.name, case when l."unique" then 'UNIQUE ' else '' end || 'INDEX (' || (select group_concat(i.name, ', ') from pragma_index_info(l.name) i) || ')' || case when l.partial then ' partial' else '' end from sqlite_master m join pragma_index_list(m.name) l where ${user} order by 1, 2`, path),
        client.rows(`select m.name, f.id, group_concat(f."from", ', '), f."table", group_concat(coalesce(f."to", ''), ', ') from sqlite_master m join pragma_foreign_key_list(m.name) f where ${user} group by m.name, f.id order by 1, 2`, path),
        client.rows(names
            .map(name => `select ${sqliteLiteral(name)}, count(*) from ${sqliteIdent(name)}`)
            .join(' union all '), path)
    ]);
    const tables = tablesFrom(columns, new Map(counts.map(([n, c]) => [snapshot_text(n), Number(c)])), names);
    // SQLite keeps a primary key in the column list; as a constraint it compares like the others.
    const primaryKeys = (await client.rows(`select m.name, group_concat(p.name, ', ') from sqlite_master m join pragma_table_info(m.name) p where ${user} and p.pk > 0 group by m.name order by 1`, path)).map(([table, cols]) => ({
        table: snapshot_text(table),
        name: 'primary key',
        definition: `PRIMARY KEY (${snapshot_text(cols)})`
    }));
    const checks = (await client.rows(`select m.name, m.sql from sqlite_master m where ${user} order by 1`, path)).flatMap(([table, sql]) => [...snapshot_text(sql).matchAll(/\bcheck\s*\(/gi)].map((match, i) => ({
        table: snapshot_text(table),
        name: `check ${i + 1}`,
        definition: balanced(snapshot_text(sql), (match.index ?? 0) + match[0].length - 1)
    })));
    return {
        tables,
        indexes: indexes.map(([table, name, definition]) => ({
            table: snapshot_text(table),
            // Automatic indexes are named after their position: compared by what they index.
            name: snapshot_text(name).startsWith('sqlite_autoindex_') ? snapshot_text(definition) : snapshot_text(name),
            definition: snapshot_text(definition)
        })),
        constraints: [
            ...primaryKeys,
            ...foreignKeys.map(([table, , from, target, to]) => ({
                table: snapshot_text(table),
                name: `foreign key (${snapshot_text(from)})`,
                definition: `FOREIGN KEY (${snapshot_text(from)}) REFERENCES ${snapshot_text(target)}${to ? ` (${to})` : ''}`
            })),
            ...checks
        ]
    };
}
/** `CHECK (…)` from the opening parenthesis at `start` to its match. */
function balanced(sql, start) {
    let depth = 0;
    for (let i = start; i < sql.length; i++) {
        if (sql[i] === '(')
            depth++;
        else if (sql[i] === ')' && --depth === 0)
            return `CHECK ${sql.slice(start, i + 1)}`;
    }
    return `CHECK ${sql.slice(start)}`;
}

// EXTERNAL MODULE: ./packages/backup/src/rehearsal/url-variable.ts
var url_variable = __webpack_require__(66650);
;// CONCATENATED MODULE: ./packages/backup/src/rehearsal/rehearse.ts











/**
 * The backup a rehearsal restores, checked against the production database's engine: a
 * missing backup or another engine's is an InputError before anything is created.
 */
async function rehearsalBackup(options, production) {
    const input = options.backupInput ?? 'rehearse-from';
    let manifest;
    try {
        manifest = await find_findBackup(options.store, options.backupId, undefined, options.backupId === 'latest'
            ? { engines: [production.engine], source: production.display }
            : undefined);
    }
    catch (error) {
        if (error instanceof errors/* InputError */.dz)
            throw new errors/* InputError */.dz(input, `the id of a backup of ${production.display} in ${options.store.describe()} (or latest)`, options.backupId);
        throw error;
    }
    if (!compatible(manifest.engine, production.engine))
        throw new errors/* InputError */.dz(production.input, `a ${manifest.engine} database URL: backup ${manifest.id} was taken from ${manifest.engine}`, production.display);
    return manifest;
}
/**
 * Rehearses a migration on a copy of production data: restores the backup into a scratch
 * database beside production, snapshots its schema, runs the migrate-command against it
 * (SLIPWAY_DATABASE_URL and the named variable point at the copy; a minimal environment; a
 * deadline), snapshots again and diffs, then runs the down-command when there is one. The
 * scratch copy is removed in every case, also when the run is cancelled. Production is
 * never connected to except to create and drop the scratch database on its server.
 */
async function rehearseMigration(options) {
    const context = context_driverContext(options);
    (0,url_variable/* checkUrlVariable */.U)(options.urlVariable);
    const spec = options.database;
    // A bare path is a SQLite file; without a URL, the engine's own variables (PGHOST …) name it.
    const engine = 'display' in spec
        ? spec.engine
        : (spec.engine ?? (0,src_source/* engineFromUrl */.KQ)(spec.url) ?? (spec.url ? 'sqlite' : undefined));
    if (!engine)
        throw new errors/* InputError */.dz(('display' in spec ? spec.input : spec.input) ?? 'database-url', 'the production database URL (postgres://…, mysql://…, mariadb://…, or a SQLite path)', undefined);
    const production = context_toConnection('display' in spec ? spec : { ...spec, engine }, context);
    if (production.engine === 'files')
        throw new errors/* InputError */.dz(production.input, 'a database URL (a files backup has no schema)', production.display);
    const manifest = await rehearsalBackup(options, production);
    if (manifest.encryption && !options.identities?.length)
        throw new errors/* InputError */.dz('age-identity', `an age identity: backup ${manifest.id} is encrypted`, undefined);
    const started = Date.now();
    const scratch = await createScratch(production, context);
    let result;
    let failure;
    try {
        result = await rehearseOn(scratch, manifest, options, context);
    }
    catch (error) {
        failure = error;
    }
    let dropError;
    try {
        await scratch.drop();
    }
    catch (error) {
        dropError = error;
    }
    if (failure)
        throw failure;
    const done = result;
    if (dropError) {
        return {
            ...done,
            ok: false,
            error: `${done.error ? `${done.error}; ` : ''}removing the scratch copy ${scratch.connection.display} failed: ${context.redactor.redact(dropError.message)}`,
            scratchRemoved: false,
            durationMs: Date.now() - started
        };
    }
    return { ...done, scratchRemoved: true, durationMs: Date.now() - started };
}
async function rehearseOn(scratch, manifest, options, context) {
    context.log(`Rehearsal: restoring backup ${manifest.id} into ${scratch.connection.display}`);
    const restored = await restore_restore({
        store: options.store,
        id: manifest.id,
        target: scratch.connection,
        identities: options.identities,
        redactor: context.redactor,
        log: context.log,
        timeoutMs: context.timeoutMs,
        env: options.env
    });
    const client = catalogClient(scratch.connection, context);
    const engine = scratch.connection.engine;
    const before = await readSnapshot(engine, client, scratch.database);
    const base = {
        backupId: manifest.id,
        engine,
        scratch: scratch.connection.display,
        restoreMs: restored.durationMs,
        before
    };
    context.log('Rehearsal: running migrate-command against the scratch copy');
    const migration = await runCommand(options.migrateCommand, scratch, options, context);
    if (!migration.ok)
        return {
            ...base,
            ok: false,
            migration,
            error: `migrate-command ${migration.timedOut ? `timed out after ${options.migrationTimeoutMs}ms` : `exited with code ${migration.exitCode}`} on the copy of backup ${manifest.id}; production was not touched${migration.tail ? `: ${migration.tail}` : ''}`
        };
    const after = await readSnapshot(engine, client, scratch.database);
    const diff = diffSnapshots(before, after);
    if (!options.downCommand)
        return { ...base, ok: true, migration, diff, after };
    context.log('Rehearsal: running down-command against the migrated copy');
    const downRun = await runCommand(options.downCommand, scratch, options, context);
    let down;
    if (!downRun.ok)
        down = { ...downRun, restoresSchema: false, differences: [] };
    else {
        const differences = structuralDifferences(before, await readSnapshot(engine, client, scratch.database));
        down = { ...downRun, restoresSchema: differences.length === 0, differences };
    }
    const error = !down.ok
        ? `down-command ${down.timedOut ? `timed out after ${options.migrationTimeoutMs}ms` : `exited with code ${down.exitCode}`} on the migrated copy${down.tail ? `: ${down.tail}` : ''}`
        : !down.restoresSchema
            ? `down-command does not give back the schema of backup ${manifest.id}: ${down.differences.slice(0, 5).join('; ')}`
            : undefined;
    return { ...base, ok: !error, error, migration, down, diff, after };
}
/** A user command under bash, our values only in its environment, under the rehearsal deadline. */
async function runCommand(command, scratch, options, context) {
    // The minimal environment: never the job's own variables, which may name the production
    // database (DATABASE_URL, PGHOST …) the migration must not reach during a rehearsal.
    const base = (0,child_env/* childEnvironment */.Qc)({}, options.env ?? process.env);
    const result = await (0,exec/* run */.eF)('bash', (0,exec/* scriptArgs */.oq)(command), {
        baseEnv: base,
        env: {
            ...options.hookEnv,
            ...scratch.env,
            SLIPWAY_REHEARSAL: 'true',
            SLIPWAY_DATABASE_URL: scratch.url,
            ...(options.urlVariable ? { [options.urlVariable]: scratch.url } : {})
        },
        cwd: options.cwd,
        timeoutMs: options.migrationTimeoutMs,
        redactor: context.redactor
    });
    const tail = (result.stderr || result.stdout).trim().split('\n').slice(-5).join('\n');
    return {
        ok: result.exitCode === 0 && !result.timedOut,
        durationMs: result.durationMs,
        exitCode: result.exitCode,
        timedOut: result.timedOut,
        tail
    };
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

;// CONCATENATED MODULE: ./packages/strategies/src/rehearsal-gate.ts


function verdictOf(result) {
    if (!result.ok)
        return 'failed';
    return result.diff?.destructive ? 'destructive' : 'passed';
}
/**
 * The rehearsal as a deploy gate: restores the backup into a scratch copy, runs the migration
 * there (and the down-command), and refuses the deploy when the migration fails on the copy or
 * is destructive without `allow-destructive-migration: true`. `seen` receives the result,
 * whatever the verdict, for the outputs and the summary.
 */
function rehearsalGate(settings, deploy, redactor, log, seen) {
    return {
        name: 'rehearse-migration',
        async run() {
            const result = await rehearseMigration({
                store: dirStore(settings.storePath),
                backupId: settings.from,
                backupInput: settings.fromInput,
                database: settings.database,
                identities: settings.identities,
                migrateCommand: deploy.migrateCommand,
                downCommand: settings.downCommand,
                urlVariable: settings.urlVariable,
                hookEnv: {
                    SLIPWAY_VERSION: deploy.version,
                    SLIPWAY_ENVIRONMENT: deploy.environment,
                    ...(deploy.artifact ? { SLIPWAY_ARTIFACT: deploy.artifact } : {})
                },
                migrationTimeoutMs: settings.timeoutMs,
                redactor,
                log
            });
            const verdict = verdictOf(result);
            const destructiveChanges = result.diff?.changes.filter(c => c.destructive) ?? [];
            const allowed = verdict === 'destructive' && settings.allowDestructive;
            seen({ verdict, allowed, result });
            const took = `restore ${(0,duration/* formatDuration */.a)(result.restoreMs)}, migration ${(0,duration/* formatDuration */.a)(result.migration.durationMs)}`;
            if (verdict === 'failed')
                return {
                    ok: false,
                    detail: `the migration failed its rehearsal on a copy of backup ${result.backupId} (${took}): ${result.error ?? 'unknown error'}`
                };
            if (verdict === 'destructive' && !allowed)
                return {
                    ok: false,
                    detail: `the migration is destructive on a copy of backup ${result.backupId}: ${destructiveChanges
                        .map(c => c.reason ?? describeChange(c))
                        .join('; ')}; set allow-destructive-migration: true to deploy it anyway`
                };
            return {
                ok: true,
                detail: `migration rehearsed on a copy of backup ${result.backupId}: ${verdict}${allowed ? ' (allowed)' : ''}, ${result.diff?.changes.length ?? 0} change(s) (${took})`,
                payload: {
                    migration_verdict: verdict,
                    migration_destructive: verdict === 'destructive',
                    migration_diff_digest: result.diff?.digest,
                    migration_rehearsal_ms: result.migration.durationMs,
                    migration_backup_id: result.backupId,
                    // Rollback runs it before traffic moves back, only when it was rehearsed here.
                    down_command: settings.downCommand
                        ? (redactor?.redact(settings.downCommand) ?? settings.downCommand)
                        : undefined,
                    down_command_rehearsed: Boolean(result.down?.ok && result.down.restoresSchema)
                }
            };
        }
    };
}
/** The rehearsal's outputs; empty values when nothing was rehearsed. */
function rehearsalOutputs(rehearsal) {
    const r = rehearsal?.result;
    return {
        'migration-verdict': rehearsal?.verdict ?? 'not-rehearsed',
        'migration-destructive': r?.diff ? String(r.diff.destructive) : '',
        'migration-diff-digest': r?.diff?.digest ?? '',
        'migration-rehearsal-duration': r ? String(r.migration.durationMs) : '',
        'migration-changes': r?.diff ? JSON.stringify(r.diff.changes) : ''
    };
}
/** The summary's section: the verdict, the durations, the diff and the row counts. */
function renderRehearsal(summary, rehearsal) {
    if (!rehearsal)
        return;
    const { result, verdict, allowed } = rehearsal;
    const icon = {
        passed: '✅',
        destructive: allowed ? '⚠️' : '⛔',
        failed: '❌',
        'not-rehearsed': ''
    }[verdict];
    summary.heading(`${icon} Migration rehearsal: ${verdict}${allowed ? ' (allowed)' : ''}`, 3);
    summary.table(['', ''], [
        ['Backup', result.backupId],
        ['Scratch copy', `${result.scratch} (${result.scratchRemoved ? 'removed' : 'NOT removed'})`],
        ['Restore', (0,duration/* formatDuration */.a)(result.restoreMs)],
        [
            'Migration (forecast of the production run)',
            `${(0,duration/* formatDuration */.a)(result.migration.durationMs)}${result.migration.ok ? '' : ' — failed'}`
        ],
        ...(result.down
            ? [
                [
                    'down-command',
                    result.down.ok && result.down.restoresSchema
                        ? `gives back the schema (${(0,duration/* formatDuration */.a)(result.down.durationMs)})`
                        : result.down.ok
                            ? `does not give back the schema: ${result.down.differences.slice(0, 5).join('; ')}`
                            : 'failed'
                ]
            ]
            : []),
        ...(result.diff ? [['Diff digest', result.diff.digest]] : [])
    ]);
    if (result.error)
        summary.paragraph(`**Rehearsal:** ${(0,src_summary/* escapeCell */.kq)(result.error)}`);
    if (result.diff?.changes.length)
        summary.table(['Change', 'Table', 'Object', 'Before', 'After', 'Destructive'], result.diff.changes.map(c => [
            c.kind,
            c.table,
            c.object ?? '',
            c.before ?? '',
            c.after ?? '',
            c.destructive ? `yes: ${c.reason ?? ''}` : 'no'
        ]));
    else if (result.diff)
        summary.paragraph('No structural change.');
    if (result.diff?.rows.length)
        summary.details('Row counts before / after the migration', [
            '| Table | Before | After |',
            '| --- | ---: | ---: |',
            ...result.diff.rows.map(r => `| ${(0,src_summary/* escapeCell */.kq)(r.table)} | ${r.before ?? '—'} | ${r.after ?? '—'} |`)
        ].join('\n'));
}

;// CONCATENATED MODULE: ./packages/strategies/src/run-deploy-stage.ts





/**
 * deploy-strategy as a stage: builds the provider from the validated settings, runs the deploy
 * (recorded when `settings.record` is set) and notifies of how it ended. A failed gate is
 * reported in `result.status`/`result.error`, never thrown.
 */
async function runDeployStage(settings, ports) {
    const config = (0,src_config/* buildDeployConfig */.M)(settings.deploy, ports.redactor);
    config.environmentUrl = settings.environmentUrl;
    if (config.health.kind === 'none')
        ports.progress.warning('health-check: none — the health gate is off: traffic moves to the new version without any probe reaching it');
    const record = recordOptions(settings, ports.records);
    const startedAt = new Date();
    const alerts = settings.monitoring?.alerts;
    // Expected noise (the replaced slot's InstanceDown …) is silenced for the deploy window; the
    // silence expires however the deploy ends, and on cancellation through the kit's cleanups.
    const silence = alerts && !config.dryRun
        ? await openSilence({ ...alerts, runUrl: alerts.runUrl ?? record?.records.logUrl }, `deploy of ${config.version} to ${config.environment}`, ports.progress)
        : undefined;
    let outcome;
    let rehearsal;
    const log = (line) => ports.progress.info(line);
    const gate = settings.rehearsal && !config.dryRun
        ? rehearsalGate(settings.rehearsal, settings.deploy, ports.redactor, log, seen => {
            rehearsal = seen;
        })
        : undefined;
    try {
        outcome = await runDeploy(config, record, log, ports.clock, gate);
    }
    finally {
        await silence?.close();
    }
    await pushEvent(settings, config, outcome, startedAt, ports.progress);
    const logUrl = record?.records.logUrl;
    const { result } = outcome;
    if (ports.notify && (result.status === 'success' || result.status === 'failure'))
        await ports.notify({
            event: result.status === 'success' ? 'deploy-success' : 'deploy-failure',
            environment: config.environment,
            version: config.version,
            previousVersion: outcome.outputs['previous-version'] || undefined,
            strategy: config.strategy,
            repository: settings.repository,
            runUrl: logUrl,
            environmentUrl: settings.environmentUrl,
            durationMs: result.durationMs,
            detail: result.error
        });
    return { ...outcome, config, logUrl, rehearsal };
}
/** The deploy as `slipway_deploy_*` series (not for a dry run, nor a deploy that did not finish). */
async function pushEvent(settings, config, outcome, startedAt, progress) {
    const status = outcome.result.status;
    if (config.dryRun || (status !== 'success' && status !== 'failure'))
        return;
    await reportDeployEvent(settings.monitoring?.pushgatewayUrl, {
        kind: 'deploy',
        environment: config.environment,
        app: settings.deploy.container?.app ?? settings.repository?.split('/')[1] ?? 'app',
        version: config.version,
        status,
        startedAt,
        endedAt: new Date()
    }, progress);
}
function recordOptions(settings, records) {
    if (!settings.record)
        return undefined;
    // A bug in the front end, not the user's: recording was asked for and no records were given.
    if (!records)
        throw new Error('record-deployment is on but no deployment records were given');
    return {
        records,
        deploymentId: settings.record.deploymentId,
        backupId: settings.record.backupId,
        environmentUrl: settings.environmentUrl,
        productionEnvironment: settings.record.productionEnvironment,
        transientEnvironment: settings.record.transientEnvironment,
        fallbackRef: settings.record.fallbackRef
    };
}
/** The action's outputs: what runDeploy reported, empty where it had nothing to say. */
function deployOutputs(result) {
    return Object.fromEntries(Object.entries({ ...result.outputs, ...rehearsalOutputs(result.rehearsal) }).map(([name, value]) => [name, value ?? '']));
}
/** The job summary, as deploy-strategy always wrote it. */
function renderDeploySummary(result, summary) {
    renderSummary(summary, result.config, result, { logUrl: result.logUrl });
    renderRehearsal(summary, result.rehearsal);
}
/** Why the step fails, when it does: the release failed a gate (the user's to fix). */
function deployFailure(result) {
    // The release failed a gate (health, analysis, a hook): the user's to fix, not a Slipway bug.
    return result.result.status === 'failure'
        ? new errors/* UserError */.yo(result.result.error ?? 'deployment failed', 'the summary shows which gate failed and what it measured; fix the release (or the gate settings) and deploy again')
        : undefined;
}

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

;// CONCATENATED MODULE: ./actions/deploy-strategy/src/run.ts





async function run({ secret, setOutput, summary, info, warning, group, redactor }, settings, runnerEnv) {
    const github = settings.record?.github;
    const records = github
        ? new DeploymentLedger((0,client/* createGitHubClient */.L)({ token: github.token, log: info }), github.repository, {
            runId: runnerEnv.runId,
            runAttempt: runnerEnv.runAttempt,
            serverUrl: runnerEnv.serverUrl,
            repository: runnerEnv.repository
        })
        : undefined;
    const result = await runDeployStage(settings, {
        progress: { info, warning, group },
        records,
        redactor,
        notify: async (notification) => {
            await notifyWebhook({ ...settings.webhook, secret, warning, info }, notification);
        }
    });
    reportStage({ setOutput, summary, redactor }, result, {
        outputs: deployOutputs,
        render: renderDeploySummary,
        failure: deployFailure
    });
}


/***/ })

};
