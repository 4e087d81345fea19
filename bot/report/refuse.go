package report

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/sportello/sportello/bot"
)

// CheckEvent returns an error wrapping ErrRejected when e holds what an
// archive cannot keep as it is: a string with a NUL or invalid UTF-8
// (PostgreSQL's text and jsonb hold neither, and encoding/json would
// quietly replace the bytes), a confidence JSON cannot write. Every
// archive refuses the same events, so the memory archive of the demo
// sets aside what PostgreSQL would.
func CheckEvent(e bot.Event) error {
	fields := []string{e.ID, e.Address.Channel, e.Address.ChatID, e.MessageID, e.Text, e.Language, e.Intent,
		e.Flow, e.Slot, e.Value, e.Action, e.Team, e.Case, e.Agent}
	for _, b := range e.Buttons {
		fields = append(fields, b.Title, b.Payload)
	}
	for _, at := range e.Attachments {
		fields = append(fields, at.Kind, at.FileID, at.Name, at.URL, at.Caption)
	}
	for _, f := range fields {
		switch {
		case strings.IndexByte(f, 0) >= 0:
			return fmt.Errorf("%w: a NUL character", ErrRejected)
		case !utf8.ValidString(f):
			return fmt.Errorf("%w: invalid UTF-8", ErrRejected)
		}
	}
	if math.IsNaN(e.Confidence) || math.IsInf(e.Confidence, 0) {
		return fmt.Errorf("%w: confidence %v", ErrRejected, e.Confidence)
	}
	return nil
}
