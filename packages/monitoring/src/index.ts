// The team's monitoring as a deploy signal: Alertmanager alerts and silences, and deploy events
// pushed to a Pushgateway as metrics.
export {}
