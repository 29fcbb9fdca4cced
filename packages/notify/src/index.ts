export {
  FORMATS,
  headline,
  payloadFor,
  slackPayload,
  teamsPayload,
  jsonPayload,
  type Notification,
  type NotifyEvent,
  type NotifyFormat
} from './message.js'
export { sendNotification, type SendOptions, type SendResult } from './send.js'
export { notifyWebhook, type WebhookSettings } from './notify.js'
