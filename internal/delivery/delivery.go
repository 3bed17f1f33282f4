// Package delivery hands a letter to the channel that brings it to the citizen: Digital Post
// through the municipality's integration. A letter is kept and put in the outbox before it is
// handed over (store.SendLetter), so nothing is lost when the channel is down, and it is
// called sent only when the channel has confirmed it (store.MarkLetterSent).
package delivery

import "context"

// Letter is a letter ready for delivery: kept on the case, in the outbox.
type Letter struct {
	ID         int64
	CitizenID  int64
	DocumentID int64
	Kind       string
}

// Delivery hands letters to their channel. Deliver is called once the letter is committed; it
// must not report the letter sent unless the channel confirmed it, and it reports through the
// store (MarkLetterSent, MarkLetterFailed), now or later. An error leaves the letter in the
// outbox, where the integration still finds it.
type Delivery interface {
	Deliver(ctx context.Context, l Letter) error
	// Waiting says on the page where a letter handed over waits, in Danish.
	Waiting() string
}

// Outbox is the default delivery: the letter waits in the outbox (its row in state
// udbakke), and the municipality's integration collects it with `helhed outbox list`, fetches
// its PDF and reports back (docs/operations.md). Deliver has nothing to do.
type Outbox struct{}

// Deliver leaves the letter where it is: in the outbox.
func (Outbox) Deliver(context.Context, Letter) error { return nil }

// Waiting says where the letter is.
func (Outbox) Waiting() string {
	return "Lagt i udbakken – afventer afsendelse via Digital Post"
}
