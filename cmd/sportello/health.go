package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// runHealth runs `sportello health [--url URL]`: it asks a running
// server's /healthz and exits 0 when the answer is 200, 1 otherwise. It is
// the container image's HEALTHCHECK: the image holds the binary alone, no
// shell nor curl. The default URL is the listener serve reads from the
// configuration (SPORTELLO_ADDR, or addr in SPORTELLO_CONFIG's file), on
// the loopback address when it listens on all of them.
func runHealth(ctx context.Context, e *env, args []string) error {
	fl := flag.NewFlagSet("health", flag.ContinueOnError)
	fl.SetOutput(e.stderr)
	target := fl.String("url", "", "the URL to ask (default: http://127.0.0.1:PORT/healthz, PORT of the configured addr)")
	if err := fl.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fl.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fl.Arg(0))
	}
	if *target == "" {
		cfg, err := loadConfig("", e.getenv)
		if err != nil {
			return err
		}
		host, port, err := net.SplitHostPort(cfg.Addr)
		if err != nil {
			return fmt.Errorf("addr %q: %w", cfg.Addr, err)
		}
		if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
			host = "127.0.0.1"
		}
		*target = "http://" + net.JoinHostPort(host, port) + healthPath
	}
	// A probe has a deadline shorter than the container's (docs/deploy.md)
	// and goes straight to the server, whatever HTTP_PROXY says.
	client := &http.Client{Timeout: 3 * time.Second, Transport: &http.Transport{Proxy: nil}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *target, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", *target, resp.Status)
	}
	fmt.Fprintf(e.stdout, "%s: %s\n", *target, resp.Status)
	return nil
}

// healthPath is what `sportello health` asks by default: the liveness
// answer, not /readyz, so that a Redis outage does not make a container
// look broken.
const healthPath = "/healthz"
