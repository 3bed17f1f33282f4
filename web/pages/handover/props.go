// Package handover holds the handover of a citizen's case to another caseworker or unit, and
// the leader's handover of all of a departing caseworker's cases (a paginated preview, then
// one step).
package handover

import "github.com/helhed/helhed/web/components"

// FormFieldOrder is the handover form's fields in order.
var FormFieldOrder = []string{"to_unit", "to_caseworker", "note"}

// Target is the handover form's choices and what was typed.
type Target struct {
	Units       []components.Option
	Caseworkers []components.Option
	Values      map[string]string
	Errors      map[string]string
	Summary     map[string]string
	// Problem is a refusal that belongs to no field (the count changed since the preview).
	Problem string
}

// Props is the handover of one citizen's case.
type Props struct {
	CitizenID   int64
	CitizenName string
	// Holder says where the case is now ("Jobcenter Nord, Bo Berg").
	Holder string
	Target
}

// Citizen is one row of the bulk preview.
type Citizen struct {
	ID   int64
	Name string
}

// CaseloadProps is the leader's handover of a departing caseworker's open cases.
type CaseloadProps struct {
	FromID   int64
	FromName string
	Citizens []Citizen
	Total    int
	Pages    components.PageInfo
	Target
}
