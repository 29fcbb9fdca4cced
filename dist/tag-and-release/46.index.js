export const id = 46;
export const ids = [46];
export const modules = {

/***/ 6046:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
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

// EXTERNAL MODULE: ./packages/kit/src/errors.ts
var errors = __webpack_require__(7817);
// EXTERNAL MODULE: ./packages/github/src/client.ts
var client = __webpack_require__(2994);
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
function statusOf(error) {
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
                (0,client/* createGitHubClient */.L)({
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
            const status = statusOf(error);
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
            if (statusOf(error) === 404)
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
            if (statusOf(error) !== 422 || !/does not exist/i.test(error.message))
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
            if (statusOf(error) !== 404)
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

;// CONCATENATED MODULE: ./packages/release/src/release-pr/pull-requests.ts


const HINT = 'grant the job `permissions: pull-requests: write` (and `contents: write`)';
function toInfo(pull) {
    return {
        number: pull.number,
        title: pull.title,
        body: pull.body ?? '',
        head: pull.head.ref,
        base: pull.base.ref,
        state: pull.state === 'open' ? 'open' : 'closed',
        merged: Boolean(pull.merged_at),
        url: pull.html_url,
        labels: pull.labels.map(label => (typeof label === 'string' ? label : (label.name ?? '')))
    };
}
/** Pull requests through GitHub's REST API; a 403 is a missing `pull-requests: write`. */
class GitHubPullRequestStore {
    options;
    client;
    constructor(options) {
        this.options = options;
    }
    api() {
        const repo = this.options.repository;
        if (!repo || (!this.options.client && !this.options.token))
            throw new errors/* UserError */.yo('No repository or token for the release pull request', HINT);
        this.client ??=
            this.options.client ??
                (0,client/* createGitHubClient */.L)({
                    token: this.options.token ?? '',
                    baseUrl: this.options.apiUrl,
                    log: this.options.log
                });
        return { client: this.client, repo };
    }
    async call(what, work) {
        try {
            return await work();
        }
        catch (error) {
            const status = error.status;
            if (status === 403 && !/rate limit/i.test(error.message))
                throw Object.assign(new errors/* UserError */.yo(`GitHub refused to ${what} (403: ${error.message})`, HINT), { cause: error });
            throw error;
        }
    }
    async findOpen(head, base) {
        const { client, repo } = this.api();
        const { data } = await client.rest.pulls.list({
            ...repo,
            state: 'open',
            head: `${repo.owner}:${head}`,
            base,
            per_page: 10
        });
        return data.map(pull => toInfo(pull))[0];
    }
    async create(input) {
        const { client, repo } = this.api();
        const { data } = await this.call('open the release pull request', () => client.rest.pulls.create({ ...repo, ...input }));
        return toInfo(data);
    }
    async update(number, changes) {
        const { client, repo } = this.api();
        const { data } = await this.call(`update pull request #${number}`, () => client.rest.pulls.update({ ...repo, pull_number: number, ...changes }));
        return toInfo(data);
    }
    async mergedInto(sha) {
        const { client, repo } = this.api();
        const { data } = await client.rest.repos.listPullRequestsAssociatedWithCommit({
            ...repo,
            commit_sha: sha
        });
        return data.map(pull => toInfo(pull)).filter(pull => pull.merged);
    }
    async comments(number) {
        const { client, repo } = this.api();
        const all = await client.paginate(client.rest.issues.listComments, {
            ...repo,
            issue_number: number,
            per_page: 100
        });
        return all.map(comment => comment.body ?? '');
    }
    async comment(number, body) {
        const { client, repo } = this.api();
        await this.call(`comment on pull request #${number}`, () => client.rest.issues.createComment({ ...repo, issue_number: number, body }));
    }
    async setLabels(number, labels) {
        const { client, repo } = this.api();
        await this.call(`label pull request #${number}`, () => client.rest.issues.setLabels({ ...repo, issue_number: number, labels }));
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
        const { fetch } = await __webpack_require__.e(/* import() */ 752).then(__webpack_require__.t.bind(__webpack_require__, 6752, 19));
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
        const { fetch } = await __webpack_require__.e(/* import() */ 752).then(__webpack_require__.t.bind(__webpack_require__, 6752, 19));
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

// EXTERNAL MODULE: ./packages/release/src/release-pr/monorepo.ts
var monorepo = __webpack_require__(2361);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./packages/kit/src/exec.ts
var exec = __webpack_require__(2783);
// EXTERNAL MODULE: ./node_modules/semver/index.js
var semver = __webpack_require__(2088);
var semver_default = /*#__PURE__*/__webpack_require__.n(semver);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./packages/release/src/assets.ts




const CHECKSUMS_NAME = 'SHA256SUMS';
/**
 * Files matching the globs (relative to `baseDir`), read into memory with their SHA-256.
 * Two files with the same base name would collide as release assets: that is an error.
 */
async function collectAssets(patterns, baseDir) {
    if (patterns.length === 0)
        return [];
    const anchored = patterns.map(pattern => {
        const negated = pattern.startsWith('!');
        const body = negated ? pattern.slice(1) : pattern;
        return `${negated ? '!' : ''}${(0,external_node_path_.isAbsolute)(body) ? body : (0,external_node_path_.join)(baseDir, body)}`;
    });
    // Loaded only when there are assets: @actions/glob brings @actions/core and its HTTP client,
    // a fifth of the bundle, which every other run of the action would parse for nothing.
    const glob = await Promise.all(/* import() */[__webpack_require__.e(752), __webpack_require__.e(961)]).then(__webpack_require__.bind(__webpack_require__, 5961));
    const globber = await glob.create(anchored.join('\n'), {
        matchDirectories: false,
        followSymbolicLinks: true
    });
    const files = (await globber.glob()).filter(file => (0,external_node_fs_.statSync)(file).isFile()).sort();
    const byName = new Map();
    for (const file of files) {
        const name = (0,external_node_path_.basename)(file);
        const previous = byName.get(name);
        if (previous)
            throw new errors/* UserError */.yo(`Two assets would have the same name ${name}: ${previous.path} and ${file}`, 'narrow the asset globs so that each file name occurs once');
        if (name === CHECKSUMS_NAME)
            throw new errors/* UserError */.yo(`${file}: ${CHECKSUMS_NAME} is generated by tag-and-release; leave it out of the asset globs`, `exclude it with !**/${CHECKSUMS_NAME} or set checksums: false`);
        const data = (0,external_node_fs_.readFileSync)(file);
        byName.set(name, { name, path: file, data, sha256: sha256(data) });
    }
    return [...byName.values()];
}
/** The `sha256sum` format (`<hex>  <name>`), sorted by name, so users can run `sha256sum -c`. */
function checksumsAsset(assets) {
    const text = [...assets]
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map(asset => `${asset.sha256}  ${asset.name}\n`)
        .join('');
    const data = Buffer.from(text);
    return { name: CHECKSUMS_NAME, data, sha256: sha256(data) };
}
function sha256(data) {
    return (0,external_node_crypto_.createHash)('sha256').update(data).digest('hex');
}

;// CONCATENATED MODULE: ./packages/release/src/changelog.ts

const TITLE = '# Changelog';
/**
 * Prepends the notes to a CHANGELOG.md under its `# Changelog` title (created when missing).
 * Idempotent: a file that already has a section for this version is left alone.
 */
function prependChangelog(file, notes, version) {
    const current = (0,external_node_fs_.existsSync)(file) ? (0,external_node_fs_.readFileSync)(file, 'utf8') : '';
    const heading = new RegExp(`^##\\s+\\[?${version.replace(/[.+]/g, '\\$&')}\\]?[\\s(]`, 'm');
    if (heading.test(current))
        return { file, changed: false };
    let head = TITLE;
    let rest = current.trimStart();
    const titled = /^#\s[^\n]*\n?/.exec(rest);
    if (titled) {
        head = titled[0].trimEnd();
        rest = rest.slice(titled[0].length).trimStart();
    }
    const text = `${head}\n\n${notes.trimEnd()}\n${rest ? `\n${rest.trimEnd()}\n` : ''}`;
    (0,external_node_fs_.writeFileSync)(file, text);
    return { file, changed: true };
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:string_decoder"
var external_node_string_decoder_ = __webpack_require__(6193);
// EXTERNAL MODULE: ./packages/kit/src/children.ts
var children = __webpack_require__(9309);
// EXTERNAL MODULE: ./packages/kit/src/child-env.ts
var child_env = __webpack_require__(2732);
// EXTERNAL MODULE: ./packages/kit/src/redact.ts
var redact = __webpack_require__(727);
;// CONCATENATED MODULE: ./packages/release/src/git.ts



// Field and record separators: a commit message may contain anything printable, but git
// never puts NUL in a message and \x1f (unit separator) does not occur in ordinary text.
const FIELD = '\x1f';
const LOG_FORMAT = ['%H', '%P', '%cI', '%an', '%B'].join('%x1f');
/** Tag listings are kept whole (a repository may have many thousands of tags). */
const BIG = 512 * 1024 * 1024;
/** Resolves a revision (`HEAD`, a sha, a tag) to the commit it names. */
async function resolveCommit(revision, options) {
    const result = await (0,exec/* runChecked */.X4)('git', ['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`], {
        cwd: options.cwd,
        timeoutMs: options.timeoutMs ?? 30_000
    });
    return result.stdout.trim();
}
/**
 * Whether `cwd` is a full checkout and which commit `revision` names, in one `git rev-parse`:
 * each process costs a release a few milliseconds, and this one runs before anything else.
 */
async function inspectCheckout(revision, options) {
    const result = await (0,exec/* run */.eF)('git', [
        'rev-parse',
        '--is-shallow-repository',
        '--verify',
        '--quiet',
        '--end-of-options',
        `${revision}^{commit}`
    ], { cwd: options.cwd, timeoutMs: options.timeoutMs ?? 30_000 });
    // rev-parse answers its options in order: the shallow flag first, then the commit.
    const [flag, commit] = result.stdout.split('\n');
    if (flag !== 'true' && flag !== 'false')
        return { repository: false, shallow: false, stderr: result.stderr };
    return {
        repository: true,
        shallow: flag === 'true',
        commit: result.exitCode === 0 && commit ? commit : undefined,
        stderr: result.stderr
    };
}
/**
 * Every tag of the repository with the commit it points to. With `mergedInto`, only the tags
 * reachable from that commit (what "the last release on this branch" means).
 */
async function listTags(options) {
    // git resolves `mergedInto` itself (a sha, HEAD or a tag), so the caller need not wait for it.
    const args = ['for-each-ref', '--format=%(refname:strip=2)%09%(objectname)%09%(*objectname)'];
    if (options.mergedInto)
        args.push(`--merged=${options.mergedInto}`);
    args.push('refs/tags/');
    const result = await (0,exec/* runChecked */.X4)('git', args, {
        cwd: options.cwd,
        timeoutMs: options.timeoutMs ?? 60_000,
        maxOutputBytes: BIG
    });
    const tags = [];
    for (const line of result.stdout.split('\n')) {
        if (!line)
            continue;
        const [name, object, peeled] = line.split('\t');
        tags.push({ name, commit: peeled || object });
    }
    return tags;
}
/**
 * The commits reachable from `to` but not from `from` (newest first), read in one `git log`
 * pass. `paths` limits them to commits touching those paths (a package of a monorepo).
 * `onCommit` sees each commit as git writes it, so the caller can work while git still walks
 * the history (on 5,000 commits the walk and the parse are each tens of milliseconds).
 */
async function readCommits(options) {
    const args = ['log', '-z', `--format=${LOG_FORMAT}`, '--end-of-options', options.to];
    if (options.from)
        args.push(`^${options.from}`);
    args.push('--');
    if (options.paths && options.paths.length > 0)
        args.push(...options.paths);
    const commits = [];
    const result = await streamRecords('git', args, {
        cwd: options.cwd,
        // Into a pipe git flushes after every commit: thousands of tiny writes, each a wake-up of
        // ours (measured: ~1,800 reads for 5,000 commits, 140 with block buffering, a third faster).
        env: { GIT_FLUSH: '0' },
        signal: options.signal,
        timeoutMs: options.timeoutMs ?? 120_000,
        onRecord: record => {
            const commit = parseRecord(record);
            if (!commit)
                return;
            commits.push(commit);
            options.onCommit?.(commit);
        }
    });
    // A stop that came before git could be killed (or before it set up its process group) must
    // still fail the read: the caller asked for no answer.
    if (options.signal?.aborted)
        throw new exec/* CommandError */.Qd(`git ${args[0]} was stopped: ${(0,exec/* describeFailure */.Ic)(result)}`, result);
    if (result.exitCode === 0)
        return commits;
    if (result.spawnErrorCode === 'ENOENT')
        throw new exec/* MissingProgramError */.Vu((0,exec/* describeFailure */.Ic)(result), result);
    throw new exec/* CommandError */.Qd((0,exec/* describeFailure */.Ic)(result), result);
}
const STDERR_TAIL = 64 * 1024;
/**
 * Runs a program without a shell (as `run` does: minimal environment, its own process group,
 * stopped with the action) and hands each NUL-terminated record of its output to `onRecord` as
 * it arrives, URL passwords redacted as `run` redacts its output.
 */
function streamRecords(command, args, options) {
    const started = Date.now();
    return new Promise((resolve, reject) => {
        const child = (0,children/* trackChild */.yH)((0,external_node_child_process_.spawn)(command, args, {
            cwd: options.cwd,
            env: (0,child_env/* spawnEnvironment */.hw)(options.env),
            stdio: ['ignore', 'pipe', 'pipe'],
            shell: false,
            detached: true
        }), { processGroup: true });
        const decoder = new external_node_string_decoder_.StringDecoder('utf8');
        let pending = '';
        let stderr = '';
        let timedOut = false;
        let failure;
        const kill = () => {
            try {
                // The whole group: git may have started a helper of its own.
                if (child.pid)
                    process.kill(-child.pid, 'SIGKILL');
            }
            catch {
                // No group yet (git has not reached setsid) or it exited meanwhile: git itself.
                child.kill('SIGKILL');
            }
        };
        const timer = setTimeout(() => {
            timedOut = true;
            kill();
        }, options.timeoutMs);
        if (options.signal?.aborted)
            kill();
        options.signal?.addEventListener('abort', kill, { once: true });
        const deliver = (text) => {
            pending += text;
            let at = 0;
            for (let end = pending.indexOf('\0'); end !== -1; end = pending.indexOf('\0', at)) {
                const record = pending.slice(at, end);
                at = end + 1;
                // A record can hold a URL with a password; `run` would have redacted it too.
                if (failure === undefined)
                    try {
                        options.onRecord(record.includes('://') ? (0,redact/* redactUrlPasswords */.BM)(record) : record);
                    }
                    catch (error) {
                        // A consumer's error ends the read once git is done; it must not kill the stream.
                        failure = error;
                    }
            }
            pending = pending.slice(at);
        };
        child.stdout.on('data', (chunk) => deliver(decoder.write(chunk)));
        child.stderr.on('data', (chunk) => {
            stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
        });
        const finish = (exitCode, signal, spawnError) => {
            clearTimeout(timer);
            options.signal?.removeEventListener('abort', kill);
            // Output that did not end with NUL is still a record.
            const rest = `${pending}${decoder.end()}`;
            pending = '';
            if (rest)
                deliver(`${rest}\0`);
            if (failure !== undefined) {
                reject(failure instanceof Error ? failure : new Error(String(failure)));
                return;
            }
            resolve({
                command,
                args,
                exitCode,
                signal,
                stdout: '',
                stderr: (0,redact/* redactUrlPasswords */.BM)(spawnError ? `${stderr}${spawnError.message}` : stderr),
                timedOut,
                durationMs: Date.now() - started,
                ...(spawnError ? { spawnErrorCode: spawnError.code } : {})
            });
        };
        child.on('error', error => finish(null, null, error));
        child.on('close', (code, signal) => finish(code, signal));
    });
}
/** Splits `git log -z` output (records ended by NUL) into commits. */
function parseLog(text) {
    const commits = [];
    let at = 0;
    while (at < text.length) {
        let end = text.indexOf('\0', at);
        if (end === -1)
            end = text.length;
        const commit = parseRecord(text.slice(at, end));
        if (commit)
            commits.push(commit);
        at = end + 1;
    }
    return commits;
}
/** One `LOG_FORMAT` record, split with indexOf (no regex, no arrays per commit); blank records are skipped. */
function parseRecord(record) {
    // git separates records with NUL and a newline; tolerate either.
    const at = record.charCodeAt(0) === 10 ? 1 : 0;
    const hashEnd = record.indexOf(FIELD, at);
    const parentsEnd = hashEnd === -1 ? -1 : record.indexOf(FIELD, hashEnd + 1);
    const dateEnd = parentsEnd === -1 ? -1 : record.indexOf(FIELD, parentsEnd + 1);
    const authorEnd = dateEnd === -1 ? -1 : record.indexOf(FIELD, dateEnd + 1);
    if (authorEnd === -1)
        return undefined;
    const parents = record.slice(hashEnd + 1, parentsEnd);
    return {
        hash: record.slice(at, hashEnd),
        parents: parents ? parents.split(' ') : [],
        date: record.slice(parentsEnd + 1, dateEnd),
        author: record.slice(dateEnd + 1, authorEnd),
        message: record.slice(authorEnd + 1)
    };
}

;// CONCATENATED MODULE: ./packages/release/src/git-tag.ts

// Tagger identity when the runner has none configured (git refuses an annotated tag without one).
const IDENTITY = {
    GIT_COMMITTER_NAME: process.env.GIT_COMMITTER_NAME ?? 'github-actions[bot]',
    GIT_COMMITTER_EMAIL: process.env.GIT_COMMITTER_EMAIL ?? '41898282+github-actions[bot]@users.noreply.github.com'
};
async function localTagCommit(cwd, tag) {
    const result = await (0,exec/* run */.eF)('git', ['rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`], { cwd });
    return result.exitCode === 0 ? result.stdout.trim() : undefined;
}
/**
 * Creates the annotated tag with local git and pushes it (`use-git: true`, e.g. when tags must
 * be signed or pushed with a deploy key). Idempotent like the API path.
 */
async function ensureTagWithGit(tag, sha, message, options) {
    const { cwd } = options;
    const existing = await localTagCommit(cwd, tag);
    let outcome = 'exists';
    if (existing && existing !== sha) {
        throw new errors/* UserError */.yo(`Tag ${tag} already exists and points to ${existing.slice(0, 12)}, not to ${sha.slice(0, 12)}. A release tag is never moved.`, 'delete the stray tag deliberately or release a new version');
    }
    if (!existing) {
        await (0,exec/* runChecked */.X4)('git', ['tag', '--annotate', '--message', message, '--end-of-options', tag, sha], { cwd, env: IDENTITY });
        outcome = 'created';
    }
    if (options.push !== false) {
        const pushed = await (0,exec/* run */.eF)('git', ['push', '--porcelain', options.remote ?? 'origin', `refs/tags/${tag}:refs/tags/${tag}`], { cwd, timeoutMs: 120_000 });
        if (pushed.exitCode !== 0) {
            const why = /rejected|already exists/i.test(pushed.stdout + pushed.stderr)
                ? `the remote already has a different ${tag}; a release tag is never moved`
                : pushed.stderr.trim().split('\n').slice(-3).join(' ');
            throw new errors/* UserError */.yo(`Could not push tag ${tag}: ${why}`, 'let the job push tags (contents: write, or a deploy key with write access)');
        }
    }
    return outcome;
}
/** Moves the floating major tag (`v1`) with local git and force-pushes it. */
async function moveTagWithGit(tag, sha, options) {
    const { cwd } = options;
    const existing = await localTagCommit(cwd, tag);
    if (existing !== sha)
        await (0,exec/* runChecked */.X4)('git', ['tag', '--force', '--end-of-options', tag, sha], {
            cwd,
            env: IDENTITY
        });
    if (options.push !== false) {
        await (0,exec/* runChecked */.X4)('git', ['push', '--force', options.remote ?? 'origin', `refs/tags/${tag}:refs/tags/${tag}`], { cwd, timeoutMs: 120_000 });
    }
    return existing === sha ? 'unchanged' : 'moved';
}

// EXTERNAL MODULE: ./node_modules/conventional-commits-parser/dist/index.js + 5 modules
var dist = __webpack_require__(4674);
// EXTERNAL MODULE: ./node_modules/conventional-commits-filter/dist/index.js + 3 modules
var conventional_commits_filter_dist = __webpack_require__(2520);
// EXTERNAL MODULE: ./packages/release/src/parser-options.ts
var parser_options = __webpack_require__(8049);
;// CONCATENATED MODULE: ./packages/release/src/commits.ts




const RELEASE_AS = /^Release-As:\s*(\S+)\s*$/im;
// Measured (bench/results/release.md): on 5,000 commits conventional-commits-parser spent most
// of the plan in its reference regex, which it runs on every header and body line even when
// the message holds no `#`. A message in which the parser can find nothing but its header is
// read here with the preset's own header patterns; a message with anything more — an issue
// prefix, a BREAKING CHANGE note, a revert, a `-field-` line, a gpg line, a carriage return —
// goes to the parser. The test in test/release/fast-parse.test.ts holds both to the same
// answers. Each alternative is wider than the parser's own rule (any line, any case), so a
// message is sent to the parser whenever the parser could see more than the header in it.
const NEEDS_PARSER = /#|breaking[ -]change|gpg:|\r|^revert|^-.*-$/im;
/** True when `message` is read without conventional-commits-parser (see NEEDS_PARSER). */
function readsWithoutParser(message) {
    return !NEEDS_PARSER.test(message);
}
/**
 * Parses one message as conventional-commits-parser does with PARSER_OPTIONS, without the
 * parser when only the header can hold anything.
 */
function parseMessage(message, parser) {
    if (!readsWithoutParser(message))
        return parseWithParser(message, parser);
    return readHeader(message);
}
/** The header alone, as the parser reads it, with a `!` header's breaking note. */
function readHeader(message) {
    // The parser's header is the first line once leading newlines are dropped.
    let start = 0;
    while (message.charCodeAt(start) === 10)
        start++;
    const end = message.indexOf('\n', start);
    const header = end === -1 ? message.slice(start) : message.slice(start, end);
    const breaking = parser_options/* PARSER_OPTIONS */.B.breakingHeaderPattern.exec(header);
    const match = breaking ?? parser_options/* PARSER_OPTIONS */.B.headerPattern.exec(header);
    return {
        header,
        type: match?.[1] || null,
        scope: match?.[2] || null,
        subject: match?.[3] || null,
        notes: breaking ? [{ title: 'BREAKING CHANGE', text: breaking[3] }] : [],
        references: [],
        revert: null
    };
}
/**
 * conventional-commits-parser with one shortcut. Its reference regex is slow on lines without
 * an issue prefix (measured: 15 ms for the 714 messages with references among 5,000, 1.3 ms
 * with the shortcut) and can find nothing in them: every reference it returns contains the
 * prefix, and the regexes it uses are back at lastIndex 0 after each call. So a line without
 * the prefix is answered with no references without running the regex. Should a later version
 * of the parser rename the method, the shortcut is simply not taken.
 */
function createParser() {
    const parser = new dist/* CommitParser */.Jf(parser_options/* PARSER_OPTIONS */.B);
    const internals = parser;
    const parseReferences = internals.parseReferences;
    // Matched as the parser matches prefixes: any of them, in any case.
    const prefix = new RegExp(parser_options/* PARSER_OPTIONS */.B.issuePrefixes.map(p => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'i');
    if (typeof parseReferences === 'function')
        internals.parseReferences = function (input) {
            // Anything but a line (the parser passes undefined past the last line) goes through as is.
            return typeof input === 'string' && !prefix.test(input)
                ? []
                : parseReferences.call(this, input);
        };
    return parser;
}
const BREAKING_FOOTER = /^BREAKING[ -]CHANGE:[ \t]*(.*)$/gm;
/**
 * conventional-commits-parser throws a TypeError on some bodies (a `BREAKING CHANGE:` note
 * followed by a last `---` line, for one). A message the parser cannot read is read by its
 * header and its `BREAKING CHANGE:` footers, so the release neither fails on a commit message
 * nor misses a breaking change in it.
 */
function parseWithParser(message, parser) {
    try {
        return parser.parse(message);
    }
    catch {
        const read = readHeader(message);
        const footers = [...message.matchAll(BREAKING_FOOTER)].map(m => ({
            title: 'BREAKING CHANGE',
            text: m[1].trim()
        }));
        return { ...read, notes: [...read.notes, ...footers] };
    }
}
/**
 * Parses commits (newest first) the way conventional-changelog does: merge commits are left
 * out (the preset reads `git log --no-merges`; the merged branch's own commits are still
 * there), and a revert of a commit in the same range cancels both.
 */
function parseCommits(raw, options = {}) {
    const reader = new CommitReader(options);
    for (const commit of raw)
        reader.add(commit);
    return reader.finish();
}
/**
 * `parseCommits` one commit at a time, so the messages are parsed while `git log` still writes
 * (newest first, as git writes them); `finish` applies what needs the whole range (reverts).
 */
class CommitReader {
    read;
    parsed = [];
    count = 0;
    reverts = false;
    constructor(options = {}) {
        const parser = options.fastPath === false ? new dist/* CommitParser */.Jf(parser_options/* PARSER_OPTIONS */.B) : createParser();
        this.read =
            options.fastPath === false
                ? (message) => parseWithParser(message, parser)
                : (message) => parseMessage(message, parser);
    }
    add(commit) {
        const index = this.count++;
        if (commit.parents.length > 1)
            return;
        if (!commit.message.trim())
            return;
        const message = this.read(commit.message);
        message.hash = commit.hash;
        message.index = index;
        message.source = commit;
        if (message.revert)
            this.reverts = true;
        this.parsed.push(message);
    }
    finish() {
        // filterRevertedCommitsSync expects newest first (git log order) and matches a revert's
        // `header` + `hash` against the reverted commit. Without a revert it keeps everything in
        // order, so the common case skips it.
        const kept = this.reverts
            ? [...(0,conventional_commits_filter_dist/* filterRevertedCommitsSync */.FY)(this.parsed)].sort((a, b) => a.index - b.index)
            : this.parsed;
        return kept.map(commit => toConventional(commit, commit.source));
    }
}
function toConventional(commit, raw) {
    const header = commit.header ?? raw.message.split('\n')[0];
    const revert = commit.revert
        ? { header: commit.revert.header ?? undefined, hash: commit.revert.hash ?? undefined }
        : undefined;
    const type = revert ? 'revert' : commit.type ? String(commit.type).toLowerCase() : undefined;
    return {
        hash: raw.hash,
        date: raw.date,
        author: raw.author,
        type,
        scope: commit.scope ?? undefined,
        subject: revert ? (revert.header ?? header) : (commit.subject ?? header),
        header,
        breaking: commit.notes.map(note => note.text),
        references: commit.references,
        revert,
        releaseAs: RELEASE_AS.exec(raw.message)?.[1]
    };
}

// EXTERNAL MODULE: ./packages/release/src/notes.ts
var src_notes = __webpack_require__(916);
;// CONCATENATED MODULE: ./packages/release/src/version.ts

const PATCH_TYPES = new Set(['fix', 'perf', 'revert']);
const MINOR_TYPES = new Set(['feat', 'feature']);
/**
 * The bump the commits call for: a breaking change (`!` or a BREAKING CHANGE footer) is major,
 * feat minor, fix/perf (and a revert of something already released) patch; anything else
 * (docs, chore, ci, free-form messages) releases nothing. Same rule as the conventionalcommits
 * preset of conventional-recommended-bump with `bumpStrict`.
 */
function bumpOf(commits) {
    let bump = 'none';
    for (const commit of commits) {
        if (commit.breaking.length > 0)
            return 'major';
        if (commit.type && MINOR_TYPES.has(commit.type))
            bump = 'minor';
        else if (commit.type && PATCH_TYPES.has(commit.type) && bump === 'none')
            bump = 'patch';
    }
    return bump;
}
/** The bump actually applied to `current`: 0.x versions treat breaking changes as minor. */
function effectiveBump(bump, current, options = {}) {
    if (bump === 'major' && semver_default().major(current) === 0 && !options.bumpMajorPreMajor)
        return 'minor';
    return bump;
}
/** Tags named `<prefix><valid semver>` (exactly; `v1.2` or `api-v1.2.0` do not match prefix `v`). */
function versionTags(tags, prefix) {
    const found = [];
    for (const tag of tags) {
        if (!tag.name.startsWith(prefix))
            continue;
        const rest = tag.name.slice(prefix.length);
        const version = semver_default().valid(rest);
        // semver.valid accepts a leading "v" or "="; require the exact text so `v` never matches `vv1.0.0`.
        if (version && version === rest)
            found.push({ ...tag, version });
    }
    return found.sort((a, b) => semver_default().rcompare(a.version, b.version));
}
/** The highest stable version tag, or undefined. */
function latestStable(tags) {
    return tags.find(tag => semver_default().prerelease(tag.version) === null);
}
/**
 * The prerelease version for a channel: `1.3.0-rc.1`, then `-rc.2` … The counter continues
 * after the highest existing `<base>-<channel>.N` tag anywhere in the repository (tag names
 * are unique), so two branches never mint the same prerelease.
 */
function prereleaseVersion(base, channel, allTags) {
    let highest = 0;
    for (const tag of allTags) {
        const parts = semver_default().prerelease(tag.version);
        if (!parts ||
            `${semver_default().major(tag.version)}.${semver_default().minor(tag.version)}.${semver_default().patch(tag.version)}` !==
                base)
            continue;
        if (parts.length === 2 && parts[0] === channel && typeof parts[1] === 'number')
            highest = Math.max(highest, parts[1]);
    }
    return `${base}-${channel}.${highest + 1}`;
}
/** The next stable version: `current` bumped (0.0.0 when there is no release yet). */
function nextStable(current, bump, options = {}) {
    const base = current ?? '0.0.0';
    const applied = effectiveBump(bump, base, options);
    return semver_default().inc(base, applied);
}
/** `x.y.z` without build metadata or a leading `v`, or undefined. */
function exactVersion(text) {
    const valid = semver_default().valid(text);
    return valid && valid === text ? valid : undefined;
}

;// CONCATENATED MODULE: ./packages/release/src/plan.ts






/**
 * Reads the checkout (tags, then the commits since the last stable tag in one `git log`
 * pass) and decides the next version and its notes. Changes nothing.
 *
 * Tags already on the target commit are treated as the result of an earlier run of the same
 * job: they are not "the previous release", so a re-run computes the same version and the
 * later steps converge instead of releasing nothing (or minting -rc.2 for the same commit).
 */
async function planRelease(options) {
    const started = Date.now();
    const warn = options.warn ?? (() => undefined);
    const git = { cwd: options.cwd };
    const revision = options.sha ?? 'HEAD';
    // The look at the checkout and the tag listings run side by side (git resolves the revision
    // for --merged itself); their answers are judged in order below, so a bad checkout or sha is
    // reported as before.
    // Started in the order the log needs them: the log waits for the first two, and starting a
    // process costs ours a few milliseconds each.
    const looked = inspectCheckout(revision, git);
    const everyTag = listTags(git);
    const reachable = listTags({ ...git, mergedInto: revision });
    // Rejections are judged only after the checkout is; until then they must not go unhandled.
    reachable.catch(() => undefined);
    everyTag.catch(() => undefined);
    const checkout = await looked;
    if (!checkout.repository)
        throw new errors/* UserError */.yo(`${options.cwd} is not a git checkout: ${checkout.stderr.trim()}`, 'run actions/checkout (with fetch-depth: 0) before this step, or set working-directory');
    if (checkout.shallow) {
        throw new errors/* UserError */.yo('The checkout is shallow: tag-and-release needs the full history and tags (actions/checkout with `fetch-depth: 0`)', 'use actions/checkout with fetch-depth: 0');
    }
    if (!checkout.commit) {
        if (options.sha)
            throw new errors/* InputError */.dz('sha', `a commit of the checkout in ${options.cwd}`, options.sha);
        throw new errors/* UserError */.yo(`The checkout in ${options.cwd} has no commit yet`, 'commit something to release first');
    }
    const sha = checkout.commit;
    const all = versionTags(await everyTag, options.tagPrefix);
    const range = { ...git, to: sha, paths: options.paths };
    // Which tags the commit reaches takes git a walk of the history (tens of milliseconds on a
    // long one), and so does the log. The previous release is nearly always the highest stable
    // tag of the whole repository, known at once: the log from it starts now, and is kept only
    // if the walk confirms it (else it is stopped and the log read again from the right tag).
    const guess = options.rewriteCommits
        ? undefined
        : latestStable(all.filter(tag => tag.commit !== sha));
    const early = guess ? startReading({ ...range, from: guess.commit }) : undefined;
    const reachableTags = await reachable.catch((error) => {
        early?.stop();
        throw error;
    });
    const earlier = versionTags(reachableTags, options.tagPrefix).filter(tag => tag.commit !== sha);
    const previous = latestStable(earlier);
    let raw;
    let commits;
    if (options.rewriteCommits) {
        raw = await options.rewriteCommits(await readCommits({ ...range, from: previous?.commit }));
        commits = parseCommits(raw);
    }
    else {
        let reading = early;
        if (!reading || guess?.commit !== previous?.commit) {
            early?.stop();
            reading = startReading({ ...range, from: previous?.commit });
        }
        ;
        ({ raw, commits } = await reading.done);
    }
    const bump = bumpOf(commits);
    let releaseAs = options.releaseAs;
    let releaseAsSource = releaseAs ? 'input' : undefined;
    if (!releaseAs) {
        for (const commit of commits) {
            if (!commit.releaseAs)
                continue;
            const version = exactVersion(commit.releaseAs);
            if (version) {
                releaseAs = version;
                releaseAsSource = commit.hash;
                break;
            }
            warn(`Ignoring "Release-As: ${commit.releaseAs}" in ${commit.hash.slice(0, 7)}: not a semantic version such as 1.4.0`);
        }
    }
    const base = {
        sha,
        previousTag: previous?.name,
        previousVersion: previous?.version,
        commits,
        releaseAsSource,
        durationMs: 0
    };
    if (bump === 'none' && !releaseAs) {
        const reason = commits.length === 0
            ? `No commits since ${previous?.name ?? 'the beginning of the history'}${options.paths?.length ? ` touching ${options.paths.join(', ')}` : ''}`
            : `None of the ${commits.length} commit(s) since ${previous?.name ?? 'the beginning'} is releasable (feat, fix, perf, revert or a breaking change)`;
        return {
            ...base,
            released: false,
            reason,
            bump,
            prerelease: false,
            notes: '',
            durationMs: Date.now() - started
        };
    }
    if (releaseAs && previous && semver_default().lte(releaseAs, previous.version)) {
        warn(`Release-As ${releaseAs} is not above the previous release ${previous.version}`);
    }
    const stable = releaseAs ?? nextStable(previous?.version, bump, options);
    const sameCommit = (tag) => tag.commit !== sha;
    const version = options.prerelease && !semver_default().prerelease(stable)
        ? prereleaseVersion(stable, options.prerelease, all.filter(sameCommit))
        : stable;
    const tag = `${options.tagPrefix}${version}`;
    const appliedBump = releaseAs
        ? bumpBetween(previous?.version, stable)
        : effectiveBump(bump, previous?.version ?? '0.0.0', options);
    const notes = (0,src_notes/* renderNotes */.IE)(commits, {
        version,
        tag,
        previousTag: previous?.name,
        repoUrl: options.repoUrl,
        date: (raw[0]?.date ?? new Date().toISOString()).slice(0, 10),
        extraSections: options.extraSections
    });
    return {
        ...base,
        released: true,
        version,
        tag,
        bump: appliedBump,
        prerelease: semver_default().prerelease(version) !== null,
        notes,
        durationMs: Date.now() - started
    };
}
/** Reads and parses a range, the parse overlapping git's walk (as git writes each commit). */
function startReading(range) {
    const reader = new CommitReader();
    const controller = new AbortController();
    const done = readCommits({
        ...range,
        signal: controller.signal,
        onCommit: commit => reader.add(commit)
    }).then(raw => ({ raw, commits: reader.finish() }));
    // A guess that is dropped (or a plan that fails first) never awaits it.
    done.catch(() => undefined);
    return { done, stop: () => controller.abort() };
}
function bumpBetween(previous, next) {
    if (!previous)
        return semver_default().major(next) > 0 ? 'major' : semver_default().minor(next) > 0 ? 'minor' : 'patch';
    const diff = semver_default().diff(previous, next);
    if (diff === 'major' || diff === 'premajor')
        return 'major';
    if (diff === 'minor' || diff === 'preminor')
        return 'minor';
    return diff ? 'patch' : 'none';
}

;// CONCATENATED MODULE: ./packages/release/src/publish.ts



/**
 * Creates the release as a draft, uploads every asset, then publishes it — the order
 * immutable releases need. A re-run finds the same release (draft or published) and only
 * does what is missing; a same-named asset with other content is replaced, except on an
 * immutable published release, where that is refused with an error.
 */
async function publishRelease(store, options) {
    const log = options.log ?? (() => undefined);
    // A tag this store has just created had no release: GitHub would have made the tag when
    // publishing it. Creating the release is the first call then; a conflict still finds it.
    const tagIsNew = store.created?.get(options.tag) === options.sha;
    let release = tagIsNew ? undefined : await store.findRelease([options.tag]);
    let action = 'unchanged';
    if (!release) {
        try {
            release = await store.createRelease({
                tag: options.tag,
                target: options.sha,
                name: options.name,
                body: options.body,
                draft: true,
                prerelease: options.prerelease
            });
            action = 'created';
            log(`Created draft release ${options.tag}`);
        }
        catch (error) {
            if (!(error instanceof ReleaseConflict))
                throw error;
            release = await store.findRelease([options.tag]);
            if (!release)
                throw error;
        }
    }
    const assets = await syncAssets(store, release, options.assets, log, action === 'created');
    if (release.draft) {
        release = await store.updateRelease(release.id, {
            draft: false,
            name: options.name,
            body: options.body,
            prerelease: options.prerelease,
            makeLatest: options.prerelease ? 'false' : options.makeLatest
        });
        action = action === 'created' ? 'created' : 'published';
        log(`Published release ${options.tag}`);
    }
    return { release, action, assets };
}
const NEW_VERSION = 'release a new version to ship other content';
/** A user error that keeps the store's refusal as its cause (UserError takes no options). */
function refusal(message, cause) {
    const error = new errors/* UserError */.yo(message, NEW_VERSION);
    return cause === undefined ? error : Object.assign(error, { cause });
}
async function syncAssets(store, release, files, log, releaseIsNew) {
    if (files.length === 0)
        return [];
    // A release created by this call has no assets yet: nothing to list.
    const existing = releaseIsNew
        ? new Map()
        : await assetsByName(store, release.id);
    const outcomes = [];
    for (const file of files) {
        const current = existing.get(file.name);
        if (current) {
            if ((await assetSha256(store, current)) === file.sha256) {
                outcomes.push({ name: file.name, action: 'unchanged' });
                continue;
            }
            if (!release.draft && release.immutable)
                throw refusal(`Release ${release.tag_name} is immutable and already has an asset ${file.name} with different content; ` +
                    'an immutable release cannot change its assets: release a new version instead');
            try {
                await store.deleteAsset(current.id);
            }
            catch (error) {
                if (error instanceof ReleaseConflict && !release.draft)
                    throw refusal(`Release ${release.tag_name} is published and refuses to change its asset ${file.name} (immutable release); ` +
                        'release a new version instead', error);
                throw error;
            }
            await store.uploadAsset(release, file.name, file.data);
            log(`Replaced asset ${file.name} (content changed)`);
            outcomes.push({ name: file.name, action: 'replaced' });
            continue;
        }
        try {
            await store.uploadAsset(release, file.name, file.data);
            outcomes.push({ name: file.name, action: 'uploaded' });
            log(`Uploaded ${file.name} (${file.data.length} bytes)`);
        }
        catch (error) {
            if (!(error instanceof ReleaseConflict))
                throw error;
            // A retried upload that had in fact succeeded, or a concurrent run: converge on content.
            const now = (await assetsByName(store, release.id)).get(file.name);
            if (!now || (await assetSha256(store, now)) !== file.sha256) {
                if (!release.draft)
                    throw refusal(`Cannot upload ${file.name} to ${release.tag_name}: the release refuses new assets (immutable release?)`, error);
                throw error;
            }
            outcomes.push({ name: file.name, action: 'unchanged' });
        }
    }
    return outcomes;
}
async function assetsByName(store, releaseId) {
    return new Map((await store.listAssets(releaseId)).map(asset => [asset.name, asset]));
}
/** An asset's SHA-256: from its `digest` when the store reports one, else by downloading it. */
async function assetSha256(store, asset) {
    if (asset.digest?.startsWith('sha256:'))
        return asset.digest.slice('sha256:'.length);
    return sha256(await store.downloadAsset(asset.id));
}
/** Turns an existing prerelease (or draft) into a full release. */
async function promoteRelease(store, tag, makeLatest) {
    const release = await store.findRelease([tag]);
    if (!release)
        throw new errors/* UserError */.yo(`promote: there is no release for tag ${tag} in ${store.location}`, 'promote a tag that tag-and-release published as a prerelease');
    if (!release.prerelease && !release.draft)
        return { release, action: 'unchanged' };
    const promoted = await store.updateRelease(release.id, {
        draft: false,
        prerelease: false,
        makeLatest
    });
    return { release: promoted, action: 'promoted' };
}

;// CONCATENATED MODULE: ./packages/release/src/tags.ts


function pointsElsewhere(tag, actual, wanted) {
    return new errors/* UserError */.yo(`Tag ${tag} already exists and points to ${actual.slice(0, 12)}, not to ${wanted.slice(0, 12)}. ` +
        'A release tag is never moved: delete it deliberately or release a new version ' +
        '(if the checkout lacks tags, check out with `fetch-depth: 0`).', 'use actions/checkout with fetch-depth: 0, or delete the stray tag');
}
/**
 * Creates the annotated tag `tag` at `sha`. Idempotent: a tag already at `sha` is fine; a tag
 * elsewhere is an error. Creating comes first and the tag is read only when that conflicts: a
 * release tag is new far more often than not, and on GitHub each read is a call. (A re-run
 * thereby leaves an unreferenced tag object behind, which git collects.)
 */
async function ensureTag(store, tag, sha, message) {
    try {
        await store.createAnnotatedTag(tag, sha, message);
        return 'created';
    }
    catch (error) {
        // The tag exists: from an earlier run, another run, or a retried request that did succeed.
        if (!(error instanceof ReleaseConflict))
            throw error;
        const now = await store.tagCommit(tag);
        if (now === sha)
            return 'exists';
        if (now)
            throw pointsElsewhere(tag, now, sha);
        throw error;
    }
}
/**
 * Points the floating major tag (`v1`) at `sha`, creating it when missing. When this store has
 * just created a release tag at `sha`, the major tag cannot point there yet: it is set in one
 * write without reading it first.
 */
async function moveTag(store, tag, sha) {
    const justTagged = [...(store.created?.entries() ?? [])].some(([created, commit]) => created !== tag && commit === sha);
    if (justTagged && store.setTagRef)
        return store.setTagRef(tag, sha);
    const existing = await store.tagCommit(tag);
    if (existing === sha)
        return 'unchanged';
    if (existing) {
        await store.moveTagRef(tag, sha);
        return 'moved';
    }
    try {
        await store.createTagRef(tag, sha);
        return 'created';
    }
    catch (error) {
        if (!(error instanceof ReleaseConflict))
            throw error;
        await store.moveTagRef(tag, sha);
        return 'moved';
    }
}

;// CONCATENATED MODULE: ./packages/release/src/release-pr/body.ts
/**
 * The release pull request's title and body. The body is for people (version, notes, the
 * files that change) and carries the release in a hidden marker, so the run after the merge
 * releases exactly what was reviewed, even when the notes were edited in the pull request.
 */
const MARKER = /<!-- slipway-release (\{[^\n]*\}) -->/;
const NOTES_BEGIN = '<!-- slipway-notes-begin -->';
const NOTES_END = '<!-- slipway-notes-end -->';
const PENDING_LABEL = 'slipway: pending';
const RELEASED_LABEL = 'slipway: released';
function proposalTitle(base, version, component) {
    return `chore(${base}): release ${component ? `${component} ` : ''}${version}`;
}
function proposalBody(proposal) {
    const { tag, version, previousTag, bump, prerelease, notes, changes } = proposal;
    const meta = JSON.stringify({ tag, version, prerelease });
    return [
        `Merging this pull request releases **${tag}** (${bump}${previousTag ? ` from ${previousTag}` : ', the first release'}${prerelease ? ', prerelease' : ''}).`,
        '',
        `<!-- slipway-release ${meta} -->`,
        '',
        '### Files changed',
        '',
        ...changes.map(change => `- ${change}`),
        '',
        '### Release notes',
        '',
        NOTES_BEGIN,
        notes.trim(),
        NOTES_END,
        '',
        '---',
        'This pull request is kept up to date by Slipway on every push; edit the notes above before merging to change the release notes.',
        ''
    ].join('\n');
}
/** The release a merged release pull request stands for, or undefined when the body has none. */
function readProposal(body) {
    const meta = MARKER.exec(body);
    if (!meta)
        return undefined;
    let parsed;
    try {
        parsed = JSON.parse(meta[1]);
    }
    catch {
        return undefined;
    }
    if (typeof parsed.tag !== 'string' || typeof parsed.version !== 'string')
        return undefined;
    const begin = body.indexOf(NOTES_BEGIN);
    const end = body.indexOf(NOTES_END);
    const notes = begin >= 0 && end > begin ? body.slice(begin + NOTES_BEGIN.length, end).trim() : '';
    return {
        tag: parsed.tag,
        version: parsed.version,
        prerelease: parsed.prerelease === true,
        notes
    };
}

;// CONCATENATED MODULE: ./packages/release/src/release-pr/overrides.ts

const BLOCK = /BEGIN_COMMIT_OVERRIDE\s*\n([\s\S]*?)\n\s*END_COMMIT_OVERRIDE/;
const HEADER = /^\w+(?:\([^)]*\))?!?: \S/;
/** The commit messages a pull request body's override block stands for, or undefined. */
function overrideMessages(body) {
    const block = BLOCK.exec(body.replace(/\r\n/g, '\n'));
    if (!block)
        return undefined;
    const messages = [];
    for (const line of block[1].split('\n')) {
        if (HEADER.test(line.trim()) || messages.length === 0)
            messages.push(line.trim());
        else
            messages[messages.length - 1] += `\n${line}`;
    }
    return messages.map(message => message.trim()).filter(Boolean);
}
/**
 * Replaces the commits of merged pull requests whose body has a
 * `BEGIN_COMMIT_OVERRIDE … END_COMMIT_OVERRIDE` block (release-please's convention) by the
 * messages in it: a squash commit by those messages; a merge commit and the branch commits it
 * brought by those messages. One API call per commit, for the newest `limit` commits.
 */
async function applyCommitOverrides(raw, pulls, options) {
    const limit = options.limit ?? 100;
    if (raw.length > limit)
        options.warn?.(`Commit overrides are read for the newest ${limit} of ${raw.length} commits only`);
    const replaced = new Map();
    const dropped = new Set();
    const seen = new Set();
    for (const commit of raw.slice(0, limit)) {
        if (dropped.has(commit.hash))
            continue;
        const pull = (await pulls.mergedInto(commit.hash)).find(p => !seen.has(p.number));
        const messages = pull && overrideMessages(pull.body);
        if (!pull || !messages)
            continue;
        seen.add(pull.number);
        replaced.set(commit.hash, messages.map((message, n) => ({
            ...commit,
            hash: n === 0 ? commit.hash : `${commit.hash}-${n}`,
            parents: commit.parents.slice(0, 1),
            message: `${message}\n`
        })));
        if (commit.parents.length > 1) {
            const { stdout } = await (0,exec/* runChecked */.X4)('git', ['rev-list', `${commit.parents[0]}..${commit.parents[1]}`], { cwd: options.cwd });
            for (const hash of stdout.split('\n').filter(Boolean))
                dropped.add(hash);
        }
    }
    return raw
        .filter(commit => !dropped.has(commit.hash))
        .flatMap(commit => replaced.get(commit.hash) ?? [commit]);
}

;// CONCATENATED MODULE: ./packages/release/src/release-pr/release-branch.ts



// The commit is the bot's, as release tools' commits are; the env carries it so no git config
// of the checkout is changed.
const release_branch_IDENTITY = {
    GIT_AUTHOR_NAME: 'github-actions[bot]',
    GIT_AUTHOR_EMAIL: '41898282+github-actions[bot]@users.noreply.github.com',
    GIT_COMMITTER_NAME: 'github-actions[bot]',
    GIT_COMMITTER_EMAIL: '41898282+github-actions[bot]@users.noreply.github.com'
};
/**
 * Makes the release commit (version files, changelog) on top of `sha` and force-pushes it to
 * the release branch, the way release-please keeps one branch it owns. When the remote branch
 * already has the same tree on the same parent, nothing is pushed, so a re-run converges.
 */
async function pushReleaseBranch(options) {
    const git = (args, cwd = options.cwd) => (0,exec/* runChecked */.X4)('git', args, { cwd, env: release_branch_IDENTITY, timeoutMs: 120_000 });
    const worktree = (0,external_node_path_.join)((0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(options.tempDir, 'slipway-release-pr-')), 'tree');
    await git(['worktree', 'add', '--detach', '--quiet', worktree, options.sha]);
    try {
        const files = options.edit(worktree);
        await git(['add', '--', ...files], worktree);
        await git(['commit', '--quiet', '--no-verify', '-m', options.message], worktree);
        const commit = (await git(['rev-parse', 'HEAD'], worktree)).stdout.trim();
        const tree = (await git(['rev-parse', 'HEAD^{tree}'], worktree)).stdout.trim();
        const fetched = await (0,exec/* run */.eF)('git', ['fetch', '--quiet', '--no-tags', options.remote, `refs/heads/${options.branch}`], { cwd: worktree, timeoutMs: 120_000 });
        if (fetched.exitCode === 0) {
            const remote = (await git(['log', '-1', '--format=%T %P', 'FETCH_HEAD'], worktree)).stdout.trim();
            if (remote === `${tree} ${options.sha}`) {
                const existing = (await git(['rev-parse', 'FETCH_HEAD'], worktree)).stdout.trim();
                return { commit: existing, pushed: false, files };
            }
        }
        const pushed = await (0,exec/* run */.eF)('git', ['push', '--quiet', '--force', options.remote, `${commit}:refs/heads/${options.branch}`], { cwd: worktree, timeoutMs: 120_000 });
        if (pushed.exitCode !== 0)
            throw new errors/* UserError */.yo(`Could not push the release branch ${options.branch} to ${options.remote}: ${pushed.stderr.trim()}`, 'check out with persisted credentials (actions/checkout default) and grant `contents: write`');
        return { commit, pushed: true, files };
    }
    finally {
        await (0,exec/* run */.eF)('git', ['worktree', 'remove', '--force', worktree], { cwd: options.cwd });
        (0,external_node_fs_.rmSync)((0,external_node_path_.join)(worktree, '..'), { recursive: true, force: true });
    }
}

// EXTERNAL MODULE: ./packages/release/src/release-pr/version-files.ts + 11 modules
var version_files = __webpack_require__(3885);
;// CONCATENATED MODULE: ./packages/release/src/release-pr/run-release-pr.ts














const COMMENT_MARK = '<!-- slipway-released -->';
/**
 * Release-PR mode: on a push to the base branch, either release what a just-merged release
 * pull request proposed, or bring the one open release pull request up to date with the next
 * version (or close it when nothing is releasable). Every step converges on re-run.
 */
async function runReleasePullRequest(options, releases, pulls) {
    const log = options.log ?? (() => undefined);
    const base = options.baseBranch ?? (await currentBranch(options.cwd));
    const sha = await resolveCommit(options.sha ?? 'HEAD', { cwd: options.cwd });
    if (!options.dryRun) {
        const merged = (await pulls.mergedInto(sha)).find(pull => pull.head === options.releaseBranch && pull.base === base);
        const proposal = merged && readProposal(merged.body);
        if (merged && proposal) {
            log(`${sha.slice(0, 7)} is the merge of release pull request #${merged.number}`);
            const result = await releaseMerged(options, releases, sha, proposal);
            if (!merged.labels.includes(RELEASED_LABEL)) {
                const comments = await pulls.comments(merged.number);
                if (!comments.some(body => body.includes(COMMENT_MARK)))
                    await pulls.comment(merged.number, `${COMMENT_MARK}\nReleased **${proposal.tag}**: ${result.releaseUrl ?? ''}`);
                await pulls.setLabels(merged.number, [
                    ...merged.labels.filter(label => label !== PENDING_LABEL),
                    RELEASED_LABEL
                ]);
            }
            return {
                ...result,
                pullRequest: { action: 'released', number: merged.number, url: merged.url, files: [] }
            };
        }
    }
    const plan = await planRelease({
        ...options,
        sha,
        rewriteCommits: async (raw) => {
            const rewritten = options.offline
                ? raw
                : await applyCommitOverrides(raw, pulls, { cwd: options.cwd, warn: options.warn });
            return options.filterCommits ? options.filterCommits(rewritten) : rewritten;
        }
    });
    const result = {
        plan,
        dryRun: options.dryRun,
        assets: [],
        plannedAssets: [],
        steps: [],
        pullRequest: { action: 'none', files: [] }
    };
    const open = options.offline ? undefined : await findOpen(pulls, options, base);
    if (!plan.released) {
        if (open) {
            result.pullRequest = {
                action: options.dryRun ? 'would-close' : 'closed',
                number: open.number,
                url: open.url,
                files: []
            };
            if (!options.dryRun) {
                await pulls.comment(open.number, `Closing: nothing to release. ${plan.reason ?? ''}`.trim());
                await pulls.update(open.number, { state: 'closed' });
            }
        }
        return result;
    }
    const version = plan.version;
    const changes = options.versionFiles.map(file => `\`${file.path}\`: ${(0,version_files/* readVersion */.$4)(options.cwd, file) ?? '?'} → ${version}`);
    changes.push(`\`${options.changelogFile}\`: the ${version} section prepended`);
    const title = proposalTitle(base, version, options.component);
    const body = proposalBody({
        tag: plan.tag,
        version,
        previousTag: plan.previousTag,
        bump: plan.bump,
        prerelease: plan.prerelease,
        notes: plan.notes,
        changes
    });
    if (options.dryRun) {
        result.pullRequest = {
            action: open ? 'would-update' : 'would-open',
            number: open?.number,
            url: open?.url,
            files: changes
        };
        return result;
    }
    const branch = await pushReleaseBranch({
        cwd: options.cwd,
        sha,
        branch: options.releaseBranch,
        remote: options.remote ?? 'origin',
        message: `${title}\n`,
        tempDir: options.tempDir,
        edit: worktree => {
            const written = options.versionFiles.flatMap(file => (0,version_files/* writeVersion */.gN)(worktree, file, version));
            const changelog = (0,external_node_path_.isAbsolute)(options.changelogFile)
                ? options.changelogFile
                : (0,external_node_path_.join)(worktree, options.changelogFile);
            prependChangelog(changelog, plan.notes, version);
            return [...written, options.changelogFile];
        }
    });
    log(branch.pushed
        ? `Pushed ${branch.commit.slice(0, 7)} to ${options.releaseBranch}`
        : `${options.releaseBranch} already holds ${version}`);
    if (open) {
        const same = open.title === title && open.body === body;
        const updated = same ? open : await pulls.update(open.number, { title, body });
        result.pullRequest = {
            action: same && !branch.pushed ? 'unchanged' : 'updated',
            number: updated.number,
            url: updated.url,
            files: changes
        };
    }
    else {
        const created = await pulls.create({ title, body, head: options.releaseBranch, base });
        await pulls.setLabels(created.number, [PENDING_LABEL]);
        result.pullRequest = {
            action: 'opened',
            number: created.number,
            url: created.url,
            files: changes
        };
    }
    return result;
}
async function findOpen(pulls, options, base) {
    return pulls.findOpen(options.releaseBranch, base);
}
async function currentBranch(cwd) {
    const branch = await (0,exec/* run */.eF)('git', ['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd });
    if (branch.exitCode !== 0 || !branch.stdout.trim())
        throw new errors/* UserError */.yo(`The checkout in ${cwd} is not on a branch, so the release pull request has no base`, 'set base-branch, or check out the branch (actions/checkout does on a push)');
    return branch.stdout.trim();
}
/** Tag, release with the reviewed notes, assets and major tag: the existing release path. */
async function releaseMerged(options, releases, sha, proposal) {
    const { tag, version, notes } = proposal;
    const prerelease = semver_default().prerelease(version) !== null;
    const plan = {
        released: true,
        version,
        tag,
        bump: 'none',
        sha,
        prerelease,
        notes,
        commits: [],
        durationMs: 0
    };
    const files = await collectAssets(options.assets ?? [], options.cwd);
    const uploads = files.length > 0 && options.checksums !== false ? [...files, checksumsAsset(files)] : files;
    const message = `${tag}\n\n${notes}`;
    const tagOutcome = options.useGit
        ? await ensureTagWithGit(tag, sha, message, { cwd: options.cwd, remote: options.remote })
        : await ensureTag(releases, tag, sha, message);
    const published = await publishRelease(releases, {
        tag,
        sha,
        name: tag,
        body: notes,
        prerelease,
        makeLatest: options.makeLatest ?? 'true',
        assets: uploads,
        log: options.log
    });
    const result = {
        plan,
        dryRun: false,
        releaseId: published.release.id,
        releaseUrl: published.release.html_url,
        tagOutcome: `${tag} ${tagOutcome}`,
        assets: published.assets,
        plannedAssets: uploads.map(file => file.name),
        steps: []
    };
    if (options.majorTag && !prerelease) {
        const major = `${options.tagPrefix}${semver_default().major(version)}`;
        const outcome = options.useGit
            ? await moveTagWithGit(major, sha, { cwd: options.cwd, remote: options.remote })
            : await moveTag(releases, major, sha);
        result.majorTag = `${major} ${outcome}`;
    }
    return result;
}

// EXTERNAL MODULE: ./packages/kit/src/duration.ts
var duration = __webpack_require__(5438);
;// CONCATENATED MODULE: ./packages/release/src/summary.ts

/** The job summary: what was (or would be) released, the steps with timings, and the notes. */
function writeSummary(summary, result, repoUrl) {
    const { plan } = result;
    const dry = result.dryRun ? ' (dry run)' : '';
    if (result.promoted) {
        summary.heading(`Promote ${result.promoted}${dry}`);
    }
    else if (!plan.released) {
        summary.heading(`No release${dry}`).paragraph(plan.reason ?? 'Nothing to release.');
    }
    else {
        const title = result.releaseUrl ? (0,src_summary/* link */.nf)(plan.tag, result.releaseUrl) : plan.tag;
        summary.heading(`${result.dryRun ? 'Would release' : 'Released'} ${title}${dry}`);
    }
    const commitLink = plan.sha && repoUrl
        ? (0,src_summary/* link */.nf)(plan.sha.slice(0, 7), `${repoUrl}/commit/${plan.sha}`)
        : plan.sha.slice(0, 7);
    const rows = [
        ['Version', plan.version],
        ['Tag', plan.tag],
        ['Previous tag', plan.previousTag],
        ['Bump', plan.bump],
        ['Commit', commitLink],
        ['Commits read', result.promoted ? undefined : String(plan.commits.length)],
        ['Prerelease', plan.released ? String(plan.prerelease) : undefined],
        ['Release-As from', plan.releaseAsSource],
        ['Major tag', result.majorTag],
        [
            'Changelog',
            result.changelog
                ? `${result.changelog.file} (${result.changelog.changed ? 'updated' : 'unchanged'})`
                : undefined
        ]
    ];
    summary.table(['', ''], rows.filter(([, value]) => value !== undefined && value !== ''));
    if (result.steps.length > 0) {
        summary.heading('Steps', 3).table(['Step', 'Outcome', 'Time'], result.steps.map(step => [step.step, step.outcome, (0,duration/* formatDuration */.a)(step.durationMs)]));
    }
    const assets = result.assets.length > 0
        ? result.assets.map(a => [a.name, a.action])
        : result.plannedAssets.map(name => [name, 'would upload']);
    if (assets.length > 0)
        summary.heading('Assets', 3).table(['Asset', 'Action'], assets);
    if (plan.notes)
        summary.details('Release notes', plan.notes);
}

// EXTERNAL MODULE: ./packages/kit/src/ports.ts
var ports = __webpack_require__(3508);
;// CONCATENATED MODULE: ./packages/release/src/tag-and-release.ts










/**
 * The tag-and-release action: plan the version from the checkout, then (unless dry-run)
 * prepend the changelog, create the annotated tag, create the draft release, upload the
 * assets and SHA256SUMS, publish, and move the major tag. Every step converges on re-run.
 * `releases` is where tags, releases and assets are written; a dry run never touches it.
 */
async function tagAndRelease(options, releases) {
    const log = options.log ?? (() => undefined);
    const clock = options.clock ?? ports/* systemClock */.m;
    const steps = [];
    const timed = async (step, work, describe) => {
        const started = clock.now();
        const value = await work();
        steps.push({ step, outcome: describe(value), durationMs: clock.now() - started });
        return value;
    };
    if (options.promote)
        return promote(options, releases, steps, timed);
    const plan = await timed('plan', () => planRelease(options), p => p.released
        ? `${p.version} (${p.bump}) from ${p.commits.length} commit(s) since ${p.previousTag ?? 'the beginning'}`
        : (p.reason ?? 'nothing to release'));
    const result = {
        plan,
        dryRun: Boolean(options.dryRun),
        assets: [],
        plannedAssets: [],
        steps
    };
    if (!plan.released)
        return result;
    const assetsDir = options.assetsDir ?? options.cwd;
    const files = await timed('assets', () => collectAssets(options.assets ?? [], assetsDir), found => `${found.length} file(s)`);
    const uploads = files.length > 0 && options.checksums !== false ? [...files, checksumsAsset(files)] : files;
    result.plannedAssets = uploads.map(file => file.name);
    const tag = plan.tag;
    const version = plan.version;
    const major = `${options.tagPrefix}${semver_default().major(version)}`;
    if (options.dryRun) {
        log(`Dry run: would release ${tag} at ${plan.sha}`);
        return result;
    }
    if (options.changelogFile) {
        const file = (0,external_node_path_.isAbsolute)(options.changelogFile)
            ? options.changelogFile
            : (0,external_node_path_.join)(options.cwd, options.changelogFile);
        result.changelog = await timed('changelog', async () => prependChangelog(file, plan.notes, version), c => c.changed
            ? `prepended to ${options.changelogFile}`
            : `${options.changelogFile} already has ${version}`);
    }
    const message = `${tag}\n\n${plan.notes}`;
    result.tagOutcome = await timed('tag', () => options.useGit
        ? ensureTagWithGit(tag, plan.sha, message, { cwd: options.cwd, remote: options.remote })
        : ensureTag(releases, tag, plan.sha, message), outcome => `${tag} ${outcome}`);
    const published = await timed('release', () => publishRelease(releases, {
        tag,
        sha: plan.sha,
        name: tag,
        body: plan.notes,
        prerelease: plan.prerelease,
        makeLatest: options.makeLatest ?? 'true',
        assets: uploads,
        log
    }), p => `${p.action}; assets: ${summarizeAssets(p.assets)}`);
    result.releaseId = published.release.id;
    result.releaseUrl = published.release.html_url;
    result.assets = published.assets;
    if (options.majorTag && !plan.prerelease) {
        const outcome = await timed('major tag', () => options.useGit
            ? moveTagWithGit(major, plan.sha, { cwd: options.cwd, remote: options.remote })
            : moveTag(releases, major, plan.sha), o => `${major} ${o}`);
        result.majorTag = `${major} ${outcome}`;
    }
    return result;
}
async function promote(options, releases, steps, timed) {
    const tag = options.promote;
    const version = tag.startsWith(options.tagPrefix)
        ? semver_default().valid(tag.slice(options.tagPrefix.length))
        : null;
    const sha = await resolveCommit(tag, { cwd: options.cwd }).catch(() => undefined);
    const plan = {
        released: false,
        reason: `promote ${tag}`,
        version: version ?? undefined,
        tag,
        bump: 'none',
        sha: sha ?? '',
        prerelease: false,
        notes: '',
        commits: [],
        durationMs: 0
    };
    const result = {
        plan,
        dryRun: Boolean(options.dryRun),
        promoted: tag,
        assets: [],
        plannedAssets: [],
        steps
    };
    if (options.dryRun)
        return result;
    const promoted = await timed('promote', () => promoteRelease(releases, tag, options.makeLatest ?? 'true'), p => `${tag} ${p.action}`);
    plan.released = true;
    plan.notes = promoted.release.body ?? '';
    result.releaseId = promoted.release.id;
    result.releaseUrl = promoted.release.html_url;
    if (options.majorTag && version && sha) {
        const major = `${options.tagPrefix}${semver_default().major(version)}`;
        const outcome = await timed('major tag', () => options.useGit
            ? moveTagWithGit(major, sha, { cwd: options.cwd, remote: options.remote })
            : moveTag(releases, major, sha), o => `${major} ${o}`);
        result.majorTag = `${major} ${outcome}`;
    }
    return result;
}
function summarizeAssets(assets) {
    if (assets.length === 0)
        return 'none';
    const counts = new Map();
    for (const asset of assets)
        counts.set(asset.action, (counts.get(asset.action) ?? 0) + 1);
    return [...counts].map(([action, count]) => `${count} ${action}`).join(', ');
}

;// CONCATENATED MODULE: ./packages/release/src/run-release.ts






/** The release stage: plan the version from the checkout, then tag, release and attach assets. */
async function runRelease(settings, ports) {
    const { progress } = ports;
    if (settings.mode === 'pull-request')
        return runPullRequestMode(settings, ports);
    const startedAt = new Date();
    const result = await tagAndRelease({
        cwd: settings.cwd,
        sha: settings.sha,
        tagPrefix: settings.tagPrefix,
        paths: settings.paths,
        prerelease: settings.prerelease,
        bumpMajorPreMajor: settings.bumpMajorPreMajor,
        releaseAs: settings.releaseAs,
        extraSections: settings.extraSections,
        changelogFile: settings.changelogFile,
        useGit: settings.useGit,
        assets: settings.assets,
        checksums: settings.checksums,
        makeLatest: settings.makeLatest,
        majorTag: settings.majorTag,
        promote: settings.promote,
        dryRun: settings.dryRun,
        repoUrl: settings.repoUrl,
        warn: message => progress.warning(message),
        log: message => progress.info(message),
        clock: ports.clock
    }, ports.releases);
    const { plan } = result;
    progress.info(plan.released
        ? `${settings.dryRun ? 'Would release' : 'Released'} ${plan.tag} (${plan.bump})`
        : `No release: ${plan.reason}`);
    if (plan.released && plan.tag && !settings.dryRun)
        // A release belongs to no environment: its series carry the app and the tag only.
        await reportDeployEvent(settings.pushgatewayUrl, {
            kind: 'release',
            environment: '',
            app: settings.repository?.repo ?? 'app',
            version: plan.tag,
            status: 'success',
            startedAt,
            endedAt: new Date()
        }, progress);
    return { ...result, repoUrl: settings.repoUrl };
}
async function runPullRequestMode(settings, ports) {
    const { progress } = ports;
    const offline = settings.dryRun && !settings.token;
    if (!ports.pulls && !offline)
        throw new errors/* UserError */.yo('mode: pull-request needs GitHub (pull requests), which this front end does not provide', 'run tag-and-release on GitHub with a token, or use mode: release');
    const common = {
        cwd: settings.cwd,
        sha: settings.sha,
        tagPrefix: settings.tagPrefix,
        paths: settings.paths,
        prerelease: settings.prerelease,
        bumpMajorPreMajor: settings.bumpMajorPreMajor,
        releaseAs: settings.releaseAs,
        extraSections: settings.extraSections,
        repoUrl: settings.repoUrl,
        warn: message => progress.warning(message),
        log: message => progress.info(message),
        dryRun: settings.dryRun,
        offline,
        baseBranch: settings.baseBranch,
        releaseBranch: settings.releaseBranch,
        versionFiles: settings.versionFiles,
        changelogFile: settings.changelogFile ?? 'CHANGELOG.md',
        tempDir: settings.tempDir,
        useGit: settings.useGit,
        assets: settings.assets,
        checksums: settings.checksums,
        makeLatest: settings.makeLatest,
        majorTag: settings.majorTag
    };
    const pulls = ports.pulls ?? NO_PULLS;
    if (settings.packages.length > 0) {
        const results = [];
        for (const pkg of settings.packages) {
            const result = await runReleasePullRequest({
                ...common,
                tagPrefix: pkg.tagPrefix,
                paths: [pkg.path],
                versionFiles: pkg.versionFiles,
                changelogFile: `${pkg.path}/${settings.changelogFile ?? 'CHANGELOG.md'}`,
                releaseBranch: `${settings.releaseBranch}-${pkg.name}`,
                component: pkg.name,
                filterCommits: raw => (0,monorepo/* attributeCommits */.fm)(raw, pkg, settings.packages, settings.attribution, settings.cwd)
            }, ports.releases, pulls);
            report(progress, result, pkg.name);
            results.push(result);
        }
        // The action's single-release outputs describe the first package with news; `packages`
        // has each package's outcome.
        const first = results.find(r => r.pullRequest.action !== 'none') ?? results[0];
        return {
            ...first,
            repoUrl: settings.repoUrl,
            packages: settings.packages.map((pkg, n) => ({
                name: pkg.name,
                version: results[n].plan.version,
                action: results[n].pullRequest.action,
                number: results[n].pullRequest.number,
                url: results[n].pullRequest.url
            }))
        };
    }
    const result = await runReleasePullRequest(common, ports.releases, pulls);
    report(progress, result);
    return { ...result, repoUrl: settings.repoUrl };
}
function report(progress, result, name) {
    const pr = result.pullRequest;
    const who = name ? `${name}: ` : '';
    progress.info(who +
        (pr.action === 'released'
            ? `Released ${result.plan.tag} from pull request #${pr.number}`
            : result.plan.released
                ? `Release pull request for ${result.plan.tag}: ${pr.action}${pr.url ? ` (${pr.url})` : ''}`
                : `No release: ${result.plan.reason}${pr.number ? `; pull request #${pr.number} ${pr.action}` : ''}`));
}
const unavailable = () => {
    throw new Error('pull requests are not read in an offline dry run');
};
const NO_PULLS = {
    findOpen: unavailable,
    create: unavailable,
    update: unavailable,
    mergedInto: unavailable,
    comments: unavailable,
    comment: unavailable,
    setLabels: unavailable
};
/** The action's outputs. */
function releaseOutputs(result) {
    const { plan } = result;
    return {
        released: plan.released,
        version: plan.version ?? '',
        tag: plan.tag ?? '',
        'previous-tag': plan.previousTag ?? '',
        bump: plan.bump,
        'release-id': result.releaseId,
        'release-url': result.releaseUrl,
        notes: plan.notes,
        'pull-request-action': result.pullRequest?.action,
        'pull-request-number': result.pullRequest?.number,
        'pull-request-url': result.pullRequest?.url,
        packages: result.packages
    };
}
/** The job summary. */
function renderReleaseSummary(result, summary) {
    writeSummary(summary, result, result.repoUrl);
    const pr = result.pullRequest;
    if (pr) {
        const name = pr.number ? (pr.url ? (0,src_summary/* link */.nf)(`#${pr.number}`, pr.url) : `#${pr.number}`) : '';
        summary.heading('Release pull request', 3).paragraph(`${pr.action} ${name}`.trim());
        if (pr.files.length > 0)
            summary.table(['Changes'], pr.files.map(file => [file]));
    }
}
/**
 * The webhook notice of a release, or nothing when nothing was released or it was a dry run. The
 * front end sends it (the action, the pipeline and the CLI alike), with its own secrets and log.
 */
function releaseNotice(settings, result) {
    const { plan } = result;
    if (!plan.released || settings.dryRun)
        return undefined;
    return {
        event: 'release',
        version: plan.tag,
        previousVersion: plan.previousTag,
        repository: settings.repositoryName,
        releaseUrl: result.releaseUrl,
        detail: `${plan.bump} release`
    };
}

// EXTERNAL MODULE: ./packages/notify/src/message.ts
var message = __webpack_require__(5908);
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

;// CONCATENATED MODULE: ./actions/tag-and-release/src/run.ts



async function run({ secret, setOutput, summary, redactor, info, warning, group }, settings, runnerEnv) {
    const releases = new GitHubReleaseStore({
        token: settings.token,
        apiUrl: runnerEnv.apiUrl,
        repository: settings.repository,
        log: info
    });
    const pulls = new GitHubPullRequestStore({
        token: settings.token,
        apiUrl: runnerEnv.apiUrl,
        repository: settings.repository,
        log: info
    });
    const result = await runRelease(settings, { releases, pulls, progress: { info, warning, group } });
    reportStage({ setOutput, summary, redactor }, result, {
        outputs: releaseOutputs,
        render: renderReleaseSummary
    });
    // The webhook belongs to the front end: the CLI and the pipeline decide their own notices.
    const notice = releaseNotice(settings, result);
    if (notice)
        await notifyWebhook({ url: settings.webhook.url, format: settings.webhook.format, secret, warning, info }, notice);
}


/***/ })

};
