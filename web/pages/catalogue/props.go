// Package catalogue holds the pages of the indsatskatalog: the filtered list, one offer, and
// the offer form. Props are plain view data; no database access happens here.
package catalogue

import (
	"time"

	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/paths"
)

// Row is one offer in the catalogue list.
type Row struct {
	ID         int64
	Name       string
	Opgavetype string
	Provider   string
	Risk       []string // risk codes, for RiskBadge
	Capacity   int
	Free       int
	Waiting    int
	NextStart  *time.Time
	Active     bool
}

// Href is the offer page.
func (r Row) Href() string { return paths.Offer(r.ID) }

// Filter is the catalogue filter exactly as given in the URL.
type Filter struct {
	Opgavetype, Unit, Risk, KRAMS, Text string
	Retired                             bool
}

// ListProps is the catalogue page.
type ListProps struct {
	Filter      Filter
	Opgavetyper []components.Option
	Units       []components.Option
	Risks       []components.Option
	KRAMS       []components.Option
	Rows        []Row
	Total       int
	Pages       components.PageInfo
	CanCreate   bool
	// ReferFor, when set, is the citizen the caseworker is choosing an offer for: each row
	// gets a "Henvis" link to the prefilled referral form.
	ReferFor int64
}

// ReferHref is the referral form for the citizen being referred, prefilled with offer id.
func (p ListProps) ReferHref(id int64) string {
	return paths.ReferralNewFor(p.ReferFor, id)
}

// ReferralRow is one referral on the offer page (provider staff only).
type ReferralRow struct {
	Href, Citizen, CPR, State, From string
	Created                         time.Time
}

// OfferProps is one offer's page.
type OfferProps struct {
	ID          int64
	Name        string
	Description string
	Opgavetype  string
	Provider    string
	Risk        []string // risk codes
	Benefits    []string // labels
	KRAMS       []string // labels
	Focus       []string // labels
	LegalBasis  string
	Weeks       int
	Attendance  string
	Contact     string
	Capacity    int
	Taken       int
	Free        int
	Waiting     int
	Starts      []time.Time
	Active      bool
	CanEdit     bool
	// ShowReferrals: the user is provider staff and may see who is referred.
	ShowReferrals bool
	Referrals     []ReferralRow
	ReferralTotal int
}

// FormValues are the offer form's fields exactly as typed.
type FormValues struct {
	Name, Description, Opgavetype, Unit, LegalBasis string
	Weeks, Capacity, Starts, Attendance, Contact    string
	Risk, Benefits, KRAMS, Focus                    []string
	Retired                                         bool
	Version                                         string
}

// FormProps is the create/edit offer form.
type FormProps struct {
	ID      int64 // 0 = new
	Values  FormValues
	Errors  map[string]string
	Summary map[string]string // field → "Label: message", for the error summary
	// Units is the provider choice (administrators); empty means the provider is fixed to
	// UnitName, the user's own unit.
	Units       []components.Option
	UnitName    string
	Opgavetyper []components.Option
	LegalBases  []components.Option
	Risks       []components.Option
	Benefits    []components.Option
	KRAMS       []components.Option
	Focus       []components.Option
}

// Action is where the form posts.
func (p FormProps) Action() string {
	if p.ID == 0 {
		return "/katalog/ny"
	}
	return paths.OfferEdit(p.ID)
}

// FieldOrder is the order of the form's fields, for the error summary.
var FieldOrder = []string{"version", "name", "opgavetype", "unit", "description", "risk", "benefits", "krams",
	"legal_basis", "weeks", "capacity", "starts", "attendance", "contact"}
