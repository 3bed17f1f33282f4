// Package letters holds the letters Helhed writes to a citizen, in plain Danish: the
// indkaldelse til samtale, the partshøring, the afgørelse with its klagevejledning and the
// rehabiliteringsteam's indstilling. Each letter is a standalone HTML document (Document) that
// the PDF renderer prints; nothing is fetched from the server. Props are plain view data; the
// legal texts that change with the law (the klagevejledning) come in as data, not constants.
package letters

import (
	"time"

	"github.com/a-h/templ"
)

// Recipient is the citizen the letter is addressed to.
type Recipient struct {
	Name, Address, PostalCode, City string
	// CPR is already masked ("020385-XXXX").
	CPR string
}

// Sender is the unit that writes and the caseworker who signs.
type Sender struct {
	Unit, Caseworker string
}

// Head is what every letter has: who writes to whom, when, about what.
type Head struct {
	Subject   string
	Date      time.Time
	Recipient Recipient
	Sender    Sender
}

// Indkaldelse calls the citizen to a conversation.
type Indkaldelse struct {
	Head
	At      time.Time
	Place   string
	Purpose string
}

// Partshoering hears the citizen before an afgørelse (forvaltningsloven § 19): what the
// municipality considers deciding, the information it rests on, and the deadline to answer.
type Partshoering struct {
	Head
	Matter   string
	Basis    string
	Deadline time.Time
}

// Afgoerelse is the municipality's decision with its reasons and the klagevejledning.
type Afgoerelse struct {
	Head
	Outcome string
	Reasons string
	// Indstilling is the rehabiliteringsteam's indstilling the decision answers; nil when
	// the case did not go through the team.
	Indstilling *IndstillingRef
	// Klagevejledning is the complaint guidance in force on the letter's date, one
	// paragraph per element (reference data, kept with the law's changes).
	Klagevejledning []string
}

// IndstillingRef is the team's indstilling as a decision letter refers to it.
type IndstillingRef struct {
	Outcome     string
	MeetingDate time.Time
	// Followed: the decision follows the indstilling; otherwise the reasons say why not.
	Followed bool
}

// Indstilling sends the citizen the rehabiliteringsteam's indstilling.
type Indstilling struct {
	Head
	Team        string
	MeetingDate time.Time
	Outcome     string
	Reasons     string
	Efforts     string
}

// Letter is a letter ready to print: its head and its body.
type Letter struct {
	Head Head
	Body templ.Component
}

// pageCSS styles a letter on A4: the sender's block at the top right, the address in the
// window of a C5 envelope, plain readable type. A constant, not user input.
const pageCSS = `@page { size: A4; margin: 20mm 20mm 22mm 25mm; }
body { font-family: "IBM Plex Sans", "DejaVu Sans", Arial, sans-serif; font-size: 11pt; line-height: 1.45; color: #000; }
.letter-sender { text-align: right; margin: 0 0 18mm; }
.letter-recipient { margin: 0 0 14mm; min-height: 28mm; }
.letter-recipient p, .letter-sender p { margin: 0; }
h1 { font-size: 15pt; margin: 0 0 8pt; } h2 { font-size: 12pt; margin: 14pt 0 4pt; break-after: avoid; }
.pre-line { white-space: pre-line; } dl { margin: 0; } dt { font-weight: bold; } dd { margin: 0 0 6pt; }
.letter-signature { margin-top: 14pt; } .letter-guidance { border-top: 1px solid #555; margin-top: 16pt; padding-top: 4pt; break-inside: avoid; }`

// Letter returns the indkaldelse ready to print.
func (p Indkaldelse) Letter() Letter { return Letter{Head: p.Head, Body: IndkaldelseBody(p)} }

// Letter returns the partshøring ready to print.
func (p Partshoering) Letter() Letter { return Letter{Head: p.Head, Body: PartshoeringBody(p)} }

// Letter returns the afgørelse ready to print.
func (p Afgoerelse) Letter() Letter { return Letter{Head: p.Head, Body: AfgoerelseBody(p)} }

// Letter returns the indstilling ready to print.
func (p Indstilling) Letter() Letter { return Letter{Head: p.Head, Body: IndstillingBody(p)} }
