package shopify

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/sportello/sportello/bot"
)

// A tokenSource gives the access token of the requests: the one the
// configuration holds (an app made in the Shopify admin, whose token
// does not expire), or one got with the client credentials grant (an app
// of the Dev Dashboard installed on the shop: POST /admin/oauth/access_token
// with its client ID and secret, a token for about a day), kept until
// shortly before it expires, or until the shop refuses it.
type tokenSource struct {
	static       string
	clientID     string
	clientSecret string
	endpoint     string // {base}/admin/oauth/access_token
	http         *http.Client

	// sem is held while a token is asked for: one request serves all
	// the lookups that need one, each waiting no longer than its ctx.
	sem     chan struct{}
	mu      sync.Mutex
	token   string
	expires time.Time
}

// secrets are what no error and no log may hold.
func (s *tokenSource) secrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return []string{s.static, s.clientSecret, s.token}
}

// get returns a token, asking the shop for one when it holds none that
// is fresh.
func (s *tokenSource) get(ctx context.Context) (string, error) {
	if s.static != "" {
		return s.static, nil
	}
	select {
	case s.sem <- struct{}{}:
		defer func() { <-s.sem }()
	case <-ctx.Done():
		return "", ctx.Err()
	}
	s.mu.Lock()
	token, fresh := s.token, s.token != "" && time.Now().Before(s.expires)
	s.mu.Unlock()
	if fresh {
		return token, nil
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {s.clientID}, "client_secret": {s.clientSecret}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := s.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", fmt.Errorf("%w: the access token: %v", bot.ErrShopUnavailable, scrub(err.Error(), s.clientSecret))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", fmt.Errorf("%w: the access token: the answer was cut", bot.ErrShopUnavailable)
	}
	var ans struct {
		AccessToken      string  `json:"access_token"`
		ExpiresIn        float64 `json:"expires_in"`
		Error            string  `json:"error"`
		ErrorDescription string  `json:"error_description"`
	}
	_ = json.Unmarshal(data, &ans) // what it lacks is said below
	switch {
	case resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		why := bot.CleanLine(strings.TrimSpace(ans.Error+" "+ans.ErrorDescription), 200)
		return "", &refusedError{fmt.Sprintf("the client credentials grant: HTTP %d %s", resp.StatusCode, scrub(why, s.clientSecret))}
	case resp.StatusCode != http.StatusOK:
		return "", fmt.Errorf("%w: the access token: HTTP %d", bot.ErrShopUnavailable, resp.StatusCode)
	case ans.AccessToken == "" || strings.ContainsFunc(ans.AccessToken, func(r rune) bool { return r <= ' ' || r >= 0x7f }):
		return "", fmt.Errorf("%w: the access token: an answer with no token", bot.ErrShopUnavailable)
	}
	life := time.Duration(ans.ExpiresIn * float64(time.Second))
	if life <= 0 || life > 30*24*time.Hour {
		life = time.Hour
	}
	// Renewed before it expires, so that no lookup carries a token that
	// dies on the way.
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token, s.expires = ans.AccessToken, time.Now().Add(life-min(5*time.Minute, life/10))
	return s.token, nil
}

// drop forgets token, which the shop refused: the next get asks for a
// new one. It reports whether there may be a new one to get.
func (s *tokenSource) drop(token string) bool {
	if s.static != "" {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token == token {
		s.token = ""
	}
	return true
}

// A refusedError is the shop refusing the app's credentials: the
// operator must act.
type refusedError struct{ what string }

func (e *refusedError) Error() string {
	return "the shop refused the app's credentials: " + e.what
}
func (e *refusedError) Unwrap() error { return bot.ErrShopUnavailable }
