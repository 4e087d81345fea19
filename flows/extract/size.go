package extract

import (
	"regexp"
	"strconv"
)

// reScreenSize matches a screen size in inches: `55"`, `55”`, "55
// pollici", "55 inch", "55-inch", "55 inches".
var reScreenSize = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}.,])(\d{2,3})(?:\s*(?:"|''|”|″)|[\s-]*(?:pollici|pollice|inch|inches)\b)`)

// ScreenSizes returns the screen sizes, in inches, that text gives: a
// customer's "55 pollici" or "a 43-inch one", a product's name
// `LG OLED 55" C3`. A number without its unit is none: "55" alone is a
// model, a price or a count.
func ScreenSizes(text string) []int {
	var out []int
	for _, m := range reScreenSize.FindAllStringSubmatch(text, -1) {
		if n, err := strconv.Atoi(m[1]); err == nil && n >= 10 && n <= 120 {
			out = append(out, n)
		}
	}
	return out
}
