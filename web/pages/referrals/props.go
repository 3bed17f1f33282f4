// Package referrals holds the pages of the closed referral loop: the referral form, one
// referral with its history and actions, the provider unit's inbox and the caseworker's own
// list. Props are plain view data; no database access happens here.
package referrals

import (
	"github.com/helhed/helhed/internal/access"

	"strconv"
	"time"

	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/paths"
)

// FormValues are the referral form's fields exactly as typed.
type FormValues struct {
	Offer    string
	Note     string
	Accepted bool
	// Effort is the plan effort the referral is made from ("" from the catalogue): the
	// referral is linked to it instead of adding an effort to the plan.
	Effort string
}

// OfferChoice is an offer in the form's list, with what referring to it requires.
type OfferChoice struct {
	components.Option
	// Consent names the consent a referral to it needs ("helbredsoplysninger …"), or "".
	Consent string
}

// FormProps is the referral form on the citizen.
type FormProps struct {
	CitizenID   int64
	CitizenName string
	Values      FormValues
	Errors      map[string]string
	Offers      []components.Option
	// Selected describes the chosen offer (prefilled from a suggestion), or nil.
	Selected *OfferChoice
}

// Action is where the form posts.
func (p FormProps) Action() string {
	return paths.ReferralNew(p.CitizenID)
}

// CitizenHref is the citizen page.
func (p FormProps) CitizenHref() string { return paths.Citizen(p.CitizenID) }

// CatalogueHref opens the catalogue to choose an offer for this citizen.
func (p FormProps) CatalogueHref() string {
	return "/katalog?borger=" + strconv.FormatInt(p.CitizenID, 10)
}

// FieldOrder is the order of the form's fields, for the error summary.
var FieldOrder = []string{"offer", "note", "citizen_accepted"}

// Event is one line of a referral's history.
type Event struct {
	At     time.Time
	From   string // "" for the creation
	To     string
	Reason string
	By     string
}

// Action is one transition the user may make, as a button (a small POST form).
type Action struct {
	To          string // state code
	Label       string // button text
	NeedsReason bool
	Error       string // the reason's error after a refused attempt
	Reason      string // the reason as typed
}

// ReasonID is the id of the action's reason field (unique per form on the page).
func (a Action) ReasonID() string { return "reason-" + a.To }

// ViewProps is one referral's page.
type ViewProps struct {
	ID, CitizenID int64
	Citizen       string
	CPR           string // masked
	Offer         string
	OfferID       int64
	ToUnit        string
	From          string // "name, unit"
	State         string // label
	Reason        string
	Created       time.Time
	Accepted      bool
	// Note is the referring caseworker's message: shown only under the consent it needs.
	Note    access.Gated[string]
	Events  []Event
	Actions []Action
	Version int
	// Notice explains a refusal (stale page, illegal move) above the actions.
	Notice string
	// Feedback is what the provider reports back (attendance, reports).
	Feedback FeedbackProps
}

// Href is this referral's page.
func (p ViewProps) Href() string { return paths.Referral(p.CitizenID, p.ID) }

// Row is one referral in a list.
type Row struct {
	ID, CitizenID int64
	Citizen       string
	CPR           string // masked
	Offer         string
	Unit          string // the other party: provider (caseworker's list) or referrer (inbox)
	State         string
	Created       time.Time
	Changed       time.Time
	Unseen        bool
}

// Href is the referral's page.
func (r Row) Href() string { return paths.Referral(r.CitizenID, r.ID) }

// Tab is one of the inbox's views with its count.
type Tab struct {
	Key, Label string
	Count      int
	Current    bool
}

// InboxProps is the provider unit's inbox.
type InboxProps struct {
	Unit        string
	Tabs        []Tab
	Tab         string
	OldestFirst bool
	Rows        []Row
	Total       int
	Pages       components.PageInfo
	Today       time.Time
	// Invitations are the TFA drafts the user is invited to write in.
	Invitations []Invitation
}

// TabHref links to a tab, keeping the sort order.
func (p InboxProps) TabHref(key string) string {
	h := "/indbakke?vis=" + key
	if !p.OldestFirst {
		h += "&sort=nyeste"
	}
	return h
}

// MineProps is the referring caseworker's list.
type MineProps struct {
	Rows  []Row
	Total int
	Pages components.PageInfo
	Today time.Time
}

// OfferHref is the offer's catalogue page.
func (p ViewProps) OfferHref() string { return paths.Offer(p.OfferID) }

// CitizenHref is the citizen page.
func (p ViewProps) CitizenHref() string { return paths.Citizen(p.CitizenID) }
