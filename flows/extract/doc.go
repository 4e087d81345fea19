// Package extract finds typed values in what a customer writes, in Italian
// and English, as customers write: typos, no accents, no capitals.
//
// Scan reads a whole message once and returns every value in it, each with
// its span (byte offsets into the text and the text as written), a
// canonical value and a confidence: products, categories and brands of the
// shop's catalogue (and brands, models and kinds of products it does not
// sell, flagged NotSold), dates and durations with the words that say what
// they date (a purchase, a delivery, how long a problem has lasted), money,
// quantities, order numbers, e-mail addresses, phone numbers, who buys (a
// business or a private person), the clause that describes a defect, and a
// statement of accidental damage. A span has one meaning: the readers run
// from the most specific to the least, and each reads only the words the
// ones before it left, so "300 euro" is money and never a quantity, "iphone
// 15" a model and never the number 15, and "da tre giorni" how long a
// defect has lasted, never a purchase date. The caller, the dialogue's
// understanding step, decides which value fills which slot. NewShop
// prepares a shop's catalogue once for Scan. Read splits a message into
// its words once: ScanText scans it, and its Words are the caller's, so
// that the understanding reads a message once for both.
//
// The functions of one type each (Choice, Date, Money, Number, Email,
// Phone, Pattern, YesNo) read a message as the answer to one question and
// return its first value of that type; Date and DateAhead read dates with
// the same code as Scan.
//
// Every function is pure: it reads only its arguments (the current time is
// one of them where it matters), keeps no state a caller could observe
// (Choice caches the catalogues it prepared, by content) and is safe for
// concurrent use. A function that finds nothing it trusts returns ok=false,
// and the flow asks again; guessing wrong is worse than asking twice.
package extract
