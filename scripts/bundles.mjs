// The actions whose bundles are built into dist/<name>, in the order a pipeline runs their
// stages (the order of tables and test rows). test/coldstart/bundle-entry.test.ts checks it
// names every folder of actions/.
export const BUNDLES = [
  'backup',
  'preflight-check',
  'deploy-strategy',
  'smoke-test',
  'tag-and-release',
  'rollback',
  'report',
  'pipeline'
]
