package woocommerce_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/sportello/sportello/adapters/woocommerce"
	"github.com/sportello/sportello/adapters/woocommerce/wootest"
	"github.com/sportello/sportello/bot"
)

// TestARedirectToPlainHTTPNeverCarriesTheKeys: a site whose https
// answers redirect to http (a WordPress whose site address is still
// http://) would have Go's client send the Basic credentials again, in
// the clear, as the host is the same. The lookup stops at the redirect.
func TestARedirectToPlainHTTPNeverCarriesTheKeys(t *testing.T) {
	var leaked atomic.Bool
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, _, ok := r.BasicAuth(); ok {
			leaked.Store(true)
		}
		http.Error(w, "no", http.StatusUnauthorized)
	}))
	defer plain.Close()
	tls := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+r.URL.RequestURI(), http.StatusMovedPermanently)
	}))
	defer tls.Close()
	s, err := woocommerce.New(woocommerce.Config{URL: tls.URL, Key: wootest.Key, Secret: wootest.Secret, Client: tls.Client()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = lookup(t, s, "482001")
	if leaked.Load() {
		t.Error("the consumer key and secret were sent over plain http")
	}
	if !errors.Is(err, bot.ErrShopUnavailable) || !strings.Contains(err.Error(), "http://") {
		t.Errorf("%v, want unavailable, naming where the site redirects", err)
	}
}
