export const id = 766;
export const ids = [766];
export const modules = {

/***/ 17766:
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

// EXTERNAL MODULE: ./packages/backup/src/rehearsal/rehearse.ts + 20 modules
var rehearse = __webpack_require__(58967);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./packages/backup/src/manifest.ts
var src_manifest = __webpack_require__(43927);
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
            const temp = (0,external_node_path_.join)(root, `.${(0,src_manifest/* manifestFileName */.V6)(manifest.id)}.tmp`);
            (0,external_node_fs_.writeFileSync)(temp, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
            (0,external_node_fs_.renameSync)(temp, (0,external_node_path_.join)(root, (0,src_manifest/* manifestFileName */.V6)(manifest.id)));
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
                if (!name.endsWith(src_manifest/* MANIFEST_SUFFIX */.OK) || name.startsWith('.'))
                    continue;
                let manifest;
                try {
                    manifest = (0,src_manifest/* parseManifest */.Ng)((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(root, name), 'utf8'), name);
                }
                catch (error) {
                    // Never skipped silently: `latest` would quietly become an older backup.
                    warn((0,src_manifest/* skippedManifest */.u7)(name, error.message));
                    continue;
                }
                const data = (0,external_node_path_.join)(root, manifest.file);
                const stat = (0,external_node_fs_.existsSync)(data) ? (0,external_node_fs_.lstatSync)(data) : undefined;
                if (!stat?.isFile()) {
                    warn((0,src_manifest/* skippedManifest */.u7)(name, `its backup file ${manifest.file} is missing`));
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
            (0,external_node_fs_.rmSync)((0,external_node_path_.join)(root, (0,src_manifest/* manifestFileName */.V6)(manifest.id)), { force: true });
            (0,external_node_fs_.rmSync)((0,external_node_path_.join)(root, manifest.file), { force: true });
        }
    };
}

// EXTERNAL MODULE: ./packages/backup/src/rehearsal/diff.ts
var diff = __webpack_require__(53957);
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
            const result = await (0,rehearse/* rehearseMigration */._g)({
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
                        .map(c => c.reason ?? (0,diff/* describeChange */.uQ)(c))
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
