package slack

import (
	"context"
	"errors"
	"net"
	"net/http"
	"syscall"

	"github.com/slack-go/slack"
)

// A Meter counts the desk's calls of the Web API, for metrics, so that an
// operator sees Slack fail (or the app's set-up break) before the agents
// say so. APICall is told of every call as it ends: the Web API method
// (chat.postMessage, chat.update...) and "" when it succeeded, else the
// kind of failure, one of the Fail constants. A call cut short by its
// caller (the process stops) is not told; nor are Socket Mode's own calls,
// which slack-go makes. APICall must be quick and safe for concurrent use.
type Meter interface {
	APICall(method, failure string)
}

// The kinds of failure a Meter is told, few and fixed so that they can
// label a metric.
const (
	FailTimeout     = "timeout"      // no answer within Config.Timeout or the caller's deadline
	FailRefused     = "refused"      // the connection was refused
	FailNetwork     = "network"      // any other transport failure (DNS, reset, TLS)
	FailRateLimited = "rate_limited" // 429
	FailServer      = "server"       // 5xx
	FailAuth        = "auth"         // the token is wrong, revoked or lacks a scope
	FailSetup       = "setup"        // the channel is wrong or the app not in it
	FailRejected    = "rejected"     // any other refusal of this one request
	FailInvalid     = "invalid"      // an answer that is not the Web API's
)

// Methods are the Web API methods the desk calls, and Failures the kinds
// of failure, so that metrics can count each from zero: a counter that
// first appears at 1 hides its first increase from rate().
var (
	Methods  = []string{"chat.postMessage", "chat.update", "chat.postEphemeral", "users.info", "auth.test"}
	Failures = []string{FailTimeout, FailRefused, FailNetwork, FailRateLimited, FailServer, FailAuth, FailSetup, FailRejected, FailInvalid}
)

// failureOf classifies a failed call; canceled reports a call its caller
// ended, which is no failure of Slack's.
func failureOf(ctx context.Context, err error) (failure string, canceled bool) {
	var (
		limited *slack.RateLimitedError
		status  slack.StatusCodeError
		answer  slack.SlackErrorResponse
		ne      net.Error
	)
	switch {
	case errors.As(err, &limited):
		return FailRateLimited, false
	case errors.As(err, &status):
		switch {
		case status.Code == http.StatusTooManyRequests:
			return FailRateLimited, false
		case status.Code >= 500:
			return FailServer, false
		case status.Code == http.StatusUnauthorized || status.Code == http.StatusForbidden:
			return FailAuth, false
		}
		return FailRejected, false
	case errors.As(err, &answer):
		switch answer.Err {
		case "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
			"no_permission", "missing_scope", "not_allowed_token_type", "ekm_access_denied":
			return FailAuth, false
		case "channel_not_found", "not_in_channel", "is_archived":
			return FailSetup, false
		case "ratelimited":
			return FailRateLimited, false
		case "internal_error", "fatal_error", "service_unavailable", "request_timeout":
			return FailServer, false
		}
		return FailRejected, false
	case errors.Is(err, context.Canceled) || ctx.Err() == context.Canceled:
		return "", true
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return FailTimeout, false
	case errors.Is(err, syscall.ECONNREFUSED):
		return FailRefused, false
	case errors.As(err, &ne):
		return FailNetwork, false
	}
	return FailInvalid, false
}

// meteredAPI tells a Meter of every call of the API it wraps.
type meteredAPI struct {
	api   slackAPI
	meter Meter
}

var _ slackAPI = meteredAPI{}

func (m meteredAPI) tell(ctx context.Context, method string, err error) {
	if err == nil {
		m.meter.APICall(method, "")
		return
	}
	if failure, canceled := failureOf(ctx, err); !canceled {
		m.meter.APICall(method, failure)
	}
}

func (m meteredAPI) PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error) {
	ch, ts, err := m.api.PostMessageContext(ctx, channelID, options...)
	m.tell(ctx, "chat.postMessage", err)
	return ch, ts, err
}

func (m meteredAPI) UpdateMessageContext(ctx context.Context, channelID, timestamp string, options ...slack.MsgOption) (string, string, string, error) {
	ch, ts, text, err := m.api.UpdateMessageContext(ctx, channelID, timestamp, options...)
	m.tell(ctx, "chat.update", err)
	return ch, ts, text, err
}

func (m meteredAPI) PostEphemeralContext(ctx context.Context, channelID, userID string, options ...slack.MsgOption) (string, error) {
	ts, err := m.api.PostEphemeralContext(ctx, channelID, userID, options...)
	m.tell(ctx, "chat.postEphemeral", err)
	return ts, err
}

func (m meteredAPI) GetUserInfoContext(ctx context.Context, user string, options ...slack.GetUserInfoOption) (*slack.User, error) {
	u, err := m.api.GetUserInfoContext(ctx, user, options...)
	m.tell(ctx, "users.info", err)
	return u, err
}

func (m meteredAPI) AuthTestContext(ctx context.Context) (*slack.AuthTestResponse, error) {
	res, err := m.api.AuthTestContext(ctx)
	m.tell(ctx, "auth.test", err)
	return res, err
}
