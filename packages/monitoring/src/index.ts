// The team's monitoring as a deploy signal: Alertmanager alerts and silences, and deploy events
// pushed to a Pushgateway as metrics.
export { parseMatchers, formatMatcher, matchesAll, type Matcher } from './matchers.js'
export { AlertmanagerClient, MonitoringUnavailable, type Alert } from './alertmanager.js'
export { judgeAlerts, checkAlerts, type AlertVerdict, type FiringAlert } from './alerts.js'
export { openSilence, type DeploySilence } from './silence.js'
export {
  pushDeployEvent,
  reportDeployEvent,
  deployEventExposition,
  type DeployEvent
} from './pushgateway.js'
export { parseMonitoringSettings, type AlertSettings, type MonitoringSettings } from './settings.js'
export { parsePushSettings, type PushSettings } from './push-settings.js'
