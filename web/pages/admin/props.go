// Package admin holds the administrator's pages: users, units, roles, reference data, the
// audit log and retention.
package admin

import (
	"strconv"
	"time"

	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/paths"
)

// UsersProps lists users.
type UsersProps struct {
	Users []store.User
	Total int
	Pages components.PageInfo
}

// UserValues are the user form's fields as typed (the password is never echoed back).
type UserValues struct {
	Username, Name, Email, Unit, Role, Password string
}

// UserFormProps is the create/edit user form.
type UserFormProps struct {
	ID       int64
	Values   UserValues
	Errors   map[string]string
	Summary  map[string]string // field → "Label: message", for the error summary
	Units    []components.Option
	Roles    []components.Option
	Disabled bool
}

// Action is where the form posts.
func (p UserFormProps) Action() string {
	if p.ID == 0 {
		return "/admin/brugere/ny"
	}
	return paths.User(p.ID)
}

// UnitsProps lists units with the create form.
type UnitsProps struct {
	Units      []store.Unit
	Kinds      []components.Option
	Name, Kind string
	Errors     map[string]string
	Summary    map[string]string // field → "Label: message", for the error summary
}

// RolesProps lists roles.
type RolesProps struct{ Roles []store.Role }

// AuditProps is the audit search.
type AuditProps struct {
	Filter map[string]string
	Errors map[string]string
	Events []store.AuditEvent
	Total  int
	Pages  components.PageInfo
}

func int64String(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

func strOr(p *string, def string) string {
	if p == nil {
		return def
	}
	return *p
}

// RetentionProps is the retention overview: the period in force and its history, a form for
// a new period, and the closed or held cases by deletion date.
type RetentionProps struct {
	Years   int // in force today; 0 when none is (nothing is deleted then)
	Periods []store.RetentionPeriod
	Cases   []RetentionRow
	Total   int
	Pages   components.PageInfo
	// Form and Errors are a new period as typed: years, valid_from, note.
	Form    map[string]string
	Errors  map[string]string
	Summary map[string]string // field → "Label: message", for the error summary
	// Preview is a shorter period waiting for the administrator's confirmation: what it would
	// delete and from when. Form holds the period to confirm.
	Preview *store.RetentionPreview
}

// RetentionRow is one closed or held case: the internal case number, never a name or CPR.
type RetentionRow struct {
	ID          int64
	Unit        string
	ClosedAt    *time.Time
	DeletionDue *time.Time
	HoldAt      *time.Time
	HoldBy      string
	HoldReason  string
}

// Href is the case's page on the retention overview.
func (r RetentionRow) Href() string { return paths.RetentionCase(r.ID) }

// RetentionCaseProps is one case with the slettestop form.
type RetentionCaseProps struct {
	Case   RetentionRow
	Form   map[string]string
	Errors map[string]string
}

// SSOGroupsProps lists the mappings from identity-provider groups to units and roles, with
// the form that adds one. Configured says whether login through the identity provider is on.
type SSOGroupsProps struct {
	Mappings          []store.SSOMapping
	Pages             components.PageInfo
	Units, Roles      []components.Option
	Configured        bool
	Group, Unit, Role string
	Errors            map[string]string
	Summary           map[string]string // field → "Label: message", for the error summary
}
