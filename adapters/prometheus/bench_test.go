package prometheus

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/botfake"
)

// BenchmarkHandleMetered is Engine.Handle on the memory store (as
// bot's BenchmarkHandle) without a meter and with these metrics: what the
// measurements cost a message.
func BenchmarkHandleMetered(b *testing.B) {
	greeter := bot.ResponderFunc(func(ctx context.Context, t *bot.Turn) error {
		t.Session.SetSlot("seen", "yes")
		t.Say("Hello! How can I help?")
		return nil
	})
	for _, tc := range []struct {
		name  string
		meter bot.Meter
	}{{"none", nil}, {"prometheus", New(Options{})}} {
		b.Run(tc.name, func(b *testing.B) {
			e, err := bot.NewEngine(bot.Config{Store: memory.NewStore(), Responder: greeter, Meter: tc.meter,
				FloodLimit: 1 << 30, FloodWindow: time.Second})
			if err != nil {
				b.Fatal(err)
			}
			e.SetChannel("test", &botfake.Channel{})
			ctx := context.Background()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				a := bot.Address{Channel: "test", ChatID: strconv.Itoa(i % 1000)}
				if err := e.Handle(ctx, botfake.Message(a, strconv.Itoa(i), "hello")); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkMeter is the meter's own cost per message: Handled and the
// Sent of its reply.
func BenchmarkMeter(b *testing.B) {
	m := New(Options{})
	b.ReportAllocs()
	for b.Loop() {
		m.Handled("web", bot.KindCustomer, bot.OutcomeHandled, 3*time.Millisecond)
		m.Sent(bot.KindReply, bot.SendDelivered, time.Millisecond)
	}
}
