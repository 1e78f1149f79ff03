"""How an alert reaches a responder's phone (issue 12): the delivery policy and the gateways.

- `policy`: which message is due for whom on which channel, a pure function of the folded
  log and the time (push at T0, SMS at +20 s without the app's receipt, a call at +60 s for
  the nearest still unreached, outages, cancellations on the channels the alert used);
- `dispatcher`: runs the policy on the centre's active node, writes `message_sent` before
  it hands a message to a gateway, and turns failures and delivery reports into events;
- `gateways`, `transport`: Web Push (VAPID), FCM HTTP v1, SMS and voice REST adapters
  (httpx, with timeouts); `compose`: what each channel says; `contacts`: where a responder
  can be reached (never in an event or a log); `settings`: the `--channels` file.
"""
