package main

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// testWebchatKey signs the web chat's visitors in tests of several replicas.
const testWebchatKey = "test-webchat-key-0123456789abcdef0123456789"

// TestWebChatReplyReachesAPageOnAnotherReplica: behind a load balancer the
// visitor's page streams from replica B while the message lands on
// replica A; A's reply reaches the page through the Redis bus, live.
func TestWebChatReplyReachesAPageOnAnotherReplica(t *testing.T) {
	stores := redisReplicaStores(t, 2)
	var bases []string
	// The replicas share the key that signs the visitors: B accepts the
	// visitor that A issued.
	env := func(k string) string {
		if k == "SPORTELLO_WEBCHAT_KEY" {
			return testWebchatKey
		}
		return ""
	}
	for _, st := range stores {
		srv, err := newServer(context.Background(), e2eConfig(), env,
			shopBot(t, true), testLog(t), deps{store: st, poll: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		bases = append(bases, start(t, srv))
	}
	a, b := bases[0], bases[1]
	var v struct{ Visitor string }
	postJSON(t, a+"/chat/visitors", nil, &v)

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", b+"/chat/events?visitor="+v.Visitor, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	events := make(chan string, 10)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if l, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				events <- l
			} else if strings.HasPrefix(sc.Text(), "event: ready") {
				events <- "ready"
			}
		}
		close(events)
	}()
	if e := <-events; e != "ready" {
		t.Fatalf("first event %q, want ready", e)
	}
	// Subscriptions to the bus are asynchronous: give B's a moment.
	time.Sleep(300 * time.Millisecond)

	postJSON(t, a+"/chat/messages", map[string]string{"visitor": v.Visitor, "id": "1",
		"text": "quanto costa la spedizione?", "lang": "it"}, nil)
	for {
		select {
		case e, ok := <-events:
			if !ok {
				t.Fatal("the stream on replica B ended")
			}
			if strings.Contains(e, "Spediamo") {
				return // the answer, live on the other replica
			}
		case <-ctx.Done():
			t.Fatal("the reply delivered by replica A never reached the page on replica B")
		}
	}
}
