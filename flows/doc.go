// Package flows is Sportello's flow engine. It loads a business's flow file
// (YAML: languages, texts, intents, slots, flows of steps, the product
// catalogue, FAQ entries, teams and business hours), validates it with
// every mistake reported as file:line:column, and runs it: Runtime is the
// bot.Responder that answers a customer in bot mode.
//
// The format is documented in docs/flows.md.
package flows
