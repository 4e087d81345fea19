package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v5"
	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// telegramAPI is the part of the Bot API the channel uses. The library
// builds the requests and decodes the answers; ctx bounds each call, which
// the library itself cannot do.
type telegramAPI interface {
	// Request calls the method described by c.
	Request(ctx context.Context, c tgbotapi.Chattable) (*tgbotapi.APIResponse, error)
	// Call calls method with params, for what the library's configs lack
	// (setWebhook's secret_token).
	Call(ctx context.Context, method string, params tgbotapi.Params) (*tgbotapi.APIResponse, error)
}

// libAPI is the telegramAPI of go-telegram-bot-api. It never returns an
// error that carries the token: the library's errors from net/http hold
// the request URL, and the URL holds the token.
type libAPI struct {
	token    string
	endpoint string // "https://api.telegram.org/bot%s/%s"
	client   *http.Client
}

func newLibAPI(token, apiURL string, client *http.Client) *libAPI {
	base := strings.ReplaceAll(strings.TrimRight(apiURL, "/"), "%", "%%")
	return &libAPI{token: token, endpoint: base + "/bot%s/%s", client: client}
}

// bot returns a BotAPI whose requests run under ctx. It is built by hand:
// the library's constructors call getMe, and its BotAPI has no context.
func (a *libAPI) bot(ctx context.Context, status *int) *tgbotapi.BotAPI {
	b := &tgbotapi.BotAPI{Token: a.token, Client: ctxClient{ctx: ctx, c: a.client, status: status}}
	b.SetAPIEndpoint(a.endpoint)
	return b
}

func (a *libAPI) Request(ctx context.Context, c tgbotapi.Chattable) (*tgbotapi.APIResponse, error) {
	var status int
	resp, err := a.bot(ctx, &status).Request(c)
	return resp, a.wrap(ctx, methodOf(c), status, err)
}

func (a *libAPI) Call(ctx context.Context, method string, params tgbotapi.Params) (*tgbotapi.APIResponse, error) {
	var status int
	resp, err := a.bot(ctx, &status).MakeRequest(method, params)
	return resp, a.wrap(ctx, method, status, err)
}

// wrap turns the library's error into an *APIError without the token.
func (a *libAPI) wrap(ctx context.Context, method string, status int, err error) error {
	if err == nil {
		return nil
	}
	e := &APIError{Method: method, Status: status}
	e.failure, e.canceled = failureOf(ctx, status, err)
	var te *tgbotapi.Error
	switch {
	case errors.As(err, &te):
		e.Code, e.Description = te.Code, redact(te.Message, a.token)
		e.RetryAfter = time.Duration(te.RetryAfter) * time.Second
	case ctx.Err() != nil:
		e.cause = ctx.Err()
		e.Description = ctx.Err().Error()
	default:
		// A network error, or an answer that is not the Bot API's JSON (a
		// proxy's error page): the text is redacted, the chain dropped.
		e.Description = redact(err.Error(), a.token)
	}
	return e
}

// methodOf returns the Bot API method of c, for messages and logs.
func methodOf(c tgbotapi.Chattable) string {
	switch c.(type) {
	case tgbotapi.MessageConfig:
		return "sendMessage"
	case tgbotapi.ChatActionConfig:
		return "sendChatAction"
	case tgbotapi.CallbackConfig:
		return "answerCallbackQuery"
	case tgbotapi.UpdateConfig:
		return "getUpdates"
	case tgbotapi.DeleteWebhookConfig:
		return "deleteWebhook"
	}
	return fmt.Sprintf("%T", c)
}

// redact removes the token from s.
func redact(s, token string) string {
	if token == "" {
		return s
	}
	return strings.ReplaceAll(s, token, "<token>")
}

// ctxClient runs the library's requests under ctx and notes the HTTP
// status, so that a 502 page from a proxy is told from a bad request.
type ctxClient struct {
	ctx    context.Context
	c      *http.Client
	status *int
}

func (c ctxClient) Do(req *http.Request) (*http.Response, error) {
	resp, err := c.c.Do(req.WithContext(c.ctx))
	if resp != nil {
		*c.status = resp.StatusCode
	}
	return resp, err
}

// An APIError is a failed call of the Bot API. It never holds the token.
type APIError struct {
	Method string
	// Code is the Bot API's error_code (403 when the customer blocked the
	// bot, 429 when flood control applies); 0 when there was no answer.
	Code        int
	Description string
	// Status is the HTTP status of the answer, 0 when there was none.
	Status int
	// RetryAfter is the wait Telegram asks for with a 429.
	RetryAfter time.Duration
	cause      error // the context's error, when it ended the call
	// failure is the kind of failure for the Meter (FailTimeout...);
	// canceled, a call its caller ended.
	failure  string
	canceled bool
}

func (e *APIError) Error() string {
	if e.Code != 0 {
		return fmt.Sprintf("telegram: %s: %d %s", e.Method, e.Code, e.Description)
	}
	if e.Status != 0 {
		return fmt.Sprintf("telegram: %s: HTTP %d: %s", e.Method, e.Status, e.Description)
	}
	return fmt.Sprintf("telegram: %s: %s", e.Method, e.Description)
}

// Unwrap returns context.Canceled or DeadlineExceeded when the call was
// cut short by its context, and for a 429 a *backoff.RetryAfterError with
// the wait Telegram asks for, so that whoever retries the call, here or
// in the engine, waits as long.
func (e *APIError) Unwrap() []error {
	var errs []error
	if e.cause != nil {
		errs = append(errs, e.cause)
	}
	if e.Code == http.StatusTooManyRequests && e.RetryAfter > 0 {
		errs = append(errs, &backoff.RetryAfterError{Duration: e.RetryAfter})
	}
	return errs
}

// temporary reports whether the call may succeed if tried again: network
// errors, 5xx, 429, and answers that were not the Bot API's JSON.
func (e *APIError) temporary() bool {
	if e.cause != nil {
		return false
	}
	switch {
	case e.Code == http.StatusTooManyRequests:
		return true
	case e.Code >= 500:
		return true
	case e.Code != 0:
		return false
	}
	return true
}

// permanent reports whether the Bot API refused the request for good: the
// customer blocked the bot (403), the chat is gone or the request is one
// it will never accept (400).
func (e *APIError) permanent() bool {
	return e.Code == http.StatusForbidden || e.Code == http.StatusBadRequest
}

// retrier repeats calls that failed for a passing reason: a 429 waits the
// retry_after Telegram asks for, 5xx and network errors back off. Both are
// bounded, by attempts and by ctx's deadline: a wait that would outlast it
// is not begun, and what still fails is the caller's to retry later.
type retrier struct {
	attempts int           // tries of a call in all
	backoff  time.Duration // first wait after a 5xx or network error
}

func (r retrier) do(ctx context.Context, call func(ctx context.Context) (*tgbotapi.APIResponse, error)) (*tgbotapi.APIResponse, error) {
	return backoff.Retry(ctx, func() (*tgbotapi.APIResponse, error) {
		resp, err := call(ctx)
		var ae *APIError
		switch {
		case err == nil:
			return resp, nil
		case !errors.As(err, &ae) || !ae.temporary():
			return resp, backoff.Permanent(err)
		case ae.Code == http.StatusTooManyRequests && ae.RetryAfter > 0 && !timeFor(ctx, ae.RetryAfter):
			return resp, backoff.Permanent(err) // the caller retries later
		}
		return resp, err // a 429 unwraps to the wait it asks for
	}, backoff.WithBackOff(deadlined(ctx, newBackOff(r.backoff))),
		backoff.WithMaxTries(uint(max(r.attempts, 1))), backoff.WithMaxElapsedTime(0))
}

// newBackOff is the backoff of the channel's loops: from first, doubling,
// up to maxBackoff, with jitter that keeps replicas that failed together
// apart.
func newBackOff(first time.Duration) *backoff.ExponentialBackOff {
	b := &backoff.ExponentialBackOff{InitialInterval: first, RandomizationFactor: 0.5, Multiplier: 2, MaxInterval: maxBackoff}
	b.Reset()
	return b
}

// timeFor reports whether ctx leaves time to wait d.
func timeFor(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return !ok || time.Until(deadline) >= d
}

// deadlined stops b when ctx leaves no time for its next wait.
func deadlined(ctx context.Context, b backoff.BackOff) backoff.BackOff {
	return ctxBackOff{ctx, b}
}

type ctxBackOff struct {
	ctx context.Context
	backoff.BackOff
}

func (b ctxBackOff) NextBackOff() time.Duration {
	d := b.BackOff.NextBackOff()
	if d != backoff.Stop && !timeFor(b.ctx, d) {
		return backoff.Stop
	}
	return d
}

// sleep waits d, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// decodeResult decodes the result of a successful call into v.
func decodeResult(method string, resp *tgbotapi.APIResponse, v any) error {
	if resp == nil {
		return fmt.Errorf("telegram: %s: no answer", method)
	}
	if err := json.Unmarshal(resp.Result, v); err != nil {
		return &APIError{Method: method, Description: "decode result: " + err.Error()}
	}
	return nil
}
