export {
  createGitHubClient,
  parseRepository,
  type GitHubClient,
  type ClientOptions,
  type RepoRef
} from './client.js'
export { graphqlBaseUrl, graphqlUnavailable } from './graphql.js'
// The refusal lives in kit, free of Octokit: probes bundled into smoke-test use it without the client.
export { GitHubRefusal, refusalOf, requestAs, type GitHubCall } from '@slipway/kit'
