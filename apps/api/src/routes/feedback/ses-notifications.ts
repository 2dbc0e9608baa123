import type { App } from "../../lib/app-env.ts";
import { AppError } from "../../lib/errors.ts";
import {
  parseSesNotification,
  SesNotificationError,
  SnsVerificationError,
  verifySnsMessage,
} from "../../mail/sns.ts";
import { applyFeedback } from "../../services/feedback/apply-feedback.ts";
import { feedbackFromSes } from "../../services/feedback/from-ses.ts";

/**
 * Amazon SNS delivers SES's Bounce, Complaint, Delivery and DeliveryDelay events here (HTTPS
 * subscription of the topics in SNS_TOPIC_ARNS). No API key: each message is verified with
 * SNS's signature, and must come from one of our topics. A subscription confirmation is
 * confirmed by fetching its SubscribeURL. Not in the spec: AWS calls it, not API users.
 */
export function registerSesNotifications(app: App): void {
  app.post("/feedback/ses", async (c) => {
    const { sns, database, logger } = c.var.deps;
    if (!sns) throw new AppError("not_found", "SES notifications are not enabled (SNS_TOPIC_ARNS)");
    let message: Awaited<ReturnType<typeof verifySnsMessage>>;
    try {
      message = await verifySnsMessage(await c.req.text(), sns.verify);
    } catch (error) {
      if (!(error instanceof SnsVerificationError)) throw error;
      logger.warn({ code: error.code }, "refused an SNS message");
      throw new AppError("validation_error", `Not a valid SNS message: ${error.code}`);
    }
    if (message.Type === "SubscriptionConfirmation") {
      await sns.confirm(message.SubscribeURL);
      logger.info({ topic: message.TopicArn }, "confirmed the SNS subscription");
      return c.json({ confirmed: true });
    }
    if (message.Type !== "Notification") return c.json({ ok: true });
    let applied = 0;
    try {
      const event = parseSesNotification(message.Message);
      for (const feedback of feedbackFromSes(event, message.MessageId)) {
        if (await applyFeedback(database.db, feedback)) applied++;
      }
    } catch (error) {
      // Not an SES event (a test message, another service's): acknowledged, or SNS retries it.
      if (!(error instanceof SesNotificationError)) throw error;
    }
    return c.json({ ok: true, applied });
  });
}
