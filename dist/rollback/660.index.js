export const id = 660;
export const ids = [660];
export const modules = {

/***/ 89660:
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
var src_client = __webpack_require__(32994);
;// CONCATENATED MODULE: ./packages/release/src/port.ts
/**
 * The release port: what tag-and-release and the rollback's release marking need from wherever
 * tags, releases and assets are kept. GitHub implements it through its REST API
 * (`GitHubReleaseStore`); the CLI's local mode through the checkout's git tags and the ledger
 * file (`FileReleaseStore`). Re-runs converge in the code above the port (`tags.ts`,
 * `publish.ts`), so an implementation only has to report a conflict, never resolve one.
 */
/**
 * The store refused a write because of what it already holds (GitHub's 422: a tag ref, a
 * release or an asset that exists, an immutable release). Callers re-read and converge.
 */
class ReleaseConflict extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = 'ReleaseConflict';
    }
}

;// CONCATENATED MODULE: ./packages/release/src/github.ts



/** The HTTP status of an Octokit error, or undefined. */
function github_statusOf(error) {
    return typeof error === 'object' && error !== null && 'status' in error
        ? Number(error.status)
        : undefined;
}
const WRITE_HINT = 'grant the job `permissions: contents: write` (or use a token that has it)';
/**
 * Tags, releases and assets through GitHub's REST API. Each method makes the requests the
 * action always made; a 422 becomes a `ReleaseConflict` where the caller converges on it, and
 * a 403 on a write (a token without `contents: write`) a `UserError` saying so.
 */
class GitHubReleaseStore {
    options;
    client;
    constructor(options) {
        this.options = options;
    }
    get location() {
        const repo = this.options.repository;
        return repo ? `${repo.owner}/${repo.repo}` : 'GitHub';
    }
    api() {
        const repo = this.options.repository;
        if (!repo)
            throw new errors/* UserError */.yo('No repository: set the repository input or GITHUB_REPOSITORY', 'run in a GitHub workflow, or set the repository input to owner/name');
        if (!this.options.client && !this.options.token)
            throw new errors/* UserError */.yo('No GitHub token to write tags and releases', 'pass `token: ${{ github.token }}` with `contents: write`, or set `dry-run: true`');
        this.client ??=
            this.options.client ??
                (0,src_client/* createGitHubClient */.L)({
                    token: this.options.token ?? '',
                    baseUrl: this.options.apiUrl,
                    log: this.options.log
                });
        return { client: this.client, repo };
    }
    /** A write: a 403 is a missing permission, and `conflict` lists what a 422 means here. */
    async write(what, work, conflict = false) {
        try {
            return await work();
        }
        catch (error) {
            const status = github_statusOf(error);
            if (conflict && status === 422)
                throw new ReleaseConflict(`${what}: ${error.message}`, { cause: error });
            // Rate limits are 403s too; the throttling plugin already waited for them.
            if (status === 403 && !/rate limit/i.test(error.message)) {
                const refused = new errors/* UserError */.yo(`GitHub refused to ${what} in ${this.location} (403: ${error.message})`, WRITE_HINT);
                throw Object.assign(refused, { cause: error });
            }
            throw error;
        }
    }
    async tagCommit(tag) {
        const { client, repo } = this.api();
        let object;
        try {
            const { data } = await client.rest.git.getRef({ ...repo, ref: `tags/${tag}` });
            object = data.object;
        }
        catch (error) {
            if (github_statusOf(error) === 404)
                return undefined;
            throw error;
        }
        // Bounded peel: a tag of a tag of … a commit.
        for (let depth = 0; object.type === 'tag' && depth < 5; depth++) {
            const { data } = await client.rest.git.getTag({ ...repo, tag_sha: object.sha });
            object = data.object;
        }
        return object.sha;
    }
    made = new Map();
    get created() {
        return this.made;
    }
    /** POST git/tags, then POST git/refs: GitHub makes an annotated tag in two steps. */
    async createAnnotatedTag(tag, sha, message) {
        const { client, repo } = this.api();
        const { data: tagObject } = await this.write(`create the tag ${tag}`, () => client.rest.git.createTag({ ...repo, tag, message, object: sha, type: 'commit' }));
        await this.write(`create the ref of tag ${tag}`, () => client.rest.git.createRef({ ...repo, ref: `refs/tags/${tag}`, sha: tagObject.sha }), true);
        this.made.set(tag, sha);
    }
    async createTagRef(tag, sha) {
        const { client, repo } = this.api();
        await this.write(`create the tag ${tag}`, () => client.rest.git.createRef({ ...repo, ref: `refs/tags/${tag}`, sha }), true);
        this.made.set(tag, sha);
    }
    async moveTagRef(tag, sha) {
        const { client, repo } = this.api();
        await this.write(`move the tag ${tag}`, () => client.rest.git.updateRef({ ...repo, ref: `tags/${tag}`, sha, force: true }));
    }
    /** PATCH the ref; GitHub answers 422 "Reference does not exist" for a missing one: create it. */
    async setTagRef(tag, sha) {
        try {
            await this.moveTagRef(tag, sha);
            return 'moved';
        }
        catch (error) {
            if (github_statusOf(error) !== 422 || !/does not exist/i.test(error.message))
                throw error;
        }
        try {
            await this.createTagRef(tag, sha);
            return 'created';
        }
        catch (error) {
            // Created meanwhile by another run: point it here after all.
            if (!(error instanceof ReleaseConflict))
                throw error;
            await this.moveTagRef(tag, sha);
            return 'moved';
        }
    }
    /**
     * The first tag's release by tag, one call when it is published. GET releases/tags/{tag}
     * does not return drafts (nor would it find a later tag's release before the first's draft),
     * so when that misses, the releases are listed, reading each page once.
     */
    async findRelease(tags) {
        const { client, repo } = this.api();
        if (tags.length === 0)
            return undefined;
        try {
            const { data } = await client.rest.repos.getReleaseByTag({ ...repo, tag: tags[0] });
            return data;
        }
        catch (error) {
            if (github_statusOf(error) !== 404)
                throw error;
        }
        const found = new Map();
        for await (const page of client.paginate.iterator(client.rest.repos.listReleases, {
            ...repo,
            per_page: 100
        })) {
            for (const release of page.data)
                if (tags.includes(release.tag_name) && !found.has(release.tag_name))
                    found.set(release.tag_name, release);
            // The most likely tag ends the search; a later one may still turn up on a later page.
            if (found.has(tags[0]))
                break;
        }
        return tags.map(tag => found.get(tag)).find(release => release !== undefined);
    }
    async createRelease(release) {
        const { client, repo } = this.api();
        const { data } = await this.write(`create the release ${release.tag}`, () => client.rest.repos.createRelease({
            ...repo,
            tag_name: release.tag,
            target_commitish: release.target,
            name: release.name,
            body: release.body,
            draft: release.draft,
            prerelease: release.prerelease
        }), true);
        return data;
    }
    async updateRelease(id, changes) {
        const { client, repo } = this.api();
        const fields = {
            draft: changes.draft,
            name: changes.name,
            body: changes.body,
            prerelease: changes.prerelease,
            make_latest: changes.makeLatest
        };
        const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
        const { data } = await this.write(`update the release ${id}`, () => client.rest.repos.updateRelease({ ...repo, release_id: id, ...defined }));
        return data;
    }
    async listAssets(releaseId) {
        const { client, repo } = this.api();
        const assets = await client.paginate(client.rest.repos.listReleaseAssets, {
            ...repo,
            release_id: releaseId,
            per_page: 100
        });
        return assets;
    }
    async uploadAsset(release, name, data) {
        const { client } = this.api();
        await this.write(`upload ${name} to ${release.tag_name}`, () => client.request({
            method: 'POST',
            url: release.upload_url,
            name,
            data,
            headers: { 'content-type': 'application/octet-stream', 'content-length': data.length }
        }), true);
    }
    async deleteAsset(assetId) {
        const { client, repo } = this.api();
        await this.write(`delete the asset ${assetId}`, () => client.rest.repos.deleteReleaseAsset({ ...repo, asset_id: assetId }), true);
    }
    async downloadAsset(assetId) {
        const { client, repo } = this.api();
        const response = await client.request('GET /repos/{owner}/{repo}/releases/assets/{asset_id}', {
            ...repo,
            asset_id: assetId,
            headers: { accept: 'application/octet-stream' }
        });
        const data = response.data;
        if (data instanceof ArrayBuffer)
            return Buffer.from(data);
        return Buffer.isBuffer(data) ? data : Buffer.from(String(data));
    }
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
        const { fetch } = await __webpack_require__.e(/* import() */ 752).then(__webpack_require__.t.bind(__webpack_require__, 24371, 19));
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
        const { fetch } = await __webpack_require__.e(/* import() */ 752).then(__webpack_require__.t.bind(__webpack_require__, 24371, 19));
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

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
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

// EXTERNAL MODULE: ./packages/strategies/src/config.ts + 4 modules
var config = __webpack_require__(20059);
// EXTERNAL MODULE: ./packages/strategies/src/docker-config.ts + 25 modules
var docker_config = __webpack_require__(26722);
// EXTERNAL MODULE: ./packages/rollback/src/provider-settings.ts + 1 modules
var provider_settings = __webpack_require__(62879);
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
function plan_makePlan(targets, live, request) {
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
function plan_describeStep(step) {
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
function plan_describeFailureStep(step) {
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

// EXTERNAL MODULE: ./packages/kit/src/ports.ts
var ports = __webpack_require__(13508);
// EXTERNAL MODULE: ./packages/kit/src/duration.ts
var duration = __webpack_require__(55438);
// EXTERNAL MODULE: ./packages/strategies/src/analysis.ts
var analysis = __webpack_require__(46809);
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
;// CONCATENATED MODULE: ./packages/strategies/src/execute.ts





/**
 * Executes a plan, step by step, then on a failure its failure path (`plan.onFailure`): traffic
 * goes back to the stable version (slots), or the failed batch and every host an earlier batch
 * moved go back to the previous version (rolling), BEFORE this returns. Never throws for a
 * failed deployment: the result says `failure` with the reason, and the provider's evidence for
 * the targets that failed.
 */
async function execute_executePlan(options) {
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
                    return record('retire', `${plan_describeStep(step)} failed (left running): ${(0,errors/* errorMessage */.gJ)(error)}`, false);
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
    const line = plan_describeStep(step);
    const kind = new RegExp(`^${step.kind}:? `);
    return line.replace(kind, '');
}

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

// EXTERNAL MODULE: ./packages/smoke/src/load.ts
var load = __webpack_require__(55365);
// EXTERNAL MODULE: ./packages/probes/src/runner.ts
var runner = __webpack_require__(68267);
// EXTERNAL MODULE: ./packages/probes/src/http.ts
var src_http = __webpack_require__(1385);
// EXTERNAL MODULE: ./packages/kit/src/progress.ts
var progress = __webpack_require__(41485);
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
    const results = await (0,runner/* runChecks */.JT)(wrapped, { concurrency: options.concurrency });
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
        return { tick: () => undefined, sleep: runner/* sleep */.yy };
    return (0,progress/* heartbeat */.jQ)({ info: options.progress.info }, { now: () => Date.now(), sleep: runner/* sleep */.yy }, options.progress.everyMs, describe);
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

;// CONCATENATED MODULE: ./packages/smoke/src/report.ts




const PASS = '✅';
const FAIL = '❌';
const SKIP = '⏭️';
/** The job summary of a finished run: verdict, the checks table, load figures, watch window. */
function renderSummary(report, summary) {
    summary.heading(`Smoke test ${report.passed ? `passed ${PASS}` : `failed ${FAIL}`}`);
    const passedChecks = report.checks.filter(c => c.passed).length;
    summary.paragraph(`${passedChecks}/${report.checks.length} checks passed in ${formatDuration(report.durationMs)}` +
        (report.passed ? '.' : ` — **${report.message}**`));
    const checksMs = Math.max(0, ...report.checks.map(c => c.durationMs));
    const timings = [
        report.checks.length > 0 ? `checks ${formatDuration(checksMs)}` : '',
        report.load ? `load ${formatDuration(report.load.figures.durationMs)}` : '',
        report.watch ? `watch ${formatDuration(report.watch.durationMs)}` : ''
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
    summary.paragraph(`${load.url} — ${formatDuration(settings.durationMs)}, ${settings.connections} connections, ${rate}: ` +
        `**${figures.requests}** requests, **${figures.rps.toFixed(1)}** req/s, ${formatRate(figures.errorRate)} errors` +
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
            : ` (was ${formatMetric(verdict.metric, verdict.baseline)})`;
        return `${mark} ${op} ${formatMetric(verdict.metric, verdict.limit)}${baseline}`;
    };
    const rows = [
        ['error rate', formatRate(figures.errorRate), 'error rate'],
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
        : `${formatDuration(watch.settings.windowMs)} every ${formatDuration(watch.settings.intervalMs)}`;
    summary.paragraph(`${window}: ${watch.rounds} round(s) in ${formatDuration(watch.durationMs)}, ${watch.breaches} breaching round(s)` +
        ` (limit ${watch.settings.failureLimit})${watch.stoppedEarly ? ', stopped at the limit' : ''}.`);
    if (watch.alertsBefore?.length)
        summary.paragraph(`Already firing before the deploy (reported, not counted): ${watch.alertsBefore.join(', ')}.`);
    const values = Object.entries(watch.lastValues);
    if (values.length > 0)
        summary.table(['Query', 'Last value'], values.map(([name, value]) => [link(name, watch.settings.graphs?.[name]), value ?? '—']));
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
        `for up to ${formatDuration(plan.timeoutMs)}.`);
    summary.table(['Check', 'Request', 'Expects', 'Retries'], plan.checks.map(check => [
        check.name,
        `${(check.spec.method ?? 'GET').toUpperCase()} ${displayUrl(check.spec.url)}`,
        describeExpectations(check),
        check.maxAttempts === undefined ? 'until ready' : String(check.maxAttempts - 1)
    ]));
    if (plan.load) {
        const load = plan.load;
        const limits = [
            load.thresholds.maxErrorRate !== undefined
                ? `error rate ≤ ${formatRate(load.thresholds.maxErrorRate)}`
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
            `${(load.method ?? 'GET').toUpperCase()} ${displayUrl(load.url)} for ${formatDuration(load.durationMs)} with ${load.connections} connections${load.rate ? ` at ${load.rate} req/s` : ''} (at most ${load.maxRequests} requests)`,
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
                : `${formatDuration(watch.windowMs)}, every ${formatDuration(watch.intervalMs)}; fails after ${watch.failureLimit} breaching round(s)`,
            ...watch.queries.map(q => `${q.name}: \`${q.query}\` ${q.max !== undefined ? `≤ ${q.max}` : ''}${q.min !== undefined ? ` ≥ ${q.min}` : ''} — ${prometheusQueryUrl(q).split('?')[0]}`),
            ...(watch.alerts
                ? [
                    `Alertmanager ${displayUrl(watch.alerts.url)}: fails on a new alert matching \`${watch.alerts.matchers.map(formatMatcher).join(', ')}\`${watch.alerts.silenceMatchers ? `; silences \`${watch.alerts.silenceMatchers.map(formatMatcher).join(', ')}\` meanwhile` : ''}`
                ]
                : [])
        ]);
    }
}
function describeExpectations(check) {
    const spec = check.spec;
    const parts = [`status ${formatStatusList(parseStatusList(spec.expectStatus ?? '200-399'))}`];
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

// EXTERNAL MODULE: ./packages/probes/src/prometheus.ts
var src_prometheus = __webpack_require__(98833);
// EXTERNAL MODULE: ./packages/monitoring/src/alerts.ts
var src_alerts = __webpack_require__(36797);
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
            await (0,runner/* sleep */.yy)(wait);
        const results = await (0,runner/* runChecks */.JT)(roundChecks(spec, since, alertsBefore), {
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
                    const verdict = await (0,src_alerts/* checkAlerts */.Q)(spec.alerts, since, { signal: context.signal });
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
            report.load = await (0,load/* runLoad */.eR)(plan.load);
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
        return `load check: ${failed.length > 0 ? failed.map(load/* describeVerdict */.XZ).join('; ') : report.load.message}`;
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

;// CONCATENATED MODULE: ./packages/rollback/src/release-mark.ts
const MARK_PREFIX = '> ⚠ **Rolled back**';
/** tag-and-release's default: versions `1.2.0` are tagged `v1.2.0`. */
const DEFAULT_TAG_PREFIX = 'v';
/**
 * The tags a deployed version's release may carry, most likely first. The deployment records
 * the version as given (`1.2.0`, or the tag itself `v1.2.0`): a version that already carries
 * the prefix is its own tag (never `vv1.2.0`), otherwise the prefixed tag, then the bare
 * version for projects whose tags are plain versions.
 */
function releaseTags(version, tagPrefix = DEFAULT_TAG_PREFIX) {
    if (!tagPrefix || version.startsWith(tagPrefix))
        return [version];
    return [`${tagPrefix}${version}`, version];
}
/**
 * Annotates the bad version's release: a ⚠ rolled-back line before its notes and, where
 * allowed, prerelease so it no longer shows as latest. Idempotent: a marked release is left.
 */
async function markRelease(options) {
    const tags = releaseTags(options.version, options.tagPrefix);
    const release = await options.releases.findRelease(tags);
    if (!release)
        return { tag: tags[0], action: 'no release', detail: `looked for ${tags.join(', ')}` };
    const tag = release.tag_name;
    const body = release.body ?? '';
    if (body.startsWith(MARK_PREFIX))
        return {
            tag,
            action: 'already annotated',
            url: release.html_url,
            prerelease: release.prerelease
        };
    const line = `${MARK_PREFIX} in ${options.environment} on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: back to ${options.to} (deployment #${options.deploymentId})${options.reason ? `. Reason: ${options.reason}` : ''}`;
    const prerelease = options.markPrerelease && !release.draft ? true : release.prerelease;
    const update = (fields) => options.releases.updateRelease(release.id, fields);
    try {
        await update({ body: `${line}\n\n${body}`, prerelease });
        return { tag, action: 'annotated', url: release.html_url, prerelease };
    }
    catch (error) {
        // An immutable release may refuse some changes: keep the note, leave the flag.
        if (prerelease === release.prerelease)
            throw error;
        await update({ body: `${line}\n\n${body}` });
        return {
            tag,
            action: 'annotated',
            url: release.html_url,
            prerelease: release.prerelease,
            detail: 'prerelease flag refused'
        };
    }
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

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: external "node:stream/promises"
var promises_ = __webpack_require__(46466);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(31421);
// EXTERNAL MODULE: ./packages/kit/src/redact.ts
var redact = __webpack_require__(20727);
// EXTERNAL MODULE: ./packages/kit/src/child-env.ts
var child_env = __webpack_require__(52732);
// EXTERNAL MODULE: ./packages/kit/src/exec.ts
var exec = __webpack_require__(42783);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
;// CONCATENATED MODULE: ./packages/backup/src/types.ts
const ENGINES = ['postgres', 'mysql', 'mariadb', 'sqlite', 'files'];
const COMPRESSIONS = (/* unused pure expression or super */ null && (['auto', 'gzip', 'zstd', 'none']));

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
function source_engineFromUrl(url) {
    if (!url)
        return undefined;
    const match = /^([a-z][a-z0-9+.-]*:)/i.exec(url);
    return match ? SCHEMES[match[1].toLowerCase()] : undefined;
}
function source_checkEngine(value, input = 'engine') {
    if (!value || !ENGINES.includes(value))
        throw new errors/* InputError */.dz(input, `one of ${ENGINES.join(', ')}`, value);
    return value;
}
/**
 * Turns a URL (or the usual environment variables) into a Connection. The password stays
 * in memory: client programs get it through PGPASSWORD or a 0600 option file, never argv.
 */
function parseSource(spec) {
    const input = spec.input ?? 'database-url';
    const fromUrl = source_engineFromUrl(spec.url);
    const engine = spec.engine ? source_checkEngine(spec.engine) : fromUrl;
    if (!engine) {
        throw new errors/* InputError */.dz('engine', `one of ${ENGINES.join(', ')} (or a ${input} whose scheme names it)`, spec.engine);
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
    const context = context_driverContext(options);
    const connection = context_toConnection(options.source, context);
    const driver = engines_createDriver(connection, context);
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
        connection = parseSource({
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
        return [source_checkEngine(spec.engine)];
    const fromUrl = source_engineFromUrl(spec.url);
    if (fromUrl)
        return [fromUrl];
    if (spec.paths?.length)
        return ['files'];
    if (spec.url)
        return ['sqlite', 'files'];
    throw new errors/* InputError */.dz('engine', `the engine of the restore target (${ENGINES.join(', ')}) when ${spec.input ?? 'target'} is not a URL`, undefined);
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

;// CONCATENATED MODULE: ./packages/rollback/src/data.ts


/**
 * The backup to restore: the one recorded in the bad deployment's payload. Checked before
 * anything changes, so a rollback that cannot restore refuses instead of half-running.
 */
async function checkRestorable(data, bad) {
    const id = bad.payload.backup_id;
    if (typeof id !== 'string' || id === '')
        throw new errors/* InputError */.dz('restore-data', `a bad deployment whose payload records a backup (deployment #${bad.id} has no backup_id; deploy with backup-id)`, 'true');
    try {
        await find_findBackup(data.store, id, data.name);
    }
    catch {
        throw new errors/* InputError */.dz('restore-data', `backup ${id} (recorded by deployment #${bad.id}) present in ${data.store.describe()}`, 'true');
    }
    return id;
}
/**
 * Takes a fresh backup and verifies it (so the rollback can itself be undone), then restores
 * `backupId` over the live data. A fresh backup that fails verification stops the restore.
 */
async function restoreData(data, backupId, log) {
    const started = Date.now();
    const common = { log, timeoutMs: data.timeoutMs, identities: data.identities };
    const fresh = await backup({
        ...common,
        source: data.source,
        store: data.store,
        name: data.name,
        recipients: data.recipients ?? (await recipientsOf(data.identities ?? [])),
        verify: true
    });
    if (!fresh.manifest)
        throw new Error('the fresh backup produced no manifest');
    if (!fresh.verify?.ok)
        throw new Error(`the fresh backup ${fresh.manifest.id} failed verification (${fresh.verify?.differences.join('; ') ?? 'not verified'}): nothing restored`);
    log(`Fresh backup ${fresh.manifest.id} verified; restoring ${backupId}`);
    await restore_restore({
        ...common,
        store: data.store,
        id: backupId,
        name: data.name,
        target: { ...data.source, input: 'database-url' },
        clean: true
    });
    return {
        freshBackupId: fresh.manifest.id,
        freshVerified: true,
        restoredBackupId: backupId,
        durationMs: Date.now() - started
    };
}
/** The public key of each age identity: whoever can restore the backups can read the fresh one. */
async function recipientsOf(identities) {
    const recipients = [];
    // age and its post-quantum crypto load only when a fresh backup is encrypted.
    const { identityToRecipient } = await __webpack_require__.e(/* import() */ 855).then(__webpack_require__.bind(__webpack_require__, 20855));
    for (const identity of identities) {
        try {
            recipients.push(await identityToRecipient(identity));
        }
        catch {
            // Never echo the identity: it is a secret key.
            throw new errors/* InputError */.dz('age-identity', 'an age identity (AGE-SECRET-KEY-1…)', '***');
        }
    }
    return recipients;
}

;// CONCATENATED MODULE: ./packages/rollback/src/target.ts

function versionOf(deployment) {
    return typeof deployment.payload.version === 'string' && deployment.payload.version
        ? deployment.payload.version
        : deployment.ref;
}
/** Our own mark on a deployment a rollback replaced (status descriptions are all we may change). */
const ROLLED_BACK_MARK = /\brolled back\b/i;
/** Deployments already rolled back: named by a rollback's `rollback_of`, or carrying our status mark. */
function rolledBackIds(history) {
    const ids = new Set();
    for (const deployment of history) {
        if (typeof deployment.payload.rollback_of === 'number')
            ids.add(deployment.payload.rollback_of);
        if (deployment.payload.rolled_back === true && deployment.payload.rollback_of === undefined)
            ids.add(deployment.id);
        if (deployment.statuses.some(s => (s.state === 'inactive' || s.state === 'failure') && ROLLED_BACK_MARK.test(s.description)))
            ids.add(deployment.id);
    }
    return ids;
}
/** Succeeded at some point: `auto_inactive` turns old successes `inactive`, so the latest state is not enough. */
function everSucceeded(deployment) {
    return deployment.statuses.some(s => s.state === 'success');
}
/**
 * Picks the deployment to roll back from (`fromId`, or the newest of the environment) and
 * the one to return to: the explicit `version`, or the newest earlier deployment that once
 * succeeded, was not itself rolled back, and runs a different version than the bad one.
 * `history` is newest first. Errors name the input the user can change.
 */
function chooseRollback(environment, history, options = {}) {
    if (history.length === 0)
        throw new errors/* UserError */.yo(`No deployments are recorded for environment ${environment}: nothing to roll back`, 'check the environment name: it is the one the deploy job recorded its deployments under');
    let fromIndex = 0;
    if (options.fromId !== undefined) {
        fromIndex = history.findIndex(d => d.id === options.fromId);
        if (fromIndex < 0)
            throw new errors/* InputError */.dz('deployment-id', `a deployment of environment ${environment} (recent: ${history
                .slice(0, 5)
                .map(d => `#${d.id} ${versionOf(d)}`)
                .join(', ')})`, String(options.fromId));
    }
    const from = history[fromIndex];
    const fromVersion = versionOf(from);
    const rolledBack = rolledBackIds(history);
    const usable = (d) => d.id !== from.id && everSucceeded(d) && !rolledBack.has(d.id) && versionOf(d) !== fromVersion;
    let target;
    if (options.version !== undefined) {
        if (options.version === fromVersion)
            throw new errors/* InputError */.dz('version', `a version other than the one being rolled back (${fromVersion})`, options.version);
        target = history.find(d => usable(d) && versionOf(d) === options.version);
        if (!target) {
            const known = [...new Set(history.filter(usable).map(versionOf))].slice(0, 8);
            throw new errors/* InputError */.dz('version', `a version with a successful, not rolled back deployment in ${environment} (${known.join(', ') || 'none'})`, options.version);
        }
    }
    else {
        target = history.slice(fromIndex + 1).find(usable);
        if (!target)
            throw new errors/* UserError */.yo(`No earlier successful deployment of ${environment} to roll back to: looked at ${history.length - fromIndex - 1} deployment(s) before #${from.id} (${fromVersion})`, 'name the version to go back to with the version input');
    }
    // The bad version may also have an earlier record (a rollback deployment returned to it, or a
    // re-deploy): mark those too, so the next lookup never chooses the bad version again.
    const targetIndex = history.indexOf(target);
    const bad = history.filter((d, index) => d.id === from.id ||
        (index > fromIndex &&
            (targetIndex < 0 || index < targetIndex) &&
            versionOf(d) === fromVersion &&
            !rolledBack.has(d.id)));
    return { from, target, bad };
}
/**
 * The choice with `from` moved to the version that is live, when that is neither the chosen
 * `from` nor the target: the newest deployment failed and its deploy put traffic back on the
 * version before it, so the rollback replaces that version, not the one that never served. Its
 * records join the bad ones (marked, their backup and down-command the ones that apply). A
 * `from` the user named (`deployment-id`) is kept as named.
 */
function fromWhatIsLive(choice, history, liveVersion) {
    const toVersion = versionOf(choice.target);
    if (!liveVersion || liveVersion === versionOf(choice.from) || liveVersion === toVersion)
        return choice;
    const fromIndex = history.indexOf(choice.from);
    const targetIndex = history.indexOf(choice.target);
    const rolledBack = rolledBackIds(history);
    const between = (index) => index > fromIndex && (targetIndex < 0 || index < targetIndex);
    const liveIndex = history.findIndex((d, index) => between(index) && versionOf(d) === liveVersion && everSucceeded(d) && !rolledBack.has(d.id));
    if (liveIndex < 0)
        return choice;
    const liveRecords = history.filter((d, index) => index >= liveIndex && between(index) && versionOf(d) === liveVersion && !rolledBack.has(d.id));
    return {
        from: history[liveIndex],
        target: choice.target,
        bad: [...choice.bad, ...liveRecords.filter(d => !choice.bad.includes(d))]
    };
}

// EXTERNAL MODULE: ./packages/kit/src/local-host.ts + 1 modules
var local_host = __webpack_require__(6984);
;// CONCATENATED MODULE: ./packages/rollback/src/migration-guard.ts

const migration_guard_text = (value) => typeof value === 'string' && value !== '' ? value : undefined;
/**
 * What the bad deployments' migrations ask of a rollback. A destructive migration (as its
 * rehearsal recorded it) cannot be rolled back by code alone — the old version would read
 * what was dropped — so the data must be restored or a rehearsed down-command run; otherwise
 * the rollback is refused before anything changes. With the data restored, the backup brings
 * the old schema back and no down-command runs. Newest deployment first.
 */
function downMigrations(bad, restoringData) {
    if (restoringData)
        return [];
    const newestFirst = [...bad].sort((a, b) => b.id - a.id);
    const refused = newestFirst.filter(d => d.payload.migration_destructive === true &&
        !(d.payload.down_command_rehearsed === true && migration_guard_text(d.payload.down_command)));
    if (refused.length > 0) {
        const which = refused
            .map(d => `#${d.id} (${migration_guard_text(d.payload.version) ?? 'unknown version'}, diff ${migration_guard_text(d.payload.migration_diff_digest)?.slice(0, 19) ?? 'unrecorded'})`)
            .join(', ');
        throw new errors/* UserError */.yo(`a code-only rollback is refused: deployment ${which} ran a destructive migration, and the old version would read what it dropped or renamed`, 'choose one: set restore-data: true (with backup-path and database-url) to restore the backup taken before that deploy, or deploy with a down-command that the rehearsal verified gives back the schema, then roll back');
    }
    return newestFirst.flatMap(d => {
        const command = migration_guard_text(d.payload.down_command);
        return command && d.payload.down_command_rehearsed === true
            ? [{ deploymentId: d.id, version: migration_guard_text(d.payload.version) ?? '', command }]
            : [];
    });
}
/**
 * Runs a recorded down-command on this runner, as the migrate-command ran: `bash -c`, the
 * job's own environment (where the production database URL is), our values only in SLIPWAY_*.
 */
async function runDownMigration(down, what) {
    const host = new local_host/* LocalHost */.a(what.redactor, { userHooks: true });
    const result = await host.exec(down.command, {
        SLIPWAY_VERSION: what.to,
        SLIPWAY_FROM_VERSION: down.version,
        SLIPWAY_ENVIRONMENT: what.environment,
        SLIPWAY_DEPLOYMENT_ID: String(down.deploymentId)
    }, what.timeoutMs);
    const tail = (result.stderr || result.stdout).trim().split('\n').slice(-5).join('\n');
    if (result.exitCode !== 0 || result.timedOut)
        throw new Error(`down-command of deployment #${down.deploymentId} ${result.timedOut ? `timed out after ${what.timeoutMs}ms` : `exited with code ${result.exitCode}`}${tail ? `: ${tail}` : ''}`);
    return tail;
}

;// CONCATENATED MODULE: ./packages/rollback/src/plan.ts

const OWN_KINDS = new Set([
    'restore-data',
    'down-migration',
    'already-live',
    'record',
    'smoke',
    'mark-deployments',
    'mark-release'
]);
/** A step the deploy executor runs (a provider or router call), not one of rollback's own. */
function isDeployStep(step) {
    return !OWN_KINDS.has(step.kind);
}
/** What the mode is, from the deploy plan the provider made for the target. */
function modeOf(plan) {
    if (plan.steps.length === 0)
        return 'none';
    return plan.steps.some(s => s.kind === 'prepare') ? 'redeploy' : 'route-back';
}
/**
 * The rollback plan, in the order the rollback runs it: restore the data first (the old
 * version must find the data it knew), move traffic, record, verify, then mark what was bad.
 */
function makeRollbackPlan(deploy, what) {
    const mode = modeOf(deploy);
    const steps = [];
    if (what.restore)
        steps.push({ kind: 'restore-data', ...what.restore });
    for (const down of what.down ?? [])
        steps.push({ kind: 'down-migration', ...down });
    if (mode === 'none')
        steps.push({ kind: 'already-live', version: what.to });
    else
        steps.push(...deploy.steps);
    steps.push({ kind: 'record', from: what.from, to: what.to, mode });
    if (what.smokeChecks !== undefined)
        steps.push({ kind: 'smoke', checks: what.smokeChecks });
    steps.push({ kind: 'mark-deployments', deploymentIds: what.deploymentIds, to: what.to });
    if (what.release)
        steps.push({ kind: 'mark-release', version: what.from, ...what.release });
    return { ...deploy, mode, from: what.from, to: what.to, steps };
}
/** The deploy plan inside a rollback plan: what the deploy executor runs. */
function deployPlanOf(plan) {
    const { mode: _mode, from: _from, to: _to, steps, ...deploy } = plan;
    return { ...deploy, steps: steps.filter(isDeployStep) };
}
/** One line per step, for the log and the summary. */
function describeRollbackStep(step) {
    if (isDeployStep(step))
        return plan_describeStep(step);
    switch (step.kind) {
        case 'restore-data':
            return `back up ${step.source} now, verify it, then restore backup ${step.backupId}`;
        case 'down-migration':
            return `run the rehearsed down-command of deployment #${step.deploymentId} (${step.version})`;
        case 'already-live':
            return `${step.version} is already live: traffic stays`;
        case 'record':
            return `record a rollback Deployment ${step.from} → ${step.to} (${step.mode})`;
        case 'smoke':
            return `smoke test (${step.checks} check(s))`;
        case 'mark-deployments':
            return `mark ${step.deploymentIds.map(id => `#${id}`).join(', ')} failure + inactive (rolled back to ${step.to})`;
        case 'mark-release':
            return `annotate release ${step.tags.join(' or ')}${step.prerelease ? ' and mark it prerelease' : ''}`;
        default: {
            const unknown = step;
            throw new Error(`unknown rollback step ${JSON.stringify(unknown)}`);
        }
    }
}

;// CONCATENATED MODULE: ./packages/rollback/src/rollback.ts










/** A canary rollback does not walk weights again: traffic goes back at once. */
function rollbackStrategy(recorded) {
    return recorded === 'rolling' ? 'rolling' : 'blue-green';
}
/**
 * Rolls an environment back: chooses the target from the Deployment history, plans the
 * route-back (previous slot still warm) or redeploy (its artifact) through the same provider
 * as deploy-strategy, optionally restores the bad deployment's backup, records the rollback
 * as a Deployment, marks the bad deployment(s) and release, and verifies with the smoke test.
 * Never throws once something has changed: the result says `failure` with the reason.
 */
async function rollback(options) {
    const started = Date.now();
    const log = options.log ?? (() => undefined);
    const timeline = [];
    const record = (step, detail, ok = true) => {
        timeline.push({ atMs: Date.now() - started, step, detail, ok });
        log(`${ok ? '✓' : '✗'} ${step}: ${detail}`);
    };
    const pick = (records) => chooseRollback(options.environment, records, {
        fromId: options.fromDeploymentId,
        version: options.version
    });
    const history = options.history
        ? await options.history(options.environment, {
            limit: options.historyLimit,
            enough: records => {
                try {
                    pick(records);
                    return true;
                }
                catch {
                    return false;
                }
            }
        })
        : await options.ledger.history(options.environment, { limit: options.historyLimit ?? 50 });
    const chosen = chooseRollback(options.environment, history, {
        fromId: options.fromDeploymentId,
        version: options.version
    });
    const to = versionOf(chosen.target);
    const strategy = rollbackStrategy(chosen.from.payload.strategy ?? chosen.target.payload.strategy);
    const recordedArtifact = recordedString(chosen.target.payload.artifact);
    // The recorded artifact was a file of the deploy's runner: a later job may not have it. A
    // route-back ships nothing, so only a redeploy needs it (checked once the plan says which).
    const artifact = recordedArtifact && (0,external_node_fs_.existsSync)(recordedArtifact) ? recordedArtifact : undefined;
    const image = recordedString(chosen.target.payload.image);
    const helmRevision = recordedRevision(chosen.target.payload.helm_revision);
    const config = options.deployConfig({ version: to, strategy, artifact, image, helmRevision });
    const provider = config.provider;
    try {
        const live = await provider.current();
        const deployPlan = plan_makePlan(provider.targets, live, config.request);
        // What the provider finds serving, not the newest record: a failed deploy that put traffic
        // back leaves the version before it live, and that is what this rollback replaces.
        const choice = options.fromDeploymentId === undefined
            ? fromWhatIsLive(chosen, history, deployPlan.previousVersion)
            : chosen;
        const from = versionOf(choice.from);
        record('target', `${from} (#${choice.from.id}) → ${to} (#${choice.target.id})`);
        const backupId = options.restore
            ? await checkRestorable(options.restore, choice.from)
            : undefined;
        // A destructive migration refuses a code-only rollback here, before anything changes.
        const down = downMigrations(choice.bad, backupId !== undefined);
        const plan = makeRollbackPlan(deployPlan, {
            from,
            to,
            restore: backupId ? { backupId, source: options.restore.describe } : undefined,
            down,
            deploymentIds: choice.bad.map(d => d.id),
            smokeChecks: options.smoke?.checks.length,
            release: options.release && {
                tags: releaseTags(from, options.release.tagPrefix),
                prerelease: options.release.markPrerelease
            }
        });
        const mode = plan.mode;
        if (mode === 'redeploy' && recordedArtifact && !artifact)
            throw new errors/* UserError */.yo(`the artifact ${to} was deployed from (${recordedArtifact}) is not on this runner, and no slot still runs ${to}`, `put ${to}'s artifact at that path before the rollback (for example the release asset of ${to}), or keep the previous slot warm longer (keep-previous) so a rollback routes back`);
        const base = {
            from,
            to,
            fromDeployment: choice.from,
            targetDeployment: choice.target,
            marked: choice.bad.map(d => d.id),
            mode,
            plan,
            strategy,
            timeline,
            ...(image ? { image } : {})
        };
        log(`Rollback plan (${mode}):\n${plan.steps.map((s, i) => `  ${i + 1}. ${describeRollbackStep(s)}`).join('\n')}`);
        if (options.dryRun)
            return { ...base, status: 'dry-run', durationMs: Date.now() - started };
        await provider.check();
        // The rollback's Deployment is written once traffic is back: every request before the
        // switch adds to the time to recover, and a failed attempt is still recorded (below).
        let deployment;
        const ensureRecord = async () => {
            deployment ??= await startRecord(options, choice, history, { from, to, mode, strategy, plan });
            return deployment;
        };
        const fail = async (error, extra = {}) => {
            record('rollback', error, false);
            try {
                const failed = await ensureRecord();
                await options.ledger.setStatus(failed.id, 'failure', `rollback ${from} → ${to} failed: ${error}`, { environmentUrl: options.environmentUrl });
            }
            catch (e) {
                log(`Could not record the failure: ${(0,errors/* errorMessage */.gJ)(e)}`);
            }
            return {
                ...base,
                ...extra,
                status: 'failure',
                deployment,
                error,
                durationMs: Date.now() - started
            };
        };
        let data;
        let smoke;
        let release;
        /** Runs the deploy plan's steps; the reason when they failed (traffic returned by the executor). */
        const moveTraffic = async (steps) => {
            const result = await execute_executePlan({
                provider,
                plan: { ...deployPlanOf(plan), steps },
                request: config.request,
                live,
                log
            });
            for (const event of result.timeline)
                timeline.push({ ...event, atMs: event.atMs + (Date.now() - started - result.durationMs) });
            // which way a container rollback went: a kept container started, or an image run
            const prepared = provider.targets
                .map(target => provider.prepared?.(target))
                .filter(Boolean)
                .join('; ');
            if (prepared)
                base.prepared = prepared;
            if (result.status !== 'success')
                return result.error ?? `the plan ended ${result.status}`;
            record('traffic', `100% on ${to} (${mode})`);
            return undefined;
        };
        // The deploy plan's steps run as one block through the deploy executor, which owns their
        // failure path (route back, tear down); rollback's own steps run here, in plan order.
        const deploySteps = plan.steps.filter(isDeployStep);
        for (const step of plan.steps) {
            if (isDeployStep(step)) {
                if (step !== deploySteps[0])
                    continue;
                const failure = await moveTraffic(deploySteps);
                if (failure)
                    return fail(failure, { data });
                continue;
            }
            switch (step.kind) {
                case 'restore-data':
                    try {
                        data = await restoreData(options.restore, step.backupId, log);
                        record('restore', `fresh backup ${data.freshBackupId} verified; restored ${step.backupId}`);
                    }
                    catch (error) {
                        return fail(`restore-data: ${(0,errors/* errorMessage */.gJ)(error)}`);
                    }
                    break;
                case 'down-migration':
                    try {
                        const tail = await runDownMigration(step, {
                            to,
                            environment: options.environment,
                            timeoutMs: options.downTimeoutMs ?? 30 * 60_000,
                            redactor: options.redactor
                        });
                        record('down-migration', `down-command of #${step.deploymentId} ran${tail ? `: ${tail.split('\n').pop()}` : ''}`);
                    }
                    catch (error) {
                        return fail(`down-migration: ${(0,errors/* errorMessage */.gJ)(error)} (traffic not moved)`);
                    }
                    break;
                case 'already-live':
                    // Nothing to move: an empty deploy plan would read as "prepared", so none is executed.
                    record('traffic', `${step.version} was already live`);
                    break;
                case 'record': {
                    const recorded = await ensureRecord();
                    record('record', `rollback deployment #${recorded.id}`);
                    break;
                }
                case 'smoke':
                    smoke = await runSmoke(options.smoke, { info: log });
                    record('smoke', smoke.message || (smoke.passed ? 'passed' : 'failed'), smoke.passed);
                    if (!smoke.passed)
                        return fail(`smoke test after rollback failed: ${smoke.message}`, { data, smoke });
                    break;
                case 'mark-deployments': {
                    const recorded = await ensureRecord();
                    // The bad deployments before our success, so auto_inactive has nothing of theirs to touch.
                    for (const bad of choice.bad.filter(d => step.deploymentIds.includes(d.id))) {
                        const text = `rolled back to ${step.to} by deployment #${recorded.id}${options.reason ? `: ${options.reason}` : ''}`;
                        if (bad.state !== 'failure' && bad.state !== 'inactive')
                            await options.ledger.setStatus(bad.id, 'failure', text, { autoInactive: false });
                        await options.ledger.setStatus(bad.id, 'inactive', text, { autoInactive: false });
                    }
                    record('mark', `${step.deploymentIds.map(id => `#${id}`).join(', ')} marked rolled back`);
                    await options.ledger.setStatus(recorded.id, 'success', `${to} live again via ${mode} (rolled back from ${from})`, { environmentUrl: options.environmentUrl });
                    break;
                }
                case 'mark-release':
                    release = await markRelease({
                        releases: options.release.releases,
                        markPrerelease: step.prerelease,
                        tagPrefix: options.release.tagPrefix,
                        version: step.version,
                        to,
                        environment: options.environment,
                        deploymentId: (await ensureRecord()).id,
                        reason: options.reason
                    }).catch(error => ({
                        tag: step.tags[0],
                        action: 'failed',
                        detail: (0,errors/* errorMessage */.gJ)(error)
                    }));
                    record('release', `${release.tag}: ${release.action}${release.detail ? ` (${release.detail})` : ''}`, release.action !== 'failed');
                    break;
                default: {
                    const unknown = step;
                    throw new Error(`unknown rollback step ${JSON.stringify(unknown)}`);
                }
            }
        }
        return {
            ...base,
            status: 'success',
            deployment: await ensureRecord(),
            data,
            smoke,
            release,
            durationMs: Date.now() - started
        };
    }
    finally {
        await provider.close().catch(() => undefined);
    }
}
/** Creates the rollback's Deployment, or continues the one this run already created. */
async function startRecord(options, choice, history, what) {
    // A re-run of this job continues its rollback record (newer than `from`, so in `history`).
    const existing = history.find(d => d.payload.rollback_of === choice.from.id &&
        options.runId !== undefined &&
        d.payload.rollback_run_id === options.runId);
    if (existing)
        return existing;
    const target = choice.target.payload;
    const { deployment } = await (options.recordLedger ?? options.ledger).start({
        environment: options.environment,
        version: what.to,
        fallbackRef: options.fallbackRef ?? choice.target.sha,
        productionEnvironment: options.productionEnvironment,
        description: `rollback ${what.from} → ${what.to} (${what.mode})`,
        payload: {
            version: what.to,
            strategy: what.strategy,
            artifact: typeof target.artifact === 'string' ? target.artifact : undefined,
            // What the target ran: the next rollback to this version runs it again.
            image: recordedString(target.image),
            image_id: recordedString(target.image_id),
            slot: what.plan.slot,
            previous_slot: what.plan.previousSlot,
            hosts: what.plan.batches?.flat(),
            previous_version: what.from,
            backup_id: typeof target.backup_id === 'string' ? target.backup_id : undefined,
            rollback_of: choice.from.id,
            rolled_back_from: what.from,
            rollback_mode: what.mode,
            rollback_reason: options.reason,
            rollback_run_id: options.runId
        }
    });
    await options.ledger.setStatus(deployment.id, 'in_progress', `rolling back ${what.from} → ${what.to} (${what.mode})`, { environmentUrl: options.environmentUrl });
    return deployment;
}
function recordedString(value) {
    return typeof value === 'string' && value !== '' ? value : undefined;
}
/** A Helm revision as a payload holds it (a string of digits); anything else is no revision. */
function recordedRevision(value) {
    const text = typeof value === 'number' ? String(value) : recordedString(value);
    return text !== undefined && /^[1-9]\d*$/.test(text) ? Number(text) : undefined;
}

;// CONCATENATED MODULE: ./packages/strategies/src/run.ts




/**
 * The whole deploy-strategy step: read what is live, plan, (dry-run stops here), record the
 * Deployment as in_progress, execute, record success or failure. The provider is always closed.
 */
async function runDeploy(config, record, log = () => undefined, clock = systemClock, gate) {
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
                const reason = `staging ${plan.version} failed (nothing was changed: no container started, no traffic moved, no Deployment recorded): ${errorMessage(error)}`;
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
                log(`Could not record the ${state} status on deployment ${deployment.id}: ${errorMessage(error)}`);
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
function run_renderSummary(summary, config, outcome, links = {}) {
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
        ['Duration', formatDuration(result.durationMs)]
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
        summary.paragraph(link('Workflow run', links.logUrl));
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

;// CONCATENATED MODULE: ./packages/rollback/src/summary.ts



/** The rollback's job summary: from → to, how, what was recorded, the timeline. */
function renderRollbackSummary(summary, environment, result, links = {}) {
    const icon = { success: '✅', failure: '❌', 'dry-run': '📝' }[result.status];
    summary.heading(`${icon} rollback: ${environment} ${result.from} → ${result.to}${result.status === 'dry-run' ? ' (dry run)' : ''}`);
    if (result.error)
        summary.paragraph(`**Failed:** ${result.error}`);
    const modeText = {
        'route-back': 'instant route-back to the warm previous slot',
        redeploy: result.prepared
            ? `redeploy: ${result.prepared}`
            : result.image
                ? `restart of the kept ${result.to} container where one is stopped, else a run of the recorded image ${result.image}`
                : 'redeploy of the previous artifact',
        none: 'nothing to move (already live)'
    }[result.mode];
    summary.table(['', ''], [
        ['Rolled back from', `${result.from} (deployment #${result.fromDeployment.id})`],
        ['Rolled back to', `${result.to} (deployment #${result.targetDeployment.id})`],
        ['How', `${modeText}, ${result.strategy}`],
        ...(result.plan.slot ? [['Slot', result.plan.slot]] : []),
        ...(result.deployment ? [['Rollback deployment', `#${result.deployment.id}`]] : []),
        ['Marked rolled back', result.marked.map(id => `#${id}`).join(', ')],
        ...(result.data
            ? [
                [
                    'Data',
                    `fresh backup ${result.data.freshBackupId} verified, restored ${result.data.restoredBackupId}`
                ]
            ]
            : []),
        ...(result.smoke
            ? [['Smoke test', result.smoke.passed ? 'passed' : result.smoke.message]]
            : []),
        ...(result.release
            ? [
                [
                    'Release',
                    `${(0,src_summary/* link */.nf)(result.release.tag, result.release.url)}: ${result.release.action}${result.release.prerelease ? ' (now prerelease)' : ''}`
                ]
            ]
            : []),
        ['Duration', (0,duration/* formatDuration */.a)(result.durationMs)]
    ]);
    summary.heading(result.status === 'dry-run' ? 'Plan (nothing changed)' : 'Plan', 3);
    summary.list(result.plan.steps.map((step, index) => `${index + 1}. ${describeRollbackStep(step)}`));
    if (result.plan.onFailure.length) {
        summary.heading('If moving traffic fails', 3);
        summary.list(result.plan.onFailure.map((step, index) => `${index + 1}. ${plan_describeFailureStep(step)}`));
    }
    renderTimeline(summary, result.timeline);
    if (links.logUrl)
        summary.paragraph((0,src_summary/* link */.nf)('Workflow run', links.logUrl));
}

;// CONCATENATED MODULE: ./packages/rollback/src/run-rollback.ts







/**
 * rollback as a stage: chooses the target from the records, moves traffic back through the
 * same provider as deploy-strategy, records and marks, and notifies of how it ended. A failed
 * rollback is reported in `status`/`error` once anything has changed.
 */
async function runRollbackStage(settings, ports) {
    const { environment, dryRun, provider } = settings;
    const log = (line) => ports.progress.info(line);
    const startedAt = new Date();
    const result = await rollback({
        environment,
        version: settings.version,
        fromDeploymentId: settings.fromDeploymentId,
        reason: settings.reason,
        dryRun,
        ledger: ports.records,
        history: ports.history,
        recordLedger: ports.rollbackRecords,
        deployConfig: ({ image, helmRevision, ...request }) => (0,config/* buildDeployConfig */.M)({
            ...(0,provider_settings/* withRecordedHelmRevision */.SQ)((0,provider_settings/* withRecordedImage */.kW)(provider, (0,docker_config/* isContainerProvider */.Jc)(provider.provider) || provider.provider === 'kubernetes'
                ? image
                : undefined), helmRevision),
            ...request,
            environment,
            dryRun,
            steps: undefined
        }, ports.redactor),
        restore: settings.restore && dataRestore(settings.restore, ports),
        smoke: settings.smoke,
        release: settings.release && ports.releases
            ? { releases: ports.releases, ...settings.release }
            : undefined,
        environmentUrl: settings.environmentUrl,
        productionEnvironment: settings.productionEnvironment,
        fallbackRef: settings.fallbackRef,
        runId: settings.runId,
        downTimeoutMs: provider.hookTimeoutMs,
        redactor: ports.redactor,
        log
    });
    const logUrl = ports.records.logUrl;
    if (!dryRun && ports.notify)
        await ports.notify({
            event: result.status === 'failure' ? 'rollback-failure' : 'rollback-success',
            environment,
            version: result.to,
            previousVersion: result.from,
            repository: settings.repository,
            runUrl: logUrl,
            environmentUrl: settings.environmentUrl,
            durationMs: result.durationMs,
            detail: result.error ?? settings.reason
        });
    if (!dryRun && result.mode !== 'none')
        await reportDeployEvent(settings.pushgatewayUrl, {
            kind: 'rollback',
            environment,
            app: provider.container?.app ?? settings.repository?.split('/')[1] ?? 'app',
            version: result.to,
            status: result.status === 'failure' ? 'failure' : 'success',
            startedAt,
            endedAt: new Date()
        }, ports.progress);
    return { ...result, environment, logUrl };
}
function dataRestore(restore, ports) {
    return {
        store: dirStore(restore.path, { warn: message => ports.progress.warning(message) }),
        source: { engine: restore.engine, url: restore.url, input: 'database-url' },
        name: restore.name,
        // The fresh backup taken before the restore is encrypted to this identity's recipient
        // (restoreData derives it), so a rollback never writes the live data in clear.
        identities: restore.identity ? [restore.identity] : [],
        timeoutMs: restore.timeoutMs,
        describe: `${ports.redactor ? ports.redactor.redact(restore.url) : restore.url} → ${restore.path}`
    };
}
/**
 * The action's outputs. `plan` is the rollback plan as JSON: deploy-strategy's plan (slots,
 * batches, failure path) with rollback's own steps among the deploy steps, in the order run.
 */
function rollbackOutputs(result) {
    return {
        'rolled-back-to': result.to,
        'rolled-back-from': result.from,
        duration: Math.round(result.durationMs / 100) / 10,
        'deployment-id': result.deployment?.id ?? '',
        mode: result.mode,
        status: result.status,
        'restored-backup-id': result.data?.restoredBackupId ?? '',
        plan: JSON.stringify(result.plan)
    };
}
/** The job summary, as rollback always wrote it. */
function renderRollbackStageSummary(result, summary) {
    renderRollbackSummary(summary, result.environment, result, { logUrl: result.logUrl });
}
/** Why the step fails, when it does. */
function rollbackFailure(result) {
    return result.status === 'failure'
        ? new errors/* UserError */.yo(result.error ?? 'rollback failed', 'the summary shows which step failed; traffic may need attention before you retry the rollback')
        : undefined;
}

;// CONCATENATED MODULE: ./packages/rollback/src/history.ts


/**
 * The environment's deployments newest first, with statuses fetched only as far as needed.
 * MTTR counts every request before traffic moves: the full history costs one request per
 * deployment, while the target is usually one or two deployments back. `enough` is asked after
 * each batch; a prefix of the history decides the target exactly (see chooseRollback).
 */
async function loadHistory(client, repo, environment, options) {
    const limit = options.limit ?? 50;
    const { data } = await requestAs({ what: 'list deployments', permission: 'deployments: read', notFoundIsRefusal: true }, () => client.rest.repos.listDeployments({ ...repo, environment, per_page: Math.min(100, limit) }));
    const records = [];
    const batch = options.batch ?? 4;
    for (let i = 0; i < Math.min(data.length, limit); i += batch) {
        const slice = data.slice(i, i + batch);
        const statuses = await Promise.all(slice.map(d => requestAs({ what: 'read deployment statuses', permission: 'deployments: read' }, () => client.paginate(client.rest.repos.listDeploymentStatuses, {
            ...repo,
            deployment_id: d.id,
            per_page: 100
        }))));
        slice.forEach((d, index) => records.push(deploymentRecordOf(d, statuses[index])));
        if (options.enough(records))
            break;
    }
    return records;
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

;// CONCATENATED MODULE: ./actions/rollback/src/run.ts






async function run({ secret, setOutput, summary, info, warning, group, redactor }, settings, runnerEnv) {
    const { token, repository } = settings.github;
    const client = (0,src_client/* createGitHubClient */.L)({ token, log: info });
    const run = { serverUrl: runnerEnv.serverUrl, repository: runnerEnv.repository };
    const result = await runRollbackStage(settings, {
        records: new DeploymentLedger(client, repository, {
            ...run,
            runId: runnerEnv.runId,
            runAttempt: runnerEnv.runAttempt
        }),
        rollbackRecords: new DeploymentLedger(client, repository, run),
        history: (environment, options) => loadHistory(client, repository, environment, options),
        releases: new GitHubReleaseStore({ client, repository, log: info }),
        progress: { info, warning, group },
        redactor,
        notify: async (notification) => {
            await notifyWebhook({ ...settings.webhook, secret, warning, info }, notification);
        }
    });
    reportStage({ setOutput, summary, redactor }, result, {
        outputs: rollbackOutputs,
        render: renderRollbackStageSummary,
        failure: rollbackFailure
    });
}


/***/ })

};
