package telegram

import (
	"context"
	"errors"
	"net"
	"net/http"
	"syscall"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// A Meter counts the channel's calls of the Bot API, for metrics, so that
// an operator sees Telegram fail before the customers say so. APICall is
// told of every call as it ends, each try of a retried one: the Bot API
// method (sendMessage, getUpdates...) and "" when it succeeded, else the
// kind of failure, one of the Fail constants. A call cut short by its
// caller (the process stops) is not told. APICall must be quick and safe
// for concurrent use.
type Meter interface {
	APICall(method, failure string)
}

// The kinds of failure a Meter is told, few and fixed so that they can
// label a metric.
const (
	FailTimeout     = "timeout"      // no answer within the call's deadline
	FailRefused     = "refused"      // the connection was refused
	FailNetwork     = "network"      // any other transport failure (DNS, reset, TLS)
	FailRateLimited = "rate_limited" // 429: flood control
	FailServer      = "server"       // 5xx
	FailAuth        = "auth"         // 401 or 404: the token is wrong or revoked
	FailForbidden   = "forbidden"    // 403: the customer blocked the bot
	FailRejected    = "rejected"     // any other 4xx: a request the Bot API refuses
	FailInvalid     = "invalid"      // an answer that is not the Bot API's (a proxy's page)
)

// Methods are the Bot API methods the channel calls, and Failures the
// kinds of failure, so that metrics can count each from zero: a counter
// that first appears at 1 hides its first increase from rate().
var (
	Methods  = []string{"getMe", "getUpdates", "deleteWebhook", "setWebhook", "sendMessage", "sendChatAction", "answerCallbackQuery"}
	Failures = []string{FailTimeout, FailRefused, FailNetwork, FailRateLimited, FailServer, FailAuth, FailForbidden, FailRejected, FailInvalid}
)

// failureOf classifies a failed call for the Meter: err is the library's
// error, before wrap drops its chain, status the HTTP status (0: none).
// canceled reports a call its caller ended, which is no failure of
// Telegram's.
func failureOf(ctx context.Context, status int, err error) (failure string, canceled bool) {
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		return failureOfCode(te.Code), false
	}
	switch ctx.Err() {
	case context.Canceled:
		return "", true
	case context.DeadlineExceeded:
		return FailTimeout, false
	}
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return FailTimeout, false
	case errors.Is(err, syscall.ECONNREFUSED):
		return FailRefused, false
	case status != 0 && status != http.StatusOK:
		return failureOfCode(status), false
	case status != 0:
		return FailInvalid, false
	}
	return FailNetwork, false
}

// failureOfCode classifies an error code of the Bot API, or an HTTP status.
func failureOfCode(code int) string {
	switch {
	case code == http.StatusTooManyRequests:
		return FailRateLimited
	case code >= 500:
		return FailServer
	case code == http.StatusUnauthorized, code == http.StatusNotFound:
		// The methods are fixed: a 404 is a token the Bot API does not know.
		return FailAuth
	case code == http.StatusForbidden:
		return FailForbidden
	}
	return FailRejected
}

// meteredAPI tells a Meter of every call of the API it wraps.
type meteredAPI struct {
	api   telegramAPI
	meter Meter
}

var _ telegramAPI = meteredAPI{}

func (m meteredAPI) Request(ctx context.Context, c tgbotapi.Chattable) (*tgbotapi.APIResponse, error) {
	resp, err := m.api.Request(ctx, c)
	m.tell(methodOf(c), err)
	return resp, err
}

func (m meteredAPI) Call(ctx context.Context, method string, params tgbotapi.Params) (*tgbotapi.APIResponse, error) {
	resp, err := m.api.Call(ctx, method, params)
	m.tell(method, err)
	return resp, err
}

func (m meteredAPI) tell(method string, err error) {
	if err == nil {
		m.meter.APICall(method, "")
		return
	}
	var ae *APIError
	switch {
	case !errors.As(err, &ae):
		m.meter.APICall(method, FailNetwork)
	case ae.canceled:
		// The caller stopped waiting: nothing to say of Telegram.
	default:
		m.meter.APICall(method, ae.failure)
	}
}
